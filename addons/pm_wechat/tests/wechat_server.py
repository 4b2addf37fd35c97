# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A loopback server speaking WeChat's Official Account API as wechatpy calls
it, answering in WeChat's format (``errcode``/``errmsg`` JSON, HTTP 200 even for
errors, as WeChat does):

- ``GET /cgi-bin/token``: the access token (client_credential);
- ``POST /cgi-bin/message/template/send?access_token=``: a template message;
- ``GET /sns/oauth2/access_token``: an OAuth code exchanged for the openid;
- ``GET /connect/oauth2/authorize``: WeChat's authorize page (in a browser), the
  visitor sent back (302) to ``redirect_uri`` with a new ``code`` and ``state``.

https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
"""

import itertools
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet test output
        pass

    def _answer(self, body=b""):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        status, payload = self.server.wechat.answer(self.command, url.path, query, body)
        if status == 302:
            self.send_response(302)
            self.send_header("Location", payload["location"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._answer()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length))


class WeChatServer:
    """WeChat on 127.0.0.1 for one account (``app_id``, ``secret``).

    ``codes``: OAuth code → openid (a code is spent once); ``fail``: openid →
    (errcode, errmsg) of a template message to it; ``busy``: every call answers
    ``-1 system error``; ``token_fetches`` counts the tokens given, ``sent`` the
    template messages accepted (their JSON); ``visitor``: the openid of whoever
    opens the authorize page in a browser (a code for it is made there)."""

    def __init__(self, app_id, secret):
        self.app_id = app_id
        self.secret = secret
        self._msgids = itertools.count(200228332)
        self._lock = threading.Lock()
        self.reset()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.wechat = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%s" % self.httpd.server_address[1]

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        self.codes = {}
        self.fail = {}
        self.busy = False
        self.tokens = set()
        self.token_fetches = 0
        self.sent = []
        self.oauth_calls = []
        self.visitor = None
        self.authorized = []

    def expire_tokens(self):
        self.tokens.clear()

    def answer(self, method, path, query, body):
        with self._lock:
            if self.busy:
                return 200, {"errcode": -1, "errmsg": "system error"}
            if method == "GET" and path == "/cgi-bin/token":
                return 200, self._token(query)
            if method == "POST" and path == "/cgi-bin/message/template/send":
                return 200, self._template_send(query, body)
            if method == "GET" and path == "/sns/oauth2/access_token":
                return 200, self._oauth(query)
            if method == "GET" and path == "/connect/oauth2/authorize":
                return self._authorize(query)
            return 404, {"errcode": 404, "errmsg": "not found"}

    def _token(self, query):
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != self.app_id:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = secrets.token_urlsafe(32)
        self.tokens.add(token)
        self.token_fetches += 1
        return {"access_token": token, "expires_in": 7200}

    def _template_send(self, query, body):
        if query.get("access_token") not in self.tokens:
            return {
                "errcode": 40001,
                "errmsg": "invalid credential, access_token is invalid or not latest",
            }
        try:
            message = json.loads(body.decode())
        except ValueError:
            return {"errcode": 47001, "errmsg": "data format error"}
        if not message.get("touser") or not message.get("template_id"):
            return {"errcode": 47001, "errmsg": "data format error"}
        failure = self.fail.get(message["touser"])
        if failure:
            return {"errcode": failure[0], "errmsg": failure[1]}
        self.sent.append(message)
        return {"errcode": 0, "errmsg": "ok", "msgid": next(self._msgids)}

    def _oauth(self, query):
        self.oauth_calls.append(query)
        if query.get("appid") != self.app_id or query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if query.get("grant_type") != "authorization_code":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        openid = self.codes.pop(query.get("code"), None)
        if not openid:
            return {"errcode": 40029, "errmsg": "invalid code"}
        return {
            "access_token": secrets.token_urlsafe(32),
            "expires_in": 7200,
            "refresh_token": secrets.token_urlsafe(32),
            "openid": openid,
            "scope": "snsapi_base",
        }

    def _authorize(self, query):
        """What WeChat's in-app browser does on the authorize page of a
        ``snsapi_base`` sign-in: no consent asked, straight back to the
        ``redirect_uri`` with a code (spent once) and the ``state`` unchanged."""
        self.authorized.append(query)
        if query.get("appid") != self.app_id:
            return 200, {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("response_type") != "code" or not query.get("redirect_uri"):
            return 200, {"errcode": 40003, "errmsg": "invalid redirect_uri"}
        if not self.visitor:
            return 200, {"errcode": 40163, "errmsg": "no WeChat user"}
        code = secrets.token_urlsafe(24)
        self.codes[code] = self.visitor
        back = urlsplit(query["redirect_uri"])
        params = parse_qs(back.query)
        params.update({"code": [code], "state": [query.get("state", "")]})
        location = back._replace(query=urlencode(params, doseq=True)).geturl()
        return 302, {"location": location}
