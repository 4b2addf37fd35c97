# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A default installation is safe: the database made the way scripts/setup makes
it (the committed odoo.conf, the addons with demo data) offers no database manager
(back up, duplicate, delete) over the web, no sign-up to strangers, and its master
password is this installation's own: random, printed once, never committed."""

import configparser
import json
import os
import re
import subprocess
import tempfile

from passlib.context import CryptContext

from odoo.tests import HttpCase, tagged
from odoo.tools import config, mute_logger

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD_LINE = re.compile(r"master password of this installation[^:]*: (\S+)")


@tagged("standard", "post_install")
class TestSafeDefaults(HttpCase):
    def test_no_database_manager(self):
        self.assertFalse(config["list_db"])
        self.assertFalse(config.verify_admin_password("admin"))
        for path in ("/web/database/manager", "/web/database/selector"):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn("Backup", response.text, path)
        # its functions are closed over JSON-RPC too, whatever the password (Odoo 19
        # still serves /jsonrpc, with a deprecation warning on every call)
        for method, args in (("list", []), ("drop", ["admin", self.env.cr.dbname])):
            with mute_logger(
                "odoo.service.db", "odoo.http", "odoo.addons.rpc.controllers.jsonrpc"
            ):
                error = self._jsonrpc_error("db", method, args)
            self.assertIn("AccessDenied", error, method)
        self.assertIn(self.env.cr.dbname, self._databases())

    def _jsonrpc_error(self, service, method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"service": service, "method": method, "args": args},
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json().get("error", {}).get("data", {}).get("name", "")

    def _databases(self):
        self.env.cr.execute("SELECT datname FROM pg_database")
        return {name for (name,) in self.env.cr.fetchall()}

    def test_login_page_links_nothing_unsafe(self):
        page = self.url_open("/web/login").text
        self.assertIn('name="login"', page)
        for link in ("/web/database/manager", "/web/database/selector", "/web/signup"):
            self.assertNotIn(link, page)
        # nor Odoo's promotion: the page is the company's
        self.assertNotIn("Powered by", page)
        self.assertNotIn("odoo.com", page)

    def test_no_public_signup(self):
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("auth_signup.invitation_scope"), "b2b")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.auth_signup_uninvited, "b2b")
        self.assertEqual(self.url_open("/web/signup").status_code, 404)
        # a company may still switch free sign-up on in Settings
        settings.auth_signup_uninvited = "b2c"
        settings.execute()
        self.assertEqual(self.url_open("/web/signup").status_code, 200)

    def test_committed_configuration(self):
        parser = configparser.RawConfigParser()
        parser.read(os.path.join(ROOT, "odoo.conf"))
        self.assertEqual(parser.get("options", "list_db"), "False")
        self.assertFalse(parser.has_option("options", "admin_passwd"))
        ignored = subprocess.run(
            ["git", "-C", ROOT, "check-ignore", "-q", "odoo.local.conf"], check=False
        )
        self.assertEqual(ignored.returncode, 0, "odoo.local.conf must be ignored")

    def _ensure_conf(self, conf):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PM_CONF", "PM_CONF_QUIET")
        }
        env["PM_CONF"] = conf
        return subprocess.run(
            ["bash", "-c", 'source "$1/scripts/_env.sh"; ensure_conf', "-", ROOT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stderr

    def test_master_password_made_once(self):
        """scripts/setup makes the master password on its first run, prints it
        once and keeps only its hash in the configuration it writes."""
        with tempfile.TemporaryDirectory() as tmp:
            conf = os.path.join(tmp, "odoo.local.conf")
            first = PASSWORD_LINE.findall(self._ensure_conf(conf))
            self.assertEqual(len(first), 1)
            password = first[0]
            self.assertGreaterEqual(len(password), 20)
            parser = configparser.RawConfigParser()
            parser.read(conf)
            stored = parser.get("options", "admin_passwd")
            self.assertNotIn(password, stored)
            self.assertTrue(CryptContext(["pbkdf2_sha512"]).verify(password, stored))
            self.assertEqual(parser.get("options", "list_db"), "False")
            self.assertEqual(os.stat(conf).st_mode & 0o077, 0, "readable by others")
            # the next run prints nothing and keeps the password
            self.assertFalse(PASSWORD_LINE.findall(self._ensure_conf(conf)))
            parser.read(conf)
            self.assertEqual(parser.get("options", "admin_passwd"), stored)
