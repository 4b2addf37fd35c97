# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Loopback servers speaking the providers' real HTTP APIs for the SDKs: each
checks the request's signature the way the provider documents it, records the
messages it accepted and answers in the provider's format, error codes
included.

- Alibaba Cloud SMS (Dysmsapi 2017-05-25, RPC style, signature V3
  ACS3-HMAC-SHA256): https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
- Tencent Cloud SMS (API 2021-01-11, signature v3 TC3-HMAC-SHA256):
  https://cloud.tencent.com/document/api/382/52071
"""

import hashlib
import hmac
import json
import socket
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


def free_port():
    """A local port nobody listens on (a provider that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet test output
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        status, payload = self.server.provider.answer(self, body)
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class ProviderServer:
    """A provider on 127.0.0.1. ``fail`` maps a number to the error code (and
    message) the provider answers for it; ``down_status`` answers every call with
    that HTTP server error; ``calls`` are the accepted calls, ``sent`` the
    numbers of the messages sent, ``rejected`` the signatures refused."""

    def __init__(self, key_id, secret):
        self.key_id = key_id
        self.secret = secret
        self.fail = {}
        self.down_status = None
        self.calls = []
        self.sent = []
        self.rejected = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.provider = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%s" % self.httpd.server_address[1]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        self.fail = {}
        self.down_status = None
        self.calls = []
        self.sent = []
        self.rejected = []


class AliyunServer(ProviderServer):
    """Dysmsapi: SendSms (query parameters) and SendBatchSms (form body)."""

    SIGNED_REQUIRED = {
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    }

    @staticmethod
    def _encode(text):
        # RFC 3986: letters, digits, -_.~ kept, everything else %XX (space %20)
        return quote(text, safe="-_.~")

    def check_signature(self, handler, body):
        """The V3 signature: CanonicalRequest, then StringToSign, then
        HMAC-SHA256 with the AccessKey Secret (hex)."""
        auth = handler.headers.get("Authorization") or ""
        algorithm, _sep, rest = auth.partition(" ")
        if algorithm != "ACS3-HMAC-SHA256":
            return False
        parts = dict(item.split("=", 1) for item in rest.split(","))
        if parts.get("Credential") != self.key_id:
            return False
        signed = parts.get("SignedHeaders", "").split(";")
        if not self.SIGNED_REQUIRED <= set(signed) or signed != sorted(signed):
            return False
        if (
            handler.headers.get("x-acs-content-sha256")
            != hashlib.sha256(body).hexdigest()
        ):
            return False
        url = urlsplit(handler.path)
        query = sorted(parse_qsl(url.query, keep_blank_values=True))
        canonical_query = "&".join(
            f"{self._encode(key)}={self._encode(value)}" for key, value in query
        )
        canonical_headers = "".join(
            f"{name}:{(handler.headers.get(name) or '').strip()}\n" for name in signed
        )
        canonical_request = "\n".join(
            [
                handler.command,
                url.path or "/",
                canonical_query,
                canonical_headers,
                ";".join(signed),
                hashlib.sha256(body).hexdigest(),
            ]
        )
        string_to_sign = (
            "ACS3-HMAC-SHA256\n"
            + hashlib.sha256(canonical_request.encode()).hexdigest()
        )
        expected = hmac.new(
            self.secret.encode(), string_to_sign.encode(), hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts.get("Signature", ""))

    def answer(self, handler, body):
        request_id = str(uuid.uuid4()).upper()
        if self.down_status:
            return self.down_status, {
                "Code": "ServiceUnavailable",
                "Message": "The request has failed due to a temporary failure "
                "of the server.",
                "RequestId": request_id,
            }
        if not self.check_signature(handler, body):
            with self._lock:
                self.rejected.append(handler.headers.get("x-acs-action"))
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
                "RequestId": request_id,
            }
        action = handler.headers.get("x-acs-action")
        params = dict(parse_qsl(urlsplit(handler.path).query, keep_blank_values=True))
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
        if action == "SendSms":
            numbers = params["PhoneNumbers"].split(",")
            signs = [params["SignName"]] * len(numbers)
            values = [json.loads(params["TemplateParam"])] * len(numbers)
        elif action == "SendBatchSms":
            numbers = json.loads(params["PhoneNumberJson"])
            signs = json.loads(params["SignNameJson"])
            values = json.loads(params["TemplateParamJson"])
        else:
            return 404, {"Code": "InvalidAction.NotFound", "RequestId": request_id}
        for number in numbers:
            if number in self.fail:
                code, message = self.fail[number]
                return 200, {"Code": code, "Message": message, "RequestId": request_id}
        with self._lock:
            self.calls.append(
                {
                    "action": action,
                    "template": params["TemplateCode"],
                    "numbers": numbers,
                    "signs": signs,
                    "params": values,
                }
            )
            self.sent.extend(numbers)
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "BizId": "%s^0" % uuid.uuid4().int,
            "RequestId": request_id,
        }


class TencentServer(ProviderServer):
    """SMS 2021-01-11: SendSms, one status per number."""

    SERVICE = "sms"

    def check_signature(self, handler, body):
        """TC3-HMAC-SHA256: CanonicalRequest, StringToSign with the credential
        scope, then the key derived from the SecretKey, date and service."""
        auth = handler.headers.get("Authorization") or ""
        algorithm, _sep, rest = auth.partition(" ")
        if algorithm != "TC3-HMAC-SHA256":
            return False
        parts = dict(item.strip().split("=", 1) for item in rest.split(","))
        secret_id, date, service, terminal = parts.get("Credential", "////").split("/")
        timestamp = handler.headers.get("X-TC-Timestamp") or "0"
        day = datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%d")
        if (secret_id, service, terminal, date) != (
            self.key_id,
            self.SERVICE,
            "tc3_request",
            day,
        ):
            return False
        signed = parts.get("SignedHeaders", "").split(";")
        if "host" not in signed or "content-type" not in signed:
            return False
        url = urlsplit(handler.path)
        canonical_headers = "".join(
            f"{name}:{(handler.headers.get(name) or '').strip().lower()}\n"
            for name in signed
        )
        canonical_request = "\n".join(
            [
                handler.command,
                url.path or "/",
                url.query,
                canonical_headers,
                ";".join(signed),
                hashlib.sha256(body).hexdigest(),
            ]
        )
        scope = f"{date}/{service}/tc3_request"
        string_to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                timestamp,
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )

        def sign(key, text):
            return hmac.new(key, text.encode(), hashlib.sha256).digest()

        key = sign(("TC3" + self.secret).encode(), date)
        key = sign(key, service)
        key = sign(key, "tc3_request")
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("Signature", ""))

    def answer(self, handler, body):
        request_id = str(uuid.uuid4())
        if self.down_status:
            return self.down_status, {"message": "Service Unavailable"}
        if not self.check_signature(handler, body):
            with self._lock:
                self.rejected.append(handler.headers.get("X-TC-Action"))
            return 200, {
                "Response": {
                    "Error": {
                        "Code": "AuthFailure.SignatureFailure",
                        "Message": "The provided credentials could not be validated. "
                        "Please check your signature is correct.",
                    },
                    "RequestId": request_id,
                }
            }
        if handler.headers.get("X-TC-Action") != "SendSms":
            return 200, {
                "Response": {
                    "Error": {"Code": "InvalidAction", "Message": "unknown action"},
                    "RequestId": request_id,
                }
            }
        params = json.loads(body)
        statuses = []
        for number in params["PhoneNumberSet"]:
            code, message = self.fail.get(number, ("Ok", "send success"))
            statuses.append(
                {
                    "SerialNo": "2645:%s" % uuid.uuid4().int,
                    "PhoneNumber": number,
                    "Fee": 1 if code == "Ok" else 0,
                    "SessionContext": params.get("SessionContext", ""),
                    "Code": code,
                    "Message": message,
                    "IsoCode": "CN",
                }
            )
        sent = [s["PhoneNumber"] for s in statuses if s["Code"] == "Ok"]
        with self._lock:
            self.calls.append(
                {
                    "action": "SendSms",
                    "app": params.get("SmsSdkAppId"),
                    "sign": params.get("SignName"),
                    "template": params.get("TemplateId"),
                    "params": params.get("TemplateParamSet"),
                    "numbers": params["PhoneNumberSet"],
                }
            )
            self.sent.extend(sent)
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}
