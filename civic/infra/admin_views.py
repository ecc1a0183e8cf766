"""The failed background jobs (dead letters) for platform admins: look, retry, discard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.core.permissions import is_platform_admin

from . import deadletters


def _require_admin(user):
    if not is_platform_admin(user):
        raise PermissionDenied


def failed_jobs(request):
    _require_admin(request.user)
    return TemplateResponse(
        request,
        "infra/admin/failed_jobs.html",
        {
            "letters": deadletters.dead_letters(),
            "queued": deadletters.queued_jobs_in_rq(),
        },
    )


@require_POST
def act_on_failed_job(request, job_id):
    _require_admin(request.user)
    action = request.POST.get("action")
    if action == "retry" and deadletters.retry(job_id):
        messages.success(request, _("The job is back on its queue."))
    elif action == "discard" and deadletters.discard(job_id):
        messages.success(request, _("The job was deleted."))
    else:
        messages.error(request, _("There is no such failed job."))
    return redirect("infra_admin:failed_jobs")
