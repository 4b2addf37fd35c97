# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's SMS API (``res.company._get_sms_api_class``) on the Chinese providers'
own SDKs. A Chinese provider sends approved templates with variables only: each
``sms.sms`` of an owner event carries its template code and parameters
(``pm_template_code``, ``pm_template_params``); the queue (``sms.sms``) calls
``_pm_send_group`` once per group of ``_pm_groups`` and reads what each message
became with ``sms_rules.verdict``."""

import json
import logging
from urllib.parse import urlsplit

from odoo.addons.sms.tools.sms_api import SmsApiBase

from . import sms_rules

_logger = logging.getLogger(__name__)

# seconds: a slow provider leaves the message in the queue, no user waits for it
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10


def split_endpoint(endpoint, default_host):
    """``(scheme, host[:port])`` of a configured endpoint: a host name (HTTPS) or
    a URL; the provider's public host when empty."""
    endpoint = (endpoint or "").strip()
    if not endpoint:
        return "https", default_host
    if "://" not in endpoint:
        return "https", endpoint.rstrip("/")
    parts = urlsplit(endpoint)
    return parts.scheme or "https", parts.netloc


class Outcome:
    """What the provider said of one message."""

    __slots__ = ("code", "message", "ref", "sms", "status")

    def __init__(self, sms, code, message="", ref="", status=None):
        self.sms = sms
        self.code = code
        self.message = message
        self.ref = ref
        self.status = status


class PmSmsApi(SmsApiBase):
    """Common ground of the Chinese providers."""

    provider = None
    # messages of one API call
    batch_limit = 1

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        """Free text (Odoo's composer, an ``sms.template``) is never sent by a
        Chinese provider: each message fails as "template not approved"."""
        return [
            {"uuid": number["uuid"], "state": "pm_free_text"}
            for message in messages
            for number in message["numbers"]
        ]

    def _pm_account(self):
        return (self.company or self.env.company).sudo()

    def _pm_key(self, sms):
        """Messages with the same key may go in one call."""
        return sms.pm_template_code

    def _pm_groups(self, sms_records):
        """The messages of ``sms_records`` grouped by API call."""
        groups = {}
        for sms in sms_records:
            groups.setdefault(self._pm_key(sms), []).append(sms)
        for group in groups.values():
            for start in range(0, len(group), self.batch_limit):
                yield group[start : start + self.batch_limit]

    def _pm_send_group(self, group):
        """Send one group; one ``Outcome`` per message."""
        raise NotImplementedError()


class AliyunSmsApi(PmSmsApi):
    """Alibaba Cloud SMS (短信服务, Dysmsapi 2017-05-25): SendSms for one message,
    SendBatchSms for up to 100 of the same template."""

    provider = "aliyun"
    batch_limit = 100
    DEFAULT_HOST = "dysmsapi.aliyuncs.com"

    def _pm_client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        account = self._pm_account()
        scheme, host = split_endpoint(account.pm_sms_endpoint, self.DEFAULT_HOST)
        return Client(
            Config(
                access_key_id=account.pm_sms_key_id,
                access_key_secret=account.pm_sms_key_secret,
                region_id=account.pm_sms_region or "cn-hangzhou",
                endpoint=host,
                protocol=scheme,
            )
        )

    def _pm_send_group(self, group):
        from alibabacloud_dysmsapi20170525 import models as sms_models
        from darabonba.runtime import RuntimeOptions

        account = self._pm_account()
        runtime = RuntimeOptions(
            autoretry=False,
            connect_timeout=CONNECT_TIMEOUT * 1000,
            read_timeout=READ_TIMEOUT * 1000,
        )
        numbers = [sms_rules.cn_mobile(sms.number) for sms in group]
        try:
            client = self._pm_client()
            if len(group) == 1:
                response = client.send_sms_with_options(
                    sms_models.SendSmsRequest(
                        phone_numbers=numbers[0],
                        sign_name=account.pm_sms_sign_name,
                        template_code=group[0].pm_template_code,
                        template_param=group[0].pm_template_params or "{}",
                        out_id=group[0].uuid,
                    ),
                    runtime,
                )
            else:
                response = client.send_batch_sms_with_options(
                    sms_models.SendBatchSmsRequest(
                        phone_number_json=json.dumps(numbers),
                        sign_name_json=json.dumps(
                            [account.pm_sms_sign_name] * len(group), ensure_ascii=False
                        ),
                        template_code=group[0].pm_template_code,
                        template_param_json=json.dumps(
                            [
                                json.loads(sms.pm_template_params or "{}")
                                for sms in group
                            ],
                            ensure_ascii=False,
                        ),
                    ),
                    runtime,
                )
        except Exception as error:  # any failure of the call is an outcome
            inner = getattr(error, "inner_exception", None) or error
            code = getattr(inner, "code", None)
            data = getattr(inner, "data", None) or {}
            status = data.get("statusCode") if isinstance(data, dict) else None
            message = (data.get("Message") if isinstance(data, dict) else None) or str(
                inner
            )
            _logger.info(
                "Alibaba Cloud SMS: %s messages not sent: %s", len(group), inner
            )
            return [
                Outcome(
                    sms,
                    code if code not in ("None", "") else None,
                    message,
                    status=status,
                )
                for sms in group
            ]
        body = response.body
        return [
            Outcome(sms, body.code, body.message or "", body.biz_id or "")
            for sms in group
        ]


class TencentSmsApi(PmSmsApi):
    """Tencent Cloud SMS (短信, API 2021-01-11): SendSms for up to 200 numbers of
    the same template and parameters, one status per number."""

    provider = "tencent"
    batch_limit = 200
    DEFAULT_HOST = "sms.tencentcloudapi.com"

    def _pm_key(self, sms):
        return (sms.pm_template_code, sms.pm_template_params)

    def _pm_client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        account = self._pm_account()
        scheme, host = split_endpoint(account.pm_sms_endpoint, self.DEFAULT_HOST)
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=READ_TIMEOUT)
        profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http)
        return sms_client.SmsClient(
            credential.Credential(account.pm_sms_key_id, account.pm_sms_key_secret),
            account.pm_sms_region or "ap-guangzhou",
            profile,
        )

    def _pm_send_group(self, group):
        from tencentcloud.sms.v20210111 import models as sms_models

        account = self._pm_account()
        request = sms_models.SendSmsRequest()
        request.SmsSdkAppId = account.pm_sms_sdk_app_id
        request.SignName = account.pm_sms_sign_name
        request.TemplateId = group[0].pm_template_code
        request.TemplateParamSet = [
            str(value) for value in json.loads(group[0].pm_template_params or "[]")
        ]
        request.PhoneNumberSet = [
            "+86" + sms_rules.cn_mobile(sms.number) for sms in group
        ]
        request.SessionContext = group[0].uuid
        try:
            response = self._pm_client().SendSms(request)
        except Exception as error:  # any failure of the call is an outcome
            code = getattr(error, "code", None)
            message = getattr(error, "message", None) or str(error)
            _logger.info(
                "Tencent Cloud SMS: %s messages not sent: %s", len(group), error
            )
            return [Outcome(sms, code, message) for sms in group]
        by_number = {
            status.PhoneNumber: status for status in response.SendStatusSet or []
        }
        outcomes = []
        for sms, number in zip(group, request.PhoneNumberSet, strict=True):
            status = by_number.get(number)
            if status is None:
                # not in the answer: not sent, try again
                outcomes.append(Outcome(sms, None, ""))
            else:
                outcomes.append(
                    Outcome(
                        sms, status.Code, status.Message or "", status.SerialNo or ""
                    )
                )
        return outcomes


PROVIDER_APIS = {"aliyun": AliyunSmsApi, "tencent": TencentSmsApi}
