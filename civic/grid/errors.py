"""The grid services' refusals, each with the code the API reports."""

from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, register_code


class NotOnSite(DomainError):
    code = "not_on_site"
    default_message = _("You are too far from the report to check in: go there first.")


class PhotoRequired(DomainError):
    code = "photo_required"
    default_message = _("This category needs a photo when you check in.")


class NotCheckedIn(DomainError):
    code = "not_checked_in"
    default_message = _("Check in on site first.")


class TaskClosed(DomainError):
    code = "task_closed"
    default_message = _("This task is already done.")


class NotAGridCell(DomainError):
    code = "not_a_grid_cell"
    default_message = _("Choose a grid cell.")


class NotYourCell(DomainError):
    code = "not_your_cell"
    default_message = _("You are not a worker of this grid cell.")


class PatrolActive(DomainError):
    code = "patrol_active"
    default_message = _("End your current patrol first.")


class PatrolInvalid(DomainError):
    code = "patrol_invalid"
    default_message = _("The patrol data is not valid.")


# Per-point refusals in a batch of patrol points (the batch's other points are kept).
POINT_CODES = {
    "invalid_coordinates": register_code(
        "invalid_coordinates", _("Latitude must be within ±90 and longitude within ±180 degrees.")
    ),
    "client_id_required": register_code(
        "client_id_required", _("Each point needs the phone's own id for it.")
    ),
    "time_out_of_range": register_code(
        "time_out_of_range", _("The point's time is outside the patrol.")
    ),
    "batch_too_large": register_code("batch_too_large", _("Too many points in one batch.")),
}
