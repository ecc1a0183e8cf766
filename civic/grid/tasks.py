"""Background jobs of the grid (django-tasks): thin wrappers over ``services``."""

from django_tasks import task

from civic.core.periodic import periodic

from . import services


@periodic(hours=24)
@task()
def delete_old_tracks():
    """Delete patrol tracks older than GRID_TRACK_RETENTION_DAYS (the figures stay). Returns
    how many tracks were deleted. Idempotent; the scheduler runs it daily."""
    return services.delete_old_tracks()
