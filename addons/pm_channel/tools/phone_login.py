# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure rules of the owners' phone-number sign-in (issue 23, R-LOGIN-1): which
number an owner typed, the one-time code and its hash, when a code expires,
how many codes a number and an address may ask for, where the owner lands."""

import hashlib
import hmac
import secrets
import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from . import sms_rules

CODE_DIGITS = 6
# minutes a code is valid (the setting's default, Settings › Property Service)
DEFAULT_MINUTES = 5
MIN_MINUTES = 1
MAX_MINUTES = 30
# wrong codes before a code is spent: 5 guesses of 10**6 codes
MAX_ATTEMPTS = 5
# one code a minute per number (the providers' own pace for one number), five an
# hour per number, twenty an hour per address (a family or a guard house behind
# one address asks for a few; a script asking for many numbers is stopped)
NUMBER_PAUSE = timedelta(seconds=60)
NUMBER_PER_HOUR = 5
ADDRESS_PER_HOUR = 20
HOUR = timedelta(hours=1)

# verdicts of a request for a code
OK = "ok"
WAIT = "wait"  # the number asked less than a minute ago
NUMBER_HOUR = "number_hour"  # the number asked 5 times in the hour
ADDRESS_HOUR = "address_hour"  # the address asked 20 times in the hour

DEFAULT_REDIRECT = "/my"


def mobile(number):
    """The 11 digits of the mainland mobile number an owner typed, in any usual
    spelling (``+86 138 0013 8000``, ``0086-13800138000``, full-width digits of
    a Chinese keyboard); None when it is not one."""
    if not isinstance(number, str) or len(number) > 40:
        return None
    return sms_rules.cn_mobile(unicodedata.normalize("NFKC", number).strip())


def masked(number):
    """The number as the page shows it back: ``138****8000``."""
    return f"{number[:3]}****{number[-4:]}" if number and len(number) == 11 else ""


def new_code():
    """A random code of 6 digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(secret, salt, number, code):
    """What is stored of a code: a keyed hash (HMAC-SHA256 with the database's
    secret and the code's own salt), never the code."""
    message = f"{salt}:{number}:{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def code_matches(stored_hash, secret, salt, number, code):
    """Whether ``code`` (as the owner typed it) is the code of ``stored_hash``."""
    if not isinstance(code, str):
        return False
    code = unicodedata.normalize("NFKC", code).strip()
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return False
    return hmac.compare_digest(stored_hash or "", code_hash(secret, salt, number, code))


def minutes_setting(value):
    """The validity of a code in minutes from the setting's text; the default
    when it is not a number of minutes in the allowed range."""
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MINUTES
    return minutes if MIN_MINUTES <= minutes <= MAX_MINUTES else DEFAULT_MINUTES


def expires_at(sent_at, minutes):
    return sent_at + timedelta(minutes=minutes)


def is_expired(valid_until, now):
    """A code is valid up to its last second included."""
    return now > valid_until


def request_verdict(number_times, address_times, now):
    """Whether a number may be sent a code now, from the times it was asked for
    before (``number_times``) and the times the address asked for any number
    (``address_times``): ``(OK, 0)`` or ``(verdict, seconds to wait)``."""
    hour_ago = now - HOUR
    number_hour = sorted(t for t in number_times if t > hour_ago)
    address_hour = sorted(t for t in address_times if t > hour_ago)
    if number_hour and now - number_hour[-1] < NUMBER_PAUSE:
        return WAIT, _seconds(number_hour[-1] + NUMBER_PAUSE - now)
    if len(number_hour) >= NUMBER_PER_HOUR:
        return NUMBER_HOUR, _seconds(number_hour[-NUMBER_PER_HOUR] + HOUR - now)
    if len(address_hour) >= ADDRESS_PER_HOUR:
        return ADDRESS_HOUR, _seconds(address_hour[-ADDRESS_PER_HOUR] + HOUR - now)
    return OK, 0


def _seconds(delta):
    return max(1, int(-(-delta.total_seconds() // 1)))


def local_redirect(target):
    """Where an owner lands after signing in: ``target`` when it is a path of
    this site (``/my/cases/new?unit=…``), ``/my`` otherwise (another site, a
    scheme, ``//host``, a backslash or a control character)."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > 2000:
        return DEFAULT_REDIRECT
    if target.startswith(("//", "/\\")) or any(
        ord(char) < 32 or char == "\\" for char in target
    ):
        return DEFAULT_REDIRECT
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return DEFAULT_REDIRECT
    return target
