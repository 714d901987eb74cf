"""Photos and files answering a checklist question: checked by their content, stored under MEDIA_ROOT.

The browser's content type is the sender's word: the first bytes decide what a file is. A
stored name is random, so a name cannot be guessed nor collide, and only the pages serve it back
(certifications.views.InspectionPhotoView), to the people of the inspection's cooperative.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

PHOTO_MAX_MB = 5
# The first bytes of each kind accepted, and the extension it is stored under.
SIGNATURES = [
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"%PDF-", ".pdf", "application/pdf"),
]
PHOTO_DIRECTORY = "inspections"


def kind_of(upload):
    """(extension, content type) of an upload by its first bytes; None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def validate_photo(upload):
    if upload.size > PHOTO_MAX_MB * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(size)s MB."), code="too_large", params={"size": PHOTO_MAX_MB}
        )
    if kind_of(upload) is None:
        raise ValidationError(_("Send a JPEG or PNG photo, or a PDF."), code="file_type")


def checklist_photo_store(*, upload, cooperative_id):
    """Store a checked upload under MEDIA_ROOT/inspections/<cooperative>/ and answer its name."""
    extension, _content_type = kind_of(upload)
    return default_storage.save(f"{PHOTO_DIRECTORY}/{cooperative_id}/{uuid.uuid4().hex}{extension}", upload)


def content_type_of(name):
    for _signature, extension, content_type in SIGNATURES:
        if name.endswith(extension):
            return content_type
    return "application/octet-stream"
