# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.machinery
import importlib.util
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from io import StringIO
from pathlib import Path

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config, mute_logger

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "download_reports"


def load_script():
    loader = importlib.machinery.SourceFileLoader("download_reports", str(SCRIPT))
    spec = importlib.util.spec_from_loader("download_reports", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestDownloadReports(HttpCase):
    """R-QA-2: scripts/download_reports against the test server.

    The report's PDF is rendered and stored in the test (``force_report_rendering``
    in the test thread); the script downloads the stored attachment over Odoo 19's
    JSON-2 API, with an API key of the director (JSON-2 takes no password).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.script = load_script()
        cls.property = cls.env["pm.property"].create(
            {"name": "Download Garden", "code": "DLG", "total_floor_area": 1000}
        )
        cls.user = new_test_user(
            cls.env,
            "pm_dl_director",
            groups="pm_base.group_pm_director",
            password="pm_dl_director_pw",
        )
        cls.property.director_id = cls.user
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user)
            .sudo()
            ._generate(None, "download_reports", None)
        )
        cls.user.pm_property_ids = [(4, cls.property.id)]
        cls.month = date.today().replace(day=1) - relativedelta(months=1)
        cls.report = cls.env["pm.quality.report"].create(
            {"property_id": cls.property.id, "month": cls.month}
        )
        cls.report.action_generate()

    def _run(self, *extra, api_key=None, url=None):
        out, err = StringIO(), StringIO()
        self.tmp = tempfile.mkdtemp()
        args = [
            "--url",
            url or f"http://127.0.0.1:{config['http_port']}",
            "--db",
            self.env.cr.dbname,
            "--user",
            "pm_dl_director",
            "--api-key",
            api_key or self.api_key,
            "--property",
            "DLG",
            "--month",
            self.month.strftime("%Y-%m"),
            "--out",
            self.tmp,
            *extra,
        ]
        # Odoo 19's test server answers only requests the test allows
        with (
            redirect_stdout(out),
            redirect_stderr(err),
            self.allow_requests(all_requests=True),
        ):
            self.env.flush_all()
            code = self.script.main(args)
        return code, out.getvalue(), err.getvalue()

    def test_download_stored_pdf(self):
        code, out, err = self._run()
        self.assertEqual(code, 0, err)
        (name,) = os.listdir(self.tmp)
        self.assertTrue(name.endswith(f"-DLG-{self.month:%Y-%m}.pdf"), name)
        with open(os.path.join(self.tmp, name), "rb") as handle:
            self.assertTrue(handle.read().startswith(b"%PDF"))
        self.assertIn("[1/1]", out)

    @mute_logger("odoo.addons.base.models.res_users", "odoo.http")
    def test_wrong_api_key(self):
        code, _out, err = self._run(api_key="wrong")
        self.assertEqual(code, 1)
        self.assertIn("login failed", err)
        self.assertFalse(os.listdir(self.tmp))

    @mute_logger("odoo.addons.base.models.res_users", "odoo.http")
    def test_api_key_of_another_user(self):
        code, _out, err = self._run("--user", "admin")
        self.assertEqual(code, 1)
        self.assertIn("login failed", err)
        self.assertFalse(os.listdir(self.tmp))

    @mute_logger("odoo.http", "odoo.service.model")
    def test_unknown_property(self):
        code, _out, err = self._run("--property", "NOPE")
        self.assertEqual(code, 1)
        self.assertIn("Unknown property NOPE", err)

    def test_server_down(self):
        code, _out, err = self._run(url="http://127.0.0.1:9")
        self.assertEqual(code, 3)
        self.assertIn("cannot reach Odoo", err)

    def test_bad_month(self):
        with redirect_stderr(StringIO()), self.assertRaises(SystemExit) as caught:
            self.script.main(
                [
                    "--url",
                    "x",
                    "--db",
                    "d",
                    "--user",
                    "u",
                    "--api-key",
                    "k",
                    "--property",
                    "P",
                    "--month",
                    "2026-13",
                ]
            )
        self.assertEqual(caught.exception.code, 2)
