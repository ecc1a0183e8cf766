from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civic.portal import services
from civic.portal.models import DistrictPage


class Command(BaseCommand):
    help = (
        "Make sure every district page has its editors and approvers groups, their page rights "
        "on its subtree only, and its moderation workflow. Safe to run again; new district pages "
        "get theirs when they are created."
    )

    def handle(self, *args, **options):
        pages = DistrictPage.objects.select_related("area").order_by("path")
        for page in pages:
            team = services.sync_district_team(page)
            self.stdout.write(
                _("%(district)s: groups “%(editors)s” and “%(approvers)s”, workflow “%(workflow)s”")
                % {
                    "district": page.title,
                    "editors": team.editors.name,
                    "approvers": team.approvers.name,
                    "workflow": team.workflow.name,
                }
            )
