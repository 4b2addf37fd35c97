# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure rules of the owners' SMS (issue 23): which provider answers are worth a
retry, how long the queue waits before it tries again, which numbers a Chinese
provider takes."""

import re
from datetime import timedelta

SENT = "sent"
RETRY = "retry"
ERROR = "error"

# first retry after a minute, then twice as long each time, at most every 6 hours:
# a message is never given up (nothing lost), staff see it waiting in the queue
RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)

# why a message failed for good, and Odoo's failure type of the SMS for it
NUMBER = "number"
CREDIT = "credit"
ACCOUNT = "account"
TEMPLATE = "template"
OTHER = "other"
FAILURE_TYPES = {
    NUMBER: "sms_number_format",
    CREDIT: "sms_credit",
    ACCOUNT: "sms_acc",
    TEMPLATE: "unknown",
    OTHER: "unknown",
}

# answers that say "not now": the provider is down, busy or throttling us
ALIYUN_RETRY_CODES = {
    "isp.SYSTEM_ERROR",
    "isv.BUSINESS_LIMIT_CONTROL",
    "ServiceUnavailable",
    "InternalError",
    "Throttling",
    "Throttling.Api",
    "Throttling.User",
    "SignatureNonceUsed",
}
TENCENT_RETRY_CODES = {
    "RequestLimitExceeded",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit",
    "ClientNetworkError",
    "ServerNetworkError",
}
TENCENT_RETRY_PREFIXES = ("InternalError",)

# permanent answers, by their reason (REASONS); any other permanent code is
# "other", told with the provider's own words
ALIYUN_FAILURES = {
    "isv.MOBILE_NUMBER_ILLEGAL": NUMBER,
    "isv.MOBILE_COUNT_OVER_LIMIT": NUMBER,
    "isv.AMOUNT_NOT_ENOUGH": CREDIT,
    "isv.OUT_OF_SERVICE": CREDIT,
    "isv.DAY_LIMIT_CONTROL": CREDIT,
    "isv.SMS_TEMPLATE_ILLEGAL": TEMPLATE,
    "isv.TEMPLATE_MISSING_PARAMETERS": TEMPLATE,
    "isv.TEMPLATE_PARAMS_ILLEGAL": TEMPLATE,
    "isv.INVALID_JSON_PARAM": TEMPLATE,
    "isv.SMS_SIGNATURE_ILLEGAL": ACCOUNT,
    "isv.ACCOUNT_NOT_EXISTS": ACCOUNT,
    "isv.ACCOUNT_ABNORMAL": ACCOUNT,
    "isp.RAM_PERMISSION_DENY": ACCOUNT,
    "InvalidAccessKeyId.NotFound": ACCOUNT,
    "SignatureDoesNotMatch": ACCOUNT,
}
TENCENT_FAILURES = {
    "InvalidParameterValue.IncorrectPhoneNumber": NUMBER,
    "UnsupportedOperation.UnsupportedRegion": NUMBER,
    "FailedOperation.InsufficientBalanceInSmsPackage": CREDIT,
    "LimitExceeded.PhoneNumberDailyLimit": CREDIT,
    "LimitExceeded.AppDailyLimit": CREDIT,
    "FailedOperation.TemplateIncorrectOrUnapproved": TEMPLATE,
    "InvalidParameterValue.TemplateParameterFormatError": TEMPLATE,
    "InvalidParameterValue.TemplateParameterLengthLimit": TEMPLATE,
    "FailedOperation.ContainSensitiveWord": TEMPLATE,
    "FailedOperation.SignatureIncorrectOrUnapproved": ACCOUNT,
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": ACCOUNT,
    "AuthFailure.SecretIdNotFound": ACCOUNT,
    "AuthFailure.SignatureFailure": ACCOUNT,
}

CN_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def retry_delay(attempts):
    """How long a message waits after its ``attempts``-th failed try (1, 2, ...)
    before the queue tries it again: 1, 2, 4, ... minutes, at most 6 hours."""
    if attempts <= 0:
        return timedelta(0)
    # 2**9 minutes is already past the cap: no huge powers for old messages
    return min(RETRY_FIRST * 2 ** min(attempts - 1, 9), RETRY_CAP)


def verdict(provider, code, status=None):
    """What an answer ``code`` of ``provider`` ("aliyun", "tencent") means for a
    message: ``(SENT, False)``, ``(RETRY, False)`` or ``(ERROR, reason)``
    (``FAILURE_TYPES``).
    No code (no answer: the provider is down, a timeout) and a server error
    (HTTP ``status`` 5xx) are a retry."""
    if not code or (status or 0) >= 500:
        return RETRY, False
    if provider == "aliyun":
        if code == "OK":
            return SENT, False
        if code in ALIYUN_RETRY_CODES:
            return RETRY, False
        return ERROR, ALIYUN_FAILURES.get(code, OTHER)
    if code == "Ok":
        return SENT, False
    if code in TENCENT_RETRY_CODES or code.startswith(TENCENT_RETRY_PREFIXES):
        return RETRY, False
    return ERROR, TENCENT_FAILURES.get(code, OTHER)


def cn_mobile(number):
    """The 11 digits of a mainland mobile number written in any usual way
    (``+86 138 0013 8000``, ``0086-13800138000``, ``13800138000``); None when
    ``number`` is not one."""
    digits = re.sub(r"[\s\-()]", "", number or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if CN_MOBILE_RE.match(digits) else None


# what the providers take in a template's variables (their template rules):
# Alibaba Cloud, a notification template: each value 1 to 35 characters (more
# only once the provider lifted the limit for the template); Tencent Cloud, an
# enterprise account (the only kind that sends to the mainland): no limit per
# value. Both: the whole message, signature and values included, at most 500
# characters (a Chinese character, letter, digit or space is one).
PARAM_MAX = {"aliyun": 35, "tencent": None}
MESSAGE_MAX = 500


def too_long(provider, params, sign_name=""):
    """The first value of ``params`` (``[(variable, value)]``) the provider
    would refuse for its length: ``(variable, length, limit)``; the values
    together with the signature (``variable`` None) past the message limit; or
    None when all fit."""
    limit = PARAM_MAX.get(provider)
    if limit:
        for name, value in params:
            if len(value) > limit:
                return name, len(value), limit
    # the signature goes in 【】 in front of the text
    total = len(sign_name or "") + 2 + sum(len(value) for _name, value in params)
    if total > MESSAGE_MAX:
        return None, total, MESSAGE_MAX
    return None
