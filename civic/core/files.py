"""Handing out stored files that live in an object store (S3_BUCKET): after the caller's
permission check, a redirect to a URL signed for a short while. A local disk has no such URL:
the caller streams the file itself."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponseRedirect
from django.utils.cache import patch_cache_control


def remote_storage(storage):
    return not isinstance(storage, FileSystemStorage)


def signed_redirect(file, *, public):
    """A redirect to ``file``'s signed URL: a public one valid for S3_PUBLIC_URL_SECONDS and
    cacheable for a tenth of that; a private one for S3_PRIVATE_URL_SECONDS, never cached."""
    seconds = settings.S3_PUBLIC_URL_SECONDS if public else settings.S3_PRIVATE_URL_SECONDS
    response = HttpResponseRedirect(file.storage.url(file.name, expire=seconds))
    if public:
        patch_cache_control(response, public=True, max_age=max(1, seconds // 10))
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
