"""Django's model permissions, read from the shared cache instead of two queries per request.

Every signed-in page asks ``perms.wagtailadmin.access_admin`` (the base template's admin link),
which Django answers with two queries (the user's own permissions and their groups'). The
answer changes only when someone's groups or permissions change, so it is kept in the cache per
user, stamped with a version that any change to groups' or users' permissions (or a group or
permission deleted) moves on; an entry with another version is read afresh, and saving a user
(made a superuser, say) forgets theirs.
"""

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "accounts:perms:version"
TIMEOUT = 3600


def _user_key(pk):
    return f"accounts:perms:user:{pk}"


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _user_key(user_obj.pk)
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY, 0)
            entry = found.get(key)
            if entry is not None and entry[0] == version:
                perms = entry[1]
            else:
                perms = frozenset(super().get_all_permissions(user_obj))
                cache.set(key, (version, perms), TIMEOUT)
            user_obj._perm_cache = set(perms)
        return user_obj._perm_cache


def _now_and_on_commit(forget):
    # Now, for the rest of this transaction; again on commit, in case another request cached
    # the old answer meanwhile. A rolled-back change costs only a fresh read.
    forget()
    transaction.on_commit(forget)


def _bump_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def forget_permissions(**kwargs):
    """Every cached answer is stale from now on."""
    _now_and_on_commit(_bump_version)


def forget_user(instance, **kwargs):
    """A user saved or deleted (made a superuser, say): their own entry only."""
    key = _user_key(instance.pk)
    _now_and_on_commit(lambda: cache.delete(key))


def connect():
    user_model = get_user_model()
    throughs = (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    )
    for n, through in enumerate(throughs):
        m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=f"perms.m2m.{n}")
    # Deleting a group or a permission takes its links along without m2m_changed.
    for model in (Group, Permission):
        post_delete.connect(forget_permissions, sender=model, dispatch_uid=f"perms.{model}")
    for signal in (post_save, post_delete):
        signal.connect(forget_user, sender=user_model, dispatch_uid=f"perms.user.{signal}")
