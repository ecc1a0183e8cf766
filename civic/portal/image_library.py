"""The Wagtail image library keeps no metadata: case-study, reward and every other library image
is cleaned (``civic/core/images.py``: upright, sRGB, no EXIF, GPS, XMP, colour profile or maker
data) before its file reaches storage.

Two hooks, because images arrive two ways:

* ``ImageForm`` (``WAGTAILIMAGES_IMAGE_FORM_BASE``) cleans the upload while the form is checked
  (``CleanedImageField``), so a file we cannot clean is a form error beside the field, never a
  500. Wagtail builds the admin's add view, the multiple-upload view and the chooser's upload
  from this base.
* ``clean_stored_original`` (``pre_save`` of the image model and of Wagtail's ``UploadedFile``,
  where the multiple uploader parks an image while its form is incomplete) cleans any file that
  did not come through the form: services, the demo, a shell.

Renditions are made from the cleaned original, and Willow only carries over the EXIF and
colour profile the original has: none.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.signals import pre_save
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import UploadedFile

from civic.core.images import PhotoError, clean_image

# Wagtail's own default for WAGTAILIMAGES_MAX_IMAGE_PIXELS.
_WAGTAIL_MAX_PIXELS = 128_000_000


class CleanedImageFile(ContentFile):
    """Bytes that have been through ``clean_image``: saving them needs no second pass."""


def cleaned_image_file(file):
    """``file`` (any Django file) cleaned, as a file ready to assign to an image's ``file``."""
    file.seek(0)
    data = file.read()
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None) or _WAGTAIL_MAX_PIXELS
    clean = clean_image(data, file.name, max_pixels=max_pixels)
    cleaned = CleanedImageFile(clean.content, name=clean.name)
    cleaned.width, cleaned.height = clean.width, clean.height
    return cleaned


class CleanedImageField(WagtailImageField):
    """Wagtail's image field, giving the cleaned picture; any file it cannot read or clean is a
    field error. (Wagtail's own checks let some decoder errors through: a truncated JPEG's
    frame count raises ``OSError``.)"""

    def to_python(self, data):
        try:
            file = super().to_python(data)
        except ValidationError:
            raise
        except Exception:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from None
        if file is None:
            return None
        try:
            return cleaned_image_file(file)
        except PhotoError as error:
            raise ValidationError(error.message, code=error.code) from None


class ImageForm(BaseImageForm):
    """Wagtail's image form (add, multiple upload, chooser upload, edit); the file it saves is
    the cleaned picture."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:  # the multiple uploader's edit form has none
            uploaded = self.fields["file"]
            self.fields["file"] = CleanedImageField(
                label=uploaded.label, required=uploaded.required, widget=uploaded.widget
            )


def clean_stored_original(sender, instance, raw=False, update_fields=None, **kwargs):
    """Clean an image's file before the row that names it is saved, unless it is unchanged or
    was cleaned already; a committed file that is new (``file.save(save=False)`` first) is
    cleaned and stored again, and the uncleaned copy deleted."""
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    if isinstance(instance, UploadedFile) and instance.for_content_type_id != _image_type_id():
        return  # a document parked by the multiple uploader
    field_file = instance.file
    if not field_file:
        return
    if field_file._committed:
        if not _is_new_file(sender, instance):
            return
        stored_name = field_file.name
        with field_file.storage.open(stored_name) as stored:
            cleaned = cleaned_image_file(stored)
        if not sender._default_manager.filter(file=stored_name).exists():
            field_file.storage.delete(stored_name)
    elif isinstance(field_file.file, CleanedImageFile):
        return
    else:
        cleaned = cleaned_image_file(field_file.file)
    instance.file = cleaned
    if hasattr(instance, "file_hash"):
        instance.width, instance.height = cleaned.width, cleaned.height
        instance._set_image_file_metadata()


def connect():
    for model in (get_image_model(), UploadedFile):
        pre_save.connect(
            clean_stored_original, sender=model, dispatch_uid=f"portal.clean_image.{model._meta}"
        )


def _is_new_file(sender, instance):
    if instance._state.adding or instance.pk is None:
        return True
    saved = sender._default_manager.filter(pk=instance.pk).values_list("file", flat=True).first()
    return saved != instance.file.name


def _image_type_id():
    return ContentType.objects.get_for_model(get_image_model()).id
