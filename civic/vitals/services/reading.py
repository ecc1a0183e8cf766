"""What one viewer may read: the vital signs and the warnings within their scope
(``permissions.vitals_scope``); residents and strangers are refused."""

from civic.core.errors import DomainError
from civic.core.permissions import require, require_signed_in

from .. import queries
from ..models import Domain, Level, WarningState
from ..permissions import vitals_scope


def _scope(actor, area=None):
    require_signed_in(actor)
    scope = vitals_scope(actor)
    require(scope is not None)
    if area is not None and not scope.everything and not scope.department_ids:
        require(area.path.startswith(scope.area_path))
    return scope


def vital_signs(actor, *, area=None, domain=None, now=None):
    if domain and domain not in Domain.values:
        raise DomainError(field="domain", code="invalid_choice")
    return queries.vital_signs(_scope(actor, area), area=area, domain=domain, now=now)


def warnings(actor, *, state=None, level=None, area=None):
    if state and state not in WarningState.values:
        raise DomainError(field="state", code="invalid_choice")
    if level and level not in Level.values:
        raise DomainError(field="level", code="invalid_choice")
    return queries.visible_warnings(_scope(actor, area), state=state, level=level, area=area)
