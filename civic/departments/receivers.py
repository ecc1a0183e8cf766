from django.db.models.signals import post_delete, post_save, pre_save

from .models import Membership


def _remember_previous_user(sender, instance, **kwargs):
    # A membership edited in the admin's inline form can change hands (user A → user B);
    # both A and B need their staff group checked after the save.
    instance._previous_user_id = (
        Membership.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        if instance.pk
        else None
    )


def _membership_changed(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    from .services import sync_staff_role

    sync_staff_role(instance.user)
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != instance.user_id:
        sync_staff_role(get_user_model().objects.get(pk=previous))


def connect():
    pre_save.connect(_remember_previous_user, sender=Membership, dispatch_uid="dept.member_pre")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="dept.member_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="dept.member_del")
