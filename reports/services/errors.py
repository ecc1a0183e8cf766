"""The refusals of the reports services, each with the code the API reports."""

from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError


class ReportInvalid(DomainError):
    code = "report_invalid"
    default_message = _("The report is not valid.")


class LocationRequired(DomainError):
    code = "location_required"
    default_message = _("Give the problem's location, or a photo that has GPS in it.")


class OutsideCity(DomainError):
    code = "outside_city"
    default_message = _("This place is outside the city's area.")


class CategoryInUse(DomainError):
    code = "category_in_use"
    default_message = _(
        "Reports have been filed in this category, so it cannot be deleted. "
        "Make it inactive instead: it is then no longer offered."
    )


class CategoryNotOffered(DomainError):
    code = "category_not_offered"
    default_message = _("No department handles this category at this place.")


class TooManyPhotos(DomainError):
    code = "too_many_photos"
    default_message = _("Too many photos.")


class DraftPhotoUnavailable(DomainError):
    code = "draft_photo_unavailable"
    default_message = _(
        "A photo kept from an earlier attempt is no longer available (it expired, or it is not "
        "yours): choose it again."
    )


class AnswerRequired(DomainError):
    code = "answer_required"
    default_message = _("This question needs an answer.")


class AnswerInvalid(DomainError):
    code = "answer_invalid"
    default_message = _("This answer is not valid for the question.")


class AnonymousNotAllowed(DomainError):
    code = "anonymous_not_allowed"
    default_message = _("Reports in this category cannot be anonymous.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_message = _("The report cannot do this in its current state.")


class HandlerNotInDepartment(DomainError):
    code = "handler_not_in_department"
    default_message = _("The handler is not a member of that department.")


class InvalidRating(DomainError):
    code = "invalid_rating"
    default_message = _("Rate from 1 to 5.")


class AlreadyRated(DomainError):
    code = "already_rated"
    default_message = _("You have already rated this report.")


class ReopenWindowPassed(DomainError):
    code = "reopen_window_passed"
    default_message = _("It is too late to reopen this report.")


class OwnReport(DomainError):
    code = "own_report"
    default_message = _("This is your own report.")


class MergeTargetInvalid(DomainError):
    code = "merge_target_invalid"
    default_message = _("A report can only be merged into another open or fixed report.")


class NothingToLearn(DomainError):
    code = "classifier_needs_categories"
    default_message = _("The classifier needs at least two active categories to learn from.")
