"""Photos: reading uploads, storing a report's photos, and draft photos kept between a refused
submission and the next."""

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from civic.core.errors import DomainError, FieldError
from civic.core.jobs import run_inline
from civic.core.permissions import person, require_signed_in

from ..models import DraftPhoto, ReportPhoto
from ..photos import PhotoError, PhotoTooLarge, ProcessedPhoto, inspect_photo, process_photo
from ._common import _raise_if, _setting
from .errors import DraftPhotoUnavailable, TooManyPhotos

logger = logging.getLogger(__name__)

# What ``secrets.token_urlsafe`` makes; anything else names no draft photo.
DRAFT_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _read_each(files, *, defer=False):
    """``(cleaned photos, field errors)``: each photo that could be read, and an error naming
    each one that could not by its position, so the reporter knows which one to replace.
    With ``defer``, a HEIC photo is only checked from its header and a background job decodes
    it once stored (``store_photos``), unless jobs run inline anyway."""
    read = inspect_photo if defer and not run_inline() else process_photo
    max_bytes = _setting("REPORTS_PHOTO_MAX_BYTES", 20 * 1024 * 1024)
    processed, errors = [], []
    for number, upload in enumerate(files, start=1):
        try:
            if hasattr(upload, "read"):
                # Never read more than the limit into memory.
                data = upload.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise PhotoTooLarge()
            else:
                data = bytes(upload)
            processed.append(read(data))
        except DomainError as exc:
            errors.append(
                FieldError(
                    "photos",
                    exc.code,
                    gettext("Photo %(number)s: %(problem)s")
                    % {"number": number, "problem": exc.message},
                )
            )
    return processed, errors


def _too_many_photos(count):
    limit = _setting("REPORTS_MAX_PHOTOS", 6)
    return FieldError(
        "photos",
        TooManyPhotos.code,
        gettext("At most %(limit)s photos (%(count)s were sent).")
        % {"limit": limit, "count": count},
    )


def read_uploads(files, *, already=0, defer=False):
    """Decode and clean uploaded photos (bytes or file objects) before any transaction.
    ``already`` photos (kept drafts) count toward the limit too; ``defer`` leaves decoding HEIC
    photos to a background job (see ``_read_each``)."""
    files = list(files or ())
    if already + len(files) > _setting("REPORTS_MAX_PHOTOS", 6):
        error = _too_many_photos(already + len(files))
        raise TooManyPhotos(error.message, field=error.field)
    processed, errors = _read_each(files, defer=defer)
    _raise_if(errors)
    return processed


def store_photos(report, processed, *, kind, event, uploaded_by):
    start = report.photos.count()
    for order, photo in enumerate(processed, start=start):
        stored = ReportPhoto(
            report=report,
            event=event,
            kind=kind,
            width=photo.width,
            height=photo.height,
            checksum=photo.checksum,
            uploaded_by=person(uploaded_by),
            sort_order=order,
        )
        if photo.deferred:
            stored.source.save("source.heic", ContentFile(photo.source), save=False)
            stored.save()
            _decode_after_commit(stored.pk)
            continue
        stored.display.save("display.jpg", ContentFile(photo.display), save=False)
        stored.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
        stored.save()


def _decode_after_commit(photo_id):
    transaction.on_commit(lambda: _enqueue_decoding(photo_id))


# The id of the job last enqueued to decode a photo, by photo: what ``requeue_lost_photos``
# asks the queue about. Kept a day, far longer than any job waits or runs.
DECODING_JOB_KEY = "reports:photo-job:{photo_id}"


def _enqueue_decoding(photo_id):
    from ..tasks import decode_report_photo

    result = decode_report_photo.enqueue(photo_id)
    cache.set(DECODING_JOB_KEY.format(photo_id=photo_id), result.id, timeout=24 * 3600)


def _decoding_job_alive(photo_id, since):
    """Whether the photo's decoding job is waiting in the queue, or has been running since
    ``since`` (a worker killed in the middle of a job leaves it "running" until the queue's own
    clean-up, long after)."""
    from ..tasks import decode_report_photo

    result_id = cache.get(DECODING_JOB_KEY.format(photo_id=photo_id))
    if result_id is None:
        return False
    try:
        result = decode_report_photo.get_result(result_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    if result.status == TaskResultStatus.READY:
        return True
    return result.status == TaskResultStatus.RUNNING and (result.started_at or since) > since


def requeue_lost_photos(now=None):
    """Enqueue again the decoding of each photo still waiting for it after
    REPORTS_PHOTO_JOB_LOST_MINUTES whose job is lost: never enqueued (the queue was down at
    commit), gone from the queue, failed for good, or running that long (its worker died).
    Returns how many it enqueued. Idempotent: a job it enqueues is alive for the next run, and
    decoding a photo twice makes its copies once."""
    now = now or timezone.now()
    since = now - timedelta(minutes=_setting("REPORTS_PHOTO_JOB_LOST_MINUTES", 10))
    waiting = (
        ReportPhoto.objects.filter(display="", created_at__lt=since)
        .exclude(source="")
        .values_list("pk", flat=True)
    )
    requeued = 0
    for photo_id in waiting:
        if not _decoding_job_alive(photo_id, since):
            logger.warning("The decoding job of photo %s was lost: enqueued again", photo_id)
            _enqueue_decoding(photo_id)
            requeued += 1
    return requeued


def decode_stored_photo(photo_id):
    """Make the copies of a stored photo left to decode (``store_photos``) and delete its
    upload. Returns True when it made them; False when there was nothing to do (done already,
    or the photo is gone). A photo that turns out unreadable is deleted, as it would have been
    refused at the door. Safe to run twice at once: the row is locked."""
    with transaction.atomic():
        stored = ReportPhoto.objects.select_for_update().filter(pk=photo_id).first()
        if stored is None or stored.is_processed or not stored.source:
            return False
        with stored.source.open("rb") as file:
            data = file.read()
        source = stored.source.name
        try:
            photo = process_photo(data)
        except PhotoError as exc:
            logger.warning("Stored photo %s could not be decoded (%s): deleted", photo_id, exc.code)
            stored.delete()
        else:
            stored.display.save("display.jpg", ContentFile(photo.display), save=False)
            stored.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
            stored.width, stored.height = photo.width, photo.height
            stored.source = ""
            stored.save()
        transaction.on_commit(lambda: stored.source.storage.delete(source))
    return stored.pk is not None


# --- Draft photos: kept between a refused submission and the next -------------------------------


@dataclass(frozen=True)
class KeptPhotos:
    """What ``keep_draft_photos`` kept (``DraftPhoto``s, in order) and why it kept no more."""

    drafts: list
    errors: list


def unavailable_drafts():
    return FieldError(
        "photos", DraftPhotoUnavailable.code, str(DraftPhotoUnavailable.default_message)
    )


def owned_drafts(actor, tokens):
    """``(drafts, all found)``: the actor's unexpired drafts named by ``tokens``, in their
    order. Another user's token finds nothing, exactly as an expired or invented one."""
    tokens = list(dict.fromkeys(token for token in tokens if token))
    if not tokens:
        return [], True
    wellformed = [token for token in tokens if DRAFT_TOKEN.fullmatch(token)]
    found = {
        draft.token: draft
        for draft in DraftPhoto.objects.filter(
            owner=person(actor), token__in=wellformed, expires_at__gt=timezone.now()
        )
    }
    return [found[token] for token in tokens if token in found], len(found) == len(tokens)


def draft_photo_of(actor, token):
    """The actor's own unexpired draft photo with this token, or None (for anyone else too)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    drafts, _all_found = owned_drafts(actor, [token])
    return drafts[0] if drafts else None


def delete_drafts(drafts):
    """Delete draft rows now and their files once the transaction commits; the count deleted."""
    files = [file for draft in drafts for file in (draft.display, draft.thumbnail)]
    count, _per_model = DraftPhoto.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in files])
    return count


# What a draft keeps of its ``ProcessedPhoto`` as it is, besides the copies and the GPS.
_DRAFT_FACTS = (
    "width",
    "height",
    "original_width",
    "original_height",
    "checksum",
    "source_format",
    "taken_at",
)


def _store_draft(actor, photo, now):
    draft = DraftPhoto(
        token=secrets.token_urlsafe(32),
        owner=actor,
        **{name: getattr(photo, name) for name in _DRAFT_FACTS},
        gps_lat=photo.gps[0] if photo.gps else None,
        gps_lon=photo.gps[1] if photo.gps else None,
        expires_at=now + timedelta(hours=_setting("REPORTS_DRAFT_PHOTO_HOURS", 24)),
    )
    draft.display.save("display.jpg", ContentFile(photo.display), save=False)
    draft.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    draft.save()
    return draft


def draft_as_photo(draft):
    """The draft as the cleaned photo it was made from, or raise DraftPhotoUnavailable."""
    try:
        with draft.display.storage.open(draft.display.name, "rb") as file:
            display = file.read()
        with draft.thumbnail.storage.open(draft.thumbnail.name, "rb") as file:
            thumbnail = file.read()
    except OSError:
        raise DraftPhotoUnavailable(field="photos") from None
    gps = (draft.gps_lat, draft.gps_lon) if draft.gps_lat is not None else None
    return ProcessedPhoto(
        display=display,
        thumbnail=thumbnail,
        gps=gps,
        **{name: getattr(draft, name) for name in _DRAFT_FACTS},
    )


def keep_draft_photos(actor, files, *, kept=(), discard=()):
    """Keep a form's photos for its next submission: clean the new ``files`` as any upload and
    store those that can be read as the actor's draft photos, after the drafts named in
    ``kept`` (less those in ``discard``, which are deleted). Returns ``KeptPhotos``; its errors
    name each photo that could not be kept (unreadable, over the limit, a token that is not
    the actor's or has expired)."""
    require_signed_in(actor)
    actor = person(actor)
    discarded, _all_found = owned_drafts(actor, discard)
    with transaction.atomic():
        delete_drafts(discarded)
    drafts, all_found = owned_drafts(actor, [token for token in kept if token not in discard])
    errors = [] if all_found else [unavailable_drafts()]
    files = list(files or ())
    room = max(0, _setting("REPORTS_MAX_PHOTOS", 6) - len(drafts))
    if len(files) > room:
        errors.append(_too_many_photos(len(drafts) + len(files)))
        files = files[:room]
    processed, photo_errors = _read_each(files)
    now = timezone.now()
    drafts += [_store_draft(actor, photo, now) for photo in processed]
    return KeptPhotos(drafts=drafts, errors=errors + photo_errors)


def remove_expired_draft_photos(now=None):
    """Delete the draft photos past their expiry; the number deleted."""
    expired = list(DraftPhoto.objects.filter(expires_at__lte=now or timezone.now()))
    with transaction.atomic():
        return delete_drafts(expired)
