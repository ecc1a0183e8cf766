from django.db.models.signals import post_delete, post_save

from .models import Membership


def _membership_changed(sender, instance, **kwargs):
    # Memberships are also edited inline in the admin's department form; keep the staff
    # group in step however they change.
    from .services import sync_staff_role

    sync_staff_role(instance.user)


def connect():
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="dept.member_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="dept.member_del")
