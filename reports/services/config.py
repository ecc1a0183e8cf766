"""How reports are handled, as platform admins set it up: categories with their questions,
routing rules and response templates.

The admin's forms save through here. Each change is checked against the rule the admin's
screens follow (``core_model_policy``: platform admins change, others may only look) and
against the model's own validation, so that a caller other than the form cannot save what the
form would refuse.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext

from civic.core.errors import ValidationFailed
from civic.core.permissions import can_manage_core, require

from ..models import ResponseTemplate, RoutingRule
from .errors import CategoryInUse


def _check(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def _save_valid(instance):
    _check(instance)
    instance.save()
    return instance


# --- Categories ----------------------------------------------------------------------------------


@transaction.atomic
def save_category(actor, category):
    """Create or update ``category`` together with its questions as they stand in memory (the
    admin's form leaves them so, unsaved): questions no longer among them are deleted."""
    require(can_manage_core(actor))
    _check(category)
    questions = list(category.questions.all())
    codes = set()
    for question in questions:
        # The category may not be saved yet: its part of the check is the codes' below.
        _check(question, exclude=["category"])
        if question.code in codes:
            raise ValidationFailed(
                gettext("Two questions have the code %(code)s.") % {"code": question.code},
                code="unique",
            )
        codes.add(question.code)
    category.save()  # with its questions (a ClusterableModel)
    return category


@transaction.atomic
def delete_category(actor, category):
    """Categories reports were filed in stay (the database protects them): make them inactive."""
    require(can_manage_core(actor))
    try:
        category.delete()
    except ProtectedError:
        raise CategoryInUse() from None


# --- Routing rules -------------------------------------------------------------------------------


@transaction.atomic
def create_routing_rule(actor, *, category, area, department):
    require(can_manage_core(actor))
    return _save_valid(RoutingRule(category=category, area=area, department=department))


@transaction.atomic
def update_routing_rule(actor, rule, *, category, area, department):
    require(can_manage_core(actor))
    rule.category, rule.area, rule.department = category, area, department
    return _save_valid(rule)


@transaction.atomic
def delete_routing_rule(actor, rule):
    require(can_manage_core(actor))
    rule.delete()


# --- Response templates --------------------------------------------------------------------------


@transaction.atomic
def create_response_template(
    actor, *, title, text, text_en="", for_action="", categories=(), is_active=True
):
    require(can_manage_core(actor))
    template = ResponseTemplate(
        title=title, text=text, text_en=text_en, for_action=for_action, is_active=is_active
    )
    _save_valid(template).categories.set(categories)
    return template


@transaction.atomic
def update_response_template(
    actor, template, *, title, text, text_en, for_action, categories, is_active
):
    require(can_manage_core(actor))
    template.title, template.text, template.text_en = title, text, text_en
    template.for_action, template.is_active = for_action, is_active
    _save_valid(template).categories.set(categories)
    return template


@transaction.atomic
def delete_response_template(actor, template):
    require(can_manage_core(actor))
    template.delete()
