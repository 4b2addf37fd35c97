# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's WeChat Official Account through ``wechatpy``: its API client
(access token kept on the company, so the queue's runs share one token instead
of asking WeChat for a new one each run, which WeChat counts), and its OAuth.
Both take the API's address from the company: empty, WeChat's public API."""

import time

from wechatpy import WeChatClient, WeChatOAuth
from wechatpy.session import SessionStorage

API_BASE = "https://api.weixin.qq.com/"
# seconds a call to WeChat may take before the queue tries again later
TIMEOUT = 10


def api_base(endpoint):
    """The API's root URL (``https://api.weixin.qq.com/``) from the company's
    endpoint setting (empty, a host name or a URL)."""
    endpoint = (endpoint or "").strip()
    if not endpoint:
        return API_BASE
    if "://" not in endpoint:
        endpoint = "https://" + endpoint
    return endpoint.rstrip("/") + "/"


class CompanyTokenStorage(SessionStorage):
    """wechatpy's session storage on the company's fields (sudo): the access
    token and the time it expires."""

    def __init__(self, company):
        self.company = company.sudo()

    def get(self, key, default=None):
        company = self.company
        expires = company.pm_wechat_token_expires or 0
        if company.pm_wechat_access_token and expires - time.time() > 60:
            return company.pm_wechat_access_token
        return default

    def set(self, key, value, ttl=None):
        self.company.write(
            {
                "pm_wechat_access_token": value,
                "pm_wechat_token_expires": int(time.time()) + int(ttl or 7200),
            }
        )

    def delete(self, key):
        self.company.write(
            {"pm_wechat_access_token": False, "pm_wechat_token_expires": 0}
        )


class PmWeChatClient(WeChatClient):
    """wechatpy's client on the company's API address: its token URL is fixed
    in wechatpy, taken here from the same address."""

    def __init__(self, company, base):
        self.API_BASE_URL = base + "cgi-bin/"
        super().__init__(
            company.pm_wechat_app_id,
            company.pm_wechat_app_secret,
            session=CompanyTokenStorage(company),
            timeout=TIMEOUT,
        )

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret,
            },
        )


def client(company):
    company = company.sudo()
    return PmWeChatClient(company, api_base(company.pm_wechat_endpoint))


class PmWeChatOAuth(WeChatOAuth):
    """wechatpy's OAuth, with a time limit on its calls (an owner waits)."""

    def _request(self, method, url_or_endpoint, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super()._request(method, url_or_endpoint, **kwargs)


def oauth(company, redirect_uri, state):
    """wechatpy's OAuth (网页授权, ``snsapi_base``: the openid only, no consent
    page) on the company's API address."""
    company = company.sudo()
    auth = PmWeChatOAuth(
        company.pm_wechat_app_id,
        company.pm_wechat_app_secret,
        redirect_uri,
        scope="snsapi_base",
        state=state,
    )
    auth.API_BASE_URL = api_base(company.pm_wechat_endpoint)
    return auth
