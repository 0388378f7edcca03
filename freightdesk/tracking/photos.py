"""Photos a driver takes (the signed delivery note, an exception): checked before anything is stored — at most
MAX_BYTES, a JPEG, PNG or WebP by its content (not by its name) — then read with Pillow, turned upright and
scaled down to MAX_SIDE pixels as a JPEG, and stored through Django's storage API (``STORAGES["default"]``:
files under MEDIA_ROOT by default, any S3-compatible store by setting)."""

import io
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from freightdesk.core.errors import BadInput

from .errors import TrackingErrorCode

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
SIGNATURES = {  # the first bytes of each accepted type
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),  # and "WEBP" at offset 8
}


def _kind(head: bytes) -> str | None:
    if head.startswith(SIGNATURES["jpg"]):
        return "jpg"
    if head.startswith(SIGNATURES["png"]):
        return "png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return None


def _refuse(message: str):
    raise BadInput(TrackingErrorCode.BAD_PHOTO, message, field="photo")


def checked_photo(upload) -> ContentFile | None:
    """The photo ready to store (a ContentFile with its name), or BadInput (422 on ``photo``): larger than 10 MB,
    or not a JPEG, PNG or WebP image. None when no photo was sent."""
    if not upload:
        return None
    if upload.size > MAX_BYTES:
        _refuse(_("The photo is larger than 10 MB."))
    data = upload.read()
    if len(data) > MAX_BYTES:
        _refuse(_("The photo is larger than 10 MB."))
    kind = _kind(data[:16])
    if kind is None:
        _refuse(_("This is not a photo: send a JPEG, PNG or WebP image."))
    name = f"{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:12]}"
    return ContentFile(_resized(data), name=f"{name}.jpg")


def _resized(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        _refuse(_("This photo cannot be read: take it again."))
