from django.core.exceptions import PermissionDenied
from wagtail import hooks


@hooks.register("before_edit_user")
@hooks.register("before_delete_user")
def only_superusers_touch_superusers(request, user):
    # A platform admin could otherwise reset a superuser's password or email and sign in as them.
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
