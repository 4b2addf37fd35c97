# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules of the owner's portal pages, as pure functions of plain values: the
appointment slot an owner books (R-INTAKE-2, R-TZ-1) and the progress timeline
shown on a case or a repair order; and how the forms an owner posts are
routed, with the limits of the files they carry (SPEC §10)."""

import re
from datetime import time

from odoo import http
from odoo.http import request

from . import clock, images

# time windows an owner can book, local time of the property
APPOINTMENT_WINDOWS = [
    ("morning", "09:00-12:00"),
    ("afternoon", "14:00-18:00"),
    ("evening", "18:00-20:00"),
]
WINDOW_HOURS = {
    "morning": (9, 12),
    "afternoon": (14, 18),
    "evening": (18, 20),
}
PHONE_CHARS_RE = re.compile(r"[^0-9+]")
# the files an owner attaches to one form: how many (their kinds and the size of
# each: images.UPLOAD_MIMETYPES, images.upload_max_bytes)
MAX_FILES = 5
# what the rest of an upload form (texts, the parts' headers) adds to its files
FORM_ALLOWANCE_BYTES = 1024 * 1024
# the routing key naming the controller method that shows an upload form again
# with its error when the request is larger than the form takes (pm_base ir.http)
UPLOAD_REFUSED = "pm_upload_refused"


def upload_body_max_bytes(file_max_bytes):
    """The largest request an upload form takes: all its files, each at the
    limit, and the rest of the form. Each file above the limit is refused by
    the controller with the form's message; a request above this total is
    refused before the controller reads it."""
    return MAX_FILES * file_max_bytes + FORM_ALLOWANCE_BYTES


def _upload_request_limit(controller):
    # the route's max_content_length: Odoo calls it with the controller
    return upload_body_max_bytes(images.upload_max_bytes(request.env))


def upload_routing(refused):
    """The routing of a form that uploads files: the request may carry the
    form's files, each of the documented size (the setting), and the method
    ``refused`` of the controller (called with the route's arguments) shows the
    form again with its error when the request is larger."""
    return {"max_content_length": _upload_request_limit, UPLOAD_REFUSED: refused}


def owner_form_route(path, upload=None):
    """The route of a form posted from the owner's portal pages or from a link
    of an email: open to visitors (the controller checks the token or the
    login), POST only, on the website.

    :param upload: for a form that uploads files, the controller method that
        shows the form again with the error of a request too large
        (:func:`upload_routing`)
    """
    return http.route(
        [path],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        **(upload_routing(upload) if upload else {}),
    )


def appointment_slot(day, window, tz_name, now):
    """The booked slot as naive UTC datetimes.

    :param day: ``date`` chosen by the owner (local date of the property)
    :param window: key of ``WINDOW_HOURS``
    :param tz_name: time zone of the property
    :param now: naive UTC datetime of the request
    :return: ``(start, stop, error)``; ``error`` is ``"window"`` (unknown window) or
        ``"past"`` (the window has started already), else ``None``
    """
    if window not in WINDOW_HOURS:
        return None, None, "window"
    start_hour, stop_hour = WINDOW_HOURS[window]
    start_utc = clock.to_utc(day, tz_name, time(start_hour))
    stop_utc = clock.to_utc(day, tz_name, time(stop_hour))
    if start_utc <= now:
        return start_utc, stop_utc, "past"
    return start_utc, stop_utc, None


def phone_href(phone):
    """``tel:`` target of a displayed number: digits and a leading plus only."""
    return PHONE_CHARS_RE.sub("", phone or "")


def progress_steps(steps):
    """Mark the steps of a timeline: every step up to the last one reached is
    done, the next one is current.

    :param steps: list of ``(label, local time text, reached)``
    :return: list of dicts ``label``, ``when``, ``done``, ``current``
    """
    last = max((i for i, step in enumerate(steps) if step[2]), default=-1)
    return [
        {
            "label": label,
            "when": when if i <= last else "",
            "done": i <= last,
            "current": i == last + 1,
        }
        for i, (label, when, _reached) in enumerate(steps)
    ]
