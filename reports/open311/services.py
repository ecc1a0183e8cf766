"""Open311 over the reports services: issuing and revoking keys, and filing a service request
as a report through ``reports.services.submit_report`` (channel ``open311``), so a request
from a client no one here wrote follows every rule an app report follows."""

import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from civic.areas.geometry import parse_boundary
from civic.areas.models import Area, AreaKind
from civic.core.errors import DomainError
from civic.core.permissions import SYSTEM, is_platform_admin, person, require
from reports import queries
from reports.models import Channel
from reports.services import LocationRequired, submit_report

from .models import ApiKey, Submission, hash_key


class ApiKeyInvalid(DomainError):
    code = "api_key_invalid"
    default_message = _("A valid api_key is required to submit a request.")


class RateLimited(DomainError):
    code = "rate_limited"
    default_message = _("Too many requests with this api_key; try again in a minute.")


class ServiceNotFound(DomainError):
    code = "service_not_found"
    default_message = _("There is no service with this service_code.")


class AddressNotFound(DomainError):
    code = "address_not_found"
    default_message = _("The address_string names no area of the city; send lat and long instead.")


class MediaRefused(DomainError):
    code = "media_url_refused"
    default_message = _("media_url is not on a host this server fetches photos from.")


# --- Keys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    raw: str  # shown once, never stored


def issue_key(actor, *, name, contact="", rate_limit=None):
    """A new key for a client. The key itself is returned once; only its hash is kept."""
    require(is_platform_admin(actor))
    raw = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        name=name.strip(),
        contact=contact.strip(),
        prefix=raw[:8],
        key_hash=hash_key(raw),
        rate_limit=rate_limit or settings.OPEN311_DEFAULT_RATE_LIMIT,
        created_by=person(actor),
    )
    log(instance=api_key, action="wagtail.create", user=person(actor))
    return IssuedKey(api_key, raw)


@transaction.atomic
def revoke_key(actor, api_key):
    """Stop a key working at once. Revoking twice is the same as once."""
    require(is_platform_admin(actor))
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if not api_key.is_active:
        return api_key
    api_key.is_active = False
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = person(actor)
    api_key.save(update_fields=["is_active", "revoked_at", "revoked_by"])
    log(instance=api_key, action="open311.revoke", user=person(actor))
    return api_key


def authenticate(raw):
    """The active key for ``raw``, or raise ApiKeyInvalid (missing, unknown and revoked keys
    are refused alike, so a caller learns nothing about which keys exist)."""
    api_key = ApiKey.objects.filter(key_hash=hash_key(raw), is_active=True).first() if raw else None
    if api_key is None:
        raise ApiKeyInvalid(field="api_key")
    return api_key


def check_rate(api_key):
    """Count one request against the key's per-minute limit (a fixed window in the cache, shared
    by every worker when the cache is Redis)."""
    window = int(time.time() // 60)
    counter = f"open311:rate:{api_key.pk}:{window}"
    cache.add(counter, 0, timeout=120)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired between add and incr: this request opens the count again
        cache.set(counter, 1, timeout=120)
        used = 1
    if used > api_key.rate_limit:
        raise RateLimited(field="api_key")


# --- Where: address_string ----------------------------------------------------------------------


def resolve_address(address_string):
    """``(lat, lon)`` inside the area the address names, or raise AddressNotFound.

    The platform has no street-address gazetteer, only its areas. The address is read from most
    specific to most general (as the specification orders it); the first comma-separated part
    that is the name or code of one area below the city places the request at a point inside
    that area. The address text is kept on the report, so staff see what was written.
    """
    for part in (piece.strip() for piece in address_string.split(",")):
        if not part:
            continue
        matches = list(
            Area.objects.exclude(kind=AreaKind.CITY)
            .filter(Q(name__iexact=part) | Q(name_en__iexact=part) | Q(code__iexact=part))
            .order_by("-depth")[:2]
        )
        if len(matches) == 1 or (matches and matches[0].depth != matches[1].depth):
            point = parse_boundary(matches[0].boundary).representative_point()
            return point.y, point.x
    raise AddressNotFound(field="address_string")


# --- Photos: media_url --------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere, inside our own network too: the allow-list decides alone.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def fetch_media(media_url):
    """The photo at ``media_url`` as bytes, fetched only when the URL starts with one of
    ``OPEN311_MEDIA_URL_PREFIXES`` (none by default). Fetching any URL a client names would let
    it make this server request internal addresses for it."""
    prefixes = settings.OPEN311_MEDIA_URL_PREFIXES
    if not any(media_url.startswith(prefix) for prefix in prefixes):
        raise MediaRefused(field="media_url")
    limit = settings.REPORTS_PHOTO_MAX_BYTES
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(media_url, timeout=settings.OPEN311_MEDIA_TIMEOUT) as response:
            data = response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MediaRefused(
            gettext("media_url could not be fetched: %(reason)s") % {"reason": exc},
            field="media_url",
        ) from exc
    # One byte over the limit is enough for the photo checks to refuse it in their own words.
    return data


# --- Filing a request ---------------------------------------------------------------------------


def _contact(first_name, last_name, email, phone, api_key):
    name = " ".join(part for part in (first_name, last_name) if part)
    details = {"name": name, "email": email, "phone": phone, "open311_client": api_key.name}
    return {key: value for key, value in details.items() if value}


def submit(
    api_key,
    *,
    service_code,
    lat=None,
    lon=None,
    address_string="",
    attributes=None,
    description="",
    email="",
    first_name="",
    last_name="",
    phone="",
    device_id="",
    account_id="",
    media_url="",
):
    """File a service request from the client holding ``api_key``; returns the Submission.

    The person behind the request has no account here: their name and contact details are
    kept for staff only (as a hotline caller's are) and never linked to an account by email.
    """
    if not service_code:
        raise DomainError(
            gettext("service_code is required."), field="service_code", code="required"
        )
    category = queries.category_by_code(service_code)
    if category is None:
        raise ServiceNotFound(field="service_code")
    if lat is None or lon is None:
        if not address_string:
            raise LocationRequired(gettext("Send lat and long, or address_string."), field="lat")
        lat, lon = resolve_address(address_string)
    photos = [fetch_media(media_url)] if media_url else []
    with transaction.atomic():
        report = submit_report(
            SYSTEM,
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            photos=photos,
            answers=attributes,
            channel=Channel.OPEN311,
            address=address_string,
            contact=_contact(first_name, last_name, email, phone, api_key),
        )
        submission = Submission.objects.create(
            report=report,
            api_key=api_key,
            token=secrets.token_hex(16),
            device_id=device_id[:100],
            account_id=account_id[:100],
        )
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return submission
