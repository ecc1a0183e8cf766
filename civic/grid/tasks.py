"""Background jobs of the grid (django-tasks): thin wrappers over ``services``."""

from django_tasks import task

from . import services


@task()
def delete_old_tracks():
    """Delete patrol tracks older than GRID_TRACK_RETENTION_DAYS (the figures stay). Returns
    how many tracks were deleted. Idempotent: a scheduler may run it daily or more often."""
    return services.delete_old_tracks()
