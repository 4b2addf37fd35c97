# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure rules of the WeChat Official Account (issue 23): which answers of
WeChat's API are worth a retry, how long the queue waits before the next try,
the proof that signs an owner in by their openid, the data of a template
message."""

import hashlib
import hmac
import time
from datetime import timedelta

SENT = "sent"
RETRY = "retry"
ERROR = "error"

# first retry after a minute, then twice as long each time, at most every 6 hours:
# a message WeChat could not take now is never given up (nothing lost)
RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)

# WeChat's global error codes that say "not now": the system is busy, the
# access token expired or was refused while fetched again, a quota was reached
# (it renews), the call timed out. ``None``: no answer (network, HTTP error).
RETRY_CODES = {
    None,
    -1,  # system busy
    40001,  # invalid credential (access token)
    40014,  # invalid access token
    42001,  # access token expired
    45009,  # daily API quota reached
    45011,  # API calls too frequent
    45047,  # too many messages to the user at once
}
# permanent answers: the message is failed and the owner reached another way
FAILURE_CODES = {
    40003,  # invalid openid
    40013,  # invalid AppID
    40036,  # invalid template_id size
    40037,  # invalid template_id
    40125,  # invalid AppSecret
    40164,  # the server's address is not on the account's IP whitelist
    43004,  # the owner does not follow the account (unsubscribed)
    43101,  # the owner refused the account's messages
    47001,  # malformed data
    47003,  # template data not accepted
}

# an owner's openid sign-in proof is valid for this long after the OAuth answer
PROOF_SECONDS = 300


def verdict(errcode):
    """What the queue does with WeChat's answer ``errcode`` (0: sent, ``None``:
    no answer): ``SENT``, ``RETRY`` or ``ERROR``. A code WeChat does not
    document as permanent is retried: the staff see it waiting in the queue."""
    if errcode == 0:
        return SENT
    if errcode in FAILURE_CODES:
        return ERROR
    return RETRY


def retry_delay(attempts):
    """The wait before the next try after ``attempts`` failed tries."""
    if attempts < 1:
        return RETRY_FIRST
    factor = 2 ** min(attempts - 1, 16)
    return min(RETRY_FIRST * factor, RETRY_CAP)


def sign_in_proof(secret, company_id, openid, stamp=None):
    """The proof, made by the server once WeChat told it the openid of a
    visitor, that the sign-in credential carries: a keyed hash of the company,
    the openid and the time (the credential is never built from what a browser
    sends)."""
    stamp = int(time.time()) if stamp is None else int(stamp)
    message = f"{company_id}:{openid}:{stamp}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{stamp}.{digest}"


def proof_valid(secret, company_id, openid, proof, now=None):
    """Whether ``proof`` is a proof of ``sign_in_proof`` for the company and
    openid made less than ``PROOF_SECONDS`` ago."""
    if not isinstance(proof, str) or "." not in proof or not openid:
        return False
    stamp, _sep, _digest = proof.partition(".")
    if not stamp.isdigit():
        return False
    now = time.time() if now is None else now
    if not 0 <= now - int(stamp) <= PROOF_SECONDS:
        return False
    expected = sign_in_proof(secret, company_id, openid, stamp)
    return hmac.compare_digest(expected, proof)


def template_data(lines, values):
    """The ``data`` of a template message: ``lines`` are ``(key, value key)``
    (``keyword1``, ``case_number``), a value the event does not know is
    empty; WeChat cuts long values, we cut at its 200 characters."""
    return {key: {"value": str(values.get(value) or "")[:200]} for key, value in lines}
