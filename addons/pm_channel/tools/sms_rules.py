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

# permanent answers, as Odoo's failure types of an SMS (shown on the message);
# any other permanent code is "unknown" with the provider's own words
ALIYUN_FAILURES = {
    "isv.MOBILE_NUMBER_ILLEGAL": "sms_number_format",
    "isv.MOBILE_COUNT_OVER_LIMIT": "sms_number_format",
    "isv.AMOUNT_NOT_ENOUGH": "sms_credit",
    "isv.OUT_OF_SERVICE": "sms_credit",
    "isv.DAY_LIMIT_CONTROL": "sms_credit",
    "isv.SMS_TEMPLATE_ILLEGAL": "pm_sms_template",
    "isv.TEMPLATE_MISSING_PARAMETERS": "pm_sms_template",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "pm_sms_template",
    "isv.INVALID_JSON_PARAM": "pm_sms_template",
    "isv.SMS_SIGNATURE_ILLEGAL": "sms_acc",
    "isv.ACCOUNT_NOT_EXISTS": "sms_acc",
    "isv.ACCOUNT_ABNORMAL": "sms_acc",
    "isp.RAM_PERMISSION_DENY": "sms_acc",
    "InvalidAccessKeyId.NotFound": "sms_acc",
    "SignatureDoesNotMatch": "sms_acc",
}
TENCENT_FAILURES = {
    "InvalidParameterValue.IncorrectPhoneNumber": "sms_number_format",
    "UnsupportedOperation.UnsupportedRegion": "sms_country_not_supported",
    "FailedOperation.InsufficientBalanceInSmsPackage": "sms_credit",
    "LimitExceeded.PhoneNumberDailyLimit": "sms_credit",
    "LimitExceeded.AppDailyLimit": "sms_credit",
    "FailedOperation.TemplateIncorrectOrUnapproved": "pm_sms_template",
    "InvalidParameterValue.TemplateParameterFormatError": "pm_sms_template",
    "InvalidParameterValue.TemplateParameterLengthLimit": "pm_sms_template",
    "FailedOperation.ContainSensitiveWord": "pm_sms_template",
    "FailedOperation.SignatureIncorrectOrUnapproved": "sms_acc",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": "sms_acc",
    "AuthFailure.SecretIdNotFound": "sms_acc",
    "AuthFailure.SignatureFailure": "sms_acc",
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
    message: ``(SENT, False)``, ``(RETRY, False)`` or ``(ERROR, failure_type)``.
    No code (no answer: the provider is down, a timeout) and a server error
    (HTTP ``status`` 5xx) are a retry."""
    if not code or (status or 0) >= 500:
        return RETRY, False
    if provider == "aliyun":
        if code == "OK":
            return SENT, False
        if code in ALIYUN_RETRY_CODES:
            return RETRY, False
        return ERROR, ALIYUN_FAILURES.get(code, "unknown")
    if code == "Ok":
        return SENT, False
    if code in TENCENT_RETRY_CODES or code.startswith(TENCENT_RETRY_PREFIXES):
        return RETRY, False
    return ERROR, TENCENT_FAILURES.get(code, "unknown")


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
