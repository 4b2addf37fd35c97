# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Checks of the images owners upload: case and repair photos, signatures.

One path for every upload (SPEC §10, R-REP-4): the format is sniffed from the
bytes (never the file name), the pixel count is read from the header before any
decoding, then the image is decoded once, bounded, and large photos are
downscaled so that no upload can hold a worker for seconds.

The functions here take plain values and raise :class:`ImageRejected` with a
reason code; :func:`check_image` turns the codes into translated messages.
"""

import io
import warnings

from PIL import (
    GifImagePlugin,
    Image,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

from odoo.exceptions import UserError
from odoo.tools import mimetypes

from . import settings

# the settings of the limits (megapixels, pixels, kilobytes)
LIMIT_PARAMS = (
    "image_max_megapixels",
    "image_max_side_px",
    "signature_max_kb",
    "signature_max_megapixels",
)
MIMETYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
PHOTO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# the reader of each accepted format, used directly: Odoo has Pillow register only
# a few formats in its processes, and WebP is not among them
READERS = {
    "PNG": PngImagePlugin.PngImageFile,
    "JPEG": JpegImagePlugin.JpegImageFile,
    "GIF": GifImagePlugin.GifImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}
SIGNATURE_FORMATS = ("PNG", "JPEG")
# the files owners may attach, on the portal or by email to a property: photos
# and PDF documents, the type sniffed from the bytes (never the file name)
UPLOAD_MIMETYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/pdf",
    }
)
# the setting of the largest file an owner may attach, in megabytes
UPLOAD_MAX_MB_PARAM = "pm_customer_service.portal_attachment_max_mb"


class ImageRejected(Exception):
    """An upload that is not an acceptable image; ``reason`` is one of
    ``format``, ``pixels``, ``corrupt``."""

    def __init__(self, reason, width=0, height=0):
        super().__init__(reason)
        self.reason = reason
        self.width = width
        self.height = height


def sniff(data):
    """The image format of ``data`` from its magic bytes, or None."""
    head = bytes(data[:16])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def upload_mimetype(data):
    """The type of a file an owner attaches, sniffed from its bytes, when it is
    one of :data:`UPLOAD_MIMETYPES`; None otherwise (then refuse the file)."""
    mimetype = mimetypes.guess_mimetype(bytes(data or b""))
    return mimetype if mimetype in UPLOAD_MIMETYPES else None


def upload_max_bytes(env):
    """The largest file an owner may attach, in bytes (the setting)."""
    return int(settings.get(env, UPLOAD_MAX_MB_PARAM) * 1024 * 1024)


def open_bounded(data, formats, max_pixels):
    """Open ``data`` lazily (header only) and check its format and pixel count.

    :return: the PIL image, not decoded yet
    :raise ImageRejected: not one of ``formats``, too many pixels, unreadable
    """
    fmt = sniff(data)
    if fmt not in formats:
        raise ImageRejected("format")
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns below its limit and raises above it;
        # our limit is lower and checked right after from the same header
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = READERS[fmt](io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise ImageRejected("pixels") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected("corrupt") from exc
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected("corrupt")
    if width * height > max_pixels:
        raise ImageRejected("pixels", width, height)
    return image


def normalize(data, formats, max_pixels, max_side):
    """Check, decode once and downscale ``data`` to ``max_side`` pixels at most.

    :return: (bytes, mimetype) — the original bytes when no resizing was needed
    :raise ImageRejected:
    """
    image = open_bounded(data, formats, max_pixels)
    fmt = image.format
    resize = bool(max_side) and max(image.size) > max_side
    try:
        if fmt == "JPEG" and resize:
            # decode a big JPEG at a reduced scale directly: cheap
            image.draft("RGB", (max_side, max_side))
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejected("corrupt") from exc
    if not resize:
        return data, MIMETYPES[fmt]
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    Image.init()  # every save plugin, whatever opened the file
    image.save(output, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return output.getvalue(), MIMETYPES[fmt]


def get_params(env):
    """The limits of the configuration, by name (``image_max_side_px``...)."""
    return {
        name: settings.get(env, f"pm_customer_service.{name}") for name in LIMIT_PARAMS
    }


def check_image(env, data, name, signature=False):
    """Check an uploaded image the way every portal form and the signature does.

    :param name: what to call the file in the message (file name or "signature")
    :param signature: PNG/JPEG only with the signature's limits, never resized
    :return: (bytes, mimetype) to store
    :raise UserError: a translated message saying what is wrong
    """
    params = get_params(env)
    if signature:
        formats = SIGNATURE_FORMATS
        max_pixels = params["signature_max_megapixels"] * 1e6
        max_bytes = params["signature_max_kb"] * 1024
        max_side = 0
    else:
        formats = PHOTO_FORMATS
        max_pixels = params["image_max_megapixels"] * 1e6
        max_bytes = 0
        max_side = int(params["image_max_side_px"])
    if max_bytes and len(data) > max_bytes:
        raise UserError(
            env._(
                "%(name)s is too large (%(size)s KB at most).",
                name=name,
                size=int(max_bytes / 1024),
            )
        )
    try:
        return normalize(data, formats, max_pixels, max_side)
    except ImageRejected as exc:
        if exc.reason == "format":
            if signature:
                raise UserError(env._("%s must be a PNG or JPEG image.", name)) from exc
            raise UserError(
                env._(
                    "%s is not a PNG, JPEG, GIF or WebP image.",
                    name,
                )
            ) from exc
        if exc.reason == "pixels":
            raise UserError(
                env._(
                    "%(name)s has too many pixels (%(limit)s megapixels at most): "
                    "send a smaller picture.",
                    name=name,
                    limit=round(max_pixels / 1e6, 1),
                )
            ) from exc
        raise UserError(env._("%s could not be read as an image.", name)) from exc
