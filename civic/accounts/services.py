import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.errors import DomainError, NotFound, ValidationFailed
from civic.core.permissions import require_signed_in, role_names
from civic.core.roles import Role

from . import events
from .models import FirebaseIdentity, User


class AccountInactive(DomainError):
    code = "account_inactive"
    default_message = _("This account is closed.")


class TwoFactorRequired(DomainError):
    code = "two_factor_required"
    default_message = _(
        "This account uses two-factor sign-in: sign in with your email address, password and code."
    )


class ReauthenticationFailed(DomainError):
    code = "reauthentication_failed"
    default_message = _("Confirm it is you: the password is wrong, or the sign-in is not recent.")


class AccountNotDeletable(DomainError):
    code = "account_not_deletable"
    default_message = _(
        "Accounts with staff, editor, leader or admin roles are closed by a platform admin."
    )


def signup_language(code) -> str:
    """The language a new account's notifications are written in: the one the person signed up
    in (``code``, as LocaleMiddleware activated it from the request) if the platform speaks it,
    else blank for the platform's default."""
    return code if code in dict(settings.LANGUAGES) else ""


def on_signed_up(user: User) -> None:
    """Everyone who signs up is a resident."""
    grant_role(user, Role.RESIDENT)
    events.user_signed_up.send(sender=User, user=user)


def grant_role(user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    user.__dict__.pop("_civic_role_names", None)


def revoke_role(user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    user.__dict__.pop("_civic_role_names", None)


# Marks an argument the caller did not send, so that None can mean "clear it".
UNCHANGED = object()


@transaction.atomic
def update_profile(
    user: User,
    *,
    display_name=UNCHANGED,
    phone=UNCHANGED,
    home_area_id=UNCHANGED,
    language=UNCHANGED,
):
    """Change the signed-in user's own profile. Only the fields given are touched."""
    require_signed_in(user)
    from civic.areas.queries import area_by_id

    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in (
            ("display_name", display_name),
            ("phone", phone),
            ("language", language),
        )
        if value is not UNCHANGED
    }
    for name in list(changes):
        if changes[name] is None:
            changes[name] = ""
    if home_area_id is not UNCHANGED:
        area = None if home_area_id is None else area_by_id(home_area_id)
        if home_area_id is not None and area is None:
            raise NotFound(field="home_area_id")
        changes["home_area"] = area
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changes])
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    user.save(update_fields=list(changes))
    return user


# --- Firebase phone sign-in -------------------------------------------------------------------


def sign_in_with_firebase(claims: dict, *, language="") -> User:
    """The account for verified Firebase ID token claims: the one already linked to the Firebase
    user, else an account this person verifiably owns, else a new resident (whose
    notifications are written in ``language``, see ``signup_language``).

    Linking goes by what both sides verified: an email address Firebase verified that is a
    verified address of an account here, or a phone number another Firebase identity here was
    signed in with. The profile's phone field is typed in and never checked, so it links nothing
    (or anyone could put a stranger's number on their profile and receive their sign-ins).
    """
    uid = claims["uid"]
    try:
        with transaction.atomic():
            return _firebase_user(uid, claims, language)
    except IntegrityError:
        # The same Firebase user signing in twice at once: the other request linked it first.
        with transaction.atomic():
            return _firebase_user(uid, claims, language)


def _firebase_user(uid, claims, language):
    phone = claims.get("phone_number") or ""
    identity = (
        FirebaseIdentity.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(uid=uid)
        .first()
    )
    if identity is None:
        user = _linked_user(claims, phone) or _new_firebase_user(claims, phone, language)
        identity = FirebaseIdentity(user=user, uid=uid)
    user = identity.user
    if not user.is_active:
        raise AccountInactive()
    # A phone number is one factor; an account that asked for two keeps asking.
    if is_mfa_enabled(user):
        raise TwoFactorRequired()
    identity.phone = phone
    identity.last_sign_in_at = timezone.now()
    identity.save()
    return user


def _verified_email(claims):
    email = claims.get("email")
    return email.strip().lower() if email and claims.get("email_verified") is True else None


def _linked_user(claims, phone):
    email = _verified_email(claims)
    if email:
        address = (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .select_related("user")
            .first()
        )
        if address is not None:
            return address.user
    if phone:
        other = FirebaseIdentity.objects.filter(phone=phone).select_related("user").first()
        if other is not None:
            return other.user
    return None


def _new_firebase_user(claims, phone, language):
    email = _verified_email(claims)
    if email and EmailAddress.objects.filter(email__iexact=email).exists():
        email = None  # someone else's unverified claim on it: the address stays theirs to verify
    user = User(
        username=f"firebase:{claims['uid']}",
        email=email or "",
        phone=phone if phone and len(phone) <= 20 else "",
        display_name=(claims.get("name") or "")[:60],
        language=signup_language(language),
    )
    user.set_unusable_password()
    user.save()
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    on_signed_up(user)
    return user


# --- Closing an account and exporting its data ------------------------------------------------

RECENT_SIGN_IN_SECONDS = 5 * 60


def _confirm_identity(user, password, firebase_claims):
    """Deleting needs proof of presence beyond a session token that may have been lying on a
    phone for weeks: the password, or (for Firebase-only accounts, which have none) a Firebase
    sign-in of this account's own in the last few minutes."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ReauthenticationFailed(field="password")
        return
    if (
        not firebase_claims
        or not user.firebase_identities.filter(uid=firebase_claims.get("uid")).exists()
    ):
        raise ReauthenticationFailed(field="id_token")
    auth_time = firebase_claims.get("auth_time")
    if not isinstance(auth_time, int | float) or time.time() - auth_time > RECENT_SIGN_IN_SECONDS:
        raise ReauthenticationFailed(field="id_token")


@transaction.atomic
def delete_account(user: User, *, password=None, firebase_claims=None) -> User:
    """Close a resident's own account and forget who they were.

    The row stays, emptied (a name, email, phone, password, sign-in methods, groups), because
    their reports and points ledger refer to it: the reports stay for the city, anonymised by
    the reports app on ``account_deleted``; the ledger keeps its entries and balance untouched,
    so it still sums up, and nobody can spend it any more. Every session token stops working:
    the account is inactive and its password hash changed.
    """
    require_signed_in(user)
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if user.is_superuser or user.is_staff or role_names(user) - {Role.RESIDENT.value}:
        raise AccountNotDeletable()
    _confirm_identity(user, password, firebase_claims)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.firebase_identities.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.username = f"deleted-{user.pk}"
    user.email = user.first_name = user.last_name = user.display_name = user.phone = ""
    user.home_area = None
    user.is_active = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.__dict__.pop("_civic_role_names", None)
    events.account_deleted.send(sender=User, user=user)
    return user


def export_personal_data(user: User) -> dict:
    """Everything the platform holds about the signed-in person, as JSON-ready data: the
    account here, and each app's own sections (``personal_data_requested``)."""
    require_signed_in(user)
    data = {
        "exportedAt": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "displayName": user.display_name,
            "phone": user.phone,
            "homeArea": user.home_area.code if user.home_area_id else None,
            "dateJoined": user.date_joined.isoformat(),
            "lastLogin": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(role_names(user)),
            "emailAddresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "firebaseIdentities": [
                {"uid": i.uid, "phone": i.phone, "linkedAt": i.created_at.isoformat()}
                for i in user.firebase_identities.order_by("pk")
            ],
            "twoFactorMethods": sorted(
                Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ),
        },
    }
    for _receiver, sections in events.personal_data_requested.send(sender=User, user=user):
        data.update(sections or {})
    return data
