"""Handing out stored files that live in an object store (S3_BUCKET), after the caller's
permission check. A public file: a redirect to the store's URL signed for a day, cacheable. A
private one: a redirect to our own link (``serve_signed``), signed with the secret key for
S3_PRIVATE_URL_SECONDS, which streams the file and refuses once expired; that expiry is ours to
enforce and to test, whatever the store does with its own signed URLs. A local disk has no
such URLs: the caller streams the file itself."""

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

SALT = "civic.core.files"


def remote_storage(storage):
    return not isinstance(storage, FileSystemStorage)


def signed_redirect(file, *, public):
    """A redirect to ``file``: public, to the store's URL signed for S3_PUBLIC_URL_SECONDS and
    cacheable for a tenth of that; private, to ``signed_link`` for S3_PRIVATE_URL_SECONDS,
    never cached."""
    if public:
        seconds = settings.S3_PUBLIC_URL_SECONDS
        response = HttpResponseRedirect(file.storage.url(file.name, expire=seconds))
        patch_cache_control(response, public=True, max_age=max(1, seconds // 10))
    else:
        response = HttpResponseRedirect(signed_link(file.name, settings.S3_PRIVATE_URL_SECONDS))
        patch_cache_control(response, private=True, no_store=True)
    return response


def signed_link(name, seconds):
    """Our URL for the stored file ``name`` (default storage), valid for ``seconds``."""
    token = signing.TimestampSigner(salt=SALT).sign_object({"name": name, "seconds": seconds})
    return reverse("signed-file", args=[token])


def signed_name(token):
    """The stored file's name a link's token names, or None if it was not signed by us or has
    expired."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        seconds = signer.unsign_object(token)["seconds"]
        return signer.unsign_object(token, max_age=seconds)["name"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


@require_GET
def serve_signed(request, token):
    """The file a ``signed_link`` names, while the link is valid; 403 after, saying no more."""
    name = signed_name(token)
    if name is None:
        response = HttpResponseForbidden()
    else:
        try:
            handle = default_storage.open(name, "rb")
        except OSError as exc:
            raise Http404 from exc  # deleted since
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filename = PurePosixPath(name).name
        response = FileResponse(handle, content_type=content_type, filename=filename)
    patch_cache_control(response, private=True, no_store=True)
    return response
