"""Acknowledging and closing a warning: thin over ``services.warnings``; retries change
nothing."""

import graphene

from civic.core.api.enums import enum_value
from civic.core.api.ids import pk_from_global_id
from civic.core.api.mutations import BaseMutation

from .. import services
from .types import CloseCauseEnum, VitalWarning


def _warning_pk(warning_id):
    return pk_from_global_id(warning_id, "VitalWarning", field="warningId")


class AcknowledgeWarning(BaseMutation):
    """Someone responsible has seen the warning: it stops escalating."""

    warning = graphene.Field(VitalWarning)

    class Input:
        warning_id = graphene.ID(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, root, info, *, warning_id, note=""):
        return cls(
            warning=services.acknowledge(info.context.user, _warning_pk(warning_id), note=note)
        )


class CloseWarning(BaseMutation):
    warning = graphene.Field(VitalWarning)

    class Input:
        warning_id = graphene.ID(required=True)
        cause = CloseCauseEnum(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, root, info, *, warning_id, cause, note=""):
        warning = services.close(
            info.context.user, _warning_pk(warning_id), cause=enum_value(cause), note=note
        )
        return cls(warning=warning)


class Mutation(graphene.ObjectType):
    acknowledge_warning = AcknowledgeWarning.Field()
    close_warning = CloseWarning.Field()
