# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The hourly limits of visitors' reports hold when the reports arrive together."""

import random

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_base.tests.concurrency import PmConcurrencyCase
from odoo.addons.pm_base.tools import settings

PHONE_LIMIT = "pm_customer_service.qr_reports_per_phone_hour"
IP_LIMIT = "pm_customer_service.qr_reports_per_ip_hour"


@tagged("post_install", "-at_install")
class TestVisitorRace(PmConcurrencyCase):
    def setUp(self):
        super().setUp()

        def read(env):
            return (
                env.ref("pm_customer_service.pm_common_area_b1_lobby_demo").id,
                env.ref("base.public_user").id,
                settings.get(env, PHONE_LIMIT),
                settings.get(env, IP_LIMIT),
            )

        self.area_id, self.public_uid, self.phone_limit, self.ip_limit = (
            self.transaction(read)
        )
        self.tag = random.randrange(10**7, 10**8)

    def _report(self, phone, ip):
        """What the QR form does for a visitor: the limits, then the case, in
        one transaction as the public user; the new case's id."""

        def step(env, index):
            Case = env["pm.case"].sudo()
            Case._pm_visitor_check_rate(phone(index), ip(index))
            area = env["pm.common.area"].sudo().browse(self.area_id)
            case = Case.with_context(mail_create_nosubscribe=True).create(
                {
                    "subject": f"Race {self.tag}",
                    "description": "The lobby light is broken.",
                    "request_type": "complaint",
                    "property_id": area.property_id.id,
                    "common_area_id": area.id,
                    "channel": "qr_code",
                    "contact_name": phone(index),
                    "contact_method": "phone",
                    "contact_info": phone(index),
                    "reporter_ip": ip(index),
                }
            )
            return case.id

        return step

    def _race(self, step, count):
        results = self.race(step, count, uid=self.public_uid)
        created = [r for r in results if isinstance(r, int)]
        self.purge_later("pm.case", created)
        refused = self.errors(results)
        # every refusal is the form's message, never a database error
        self.assertTrue(all(isinstance(e, UserError) for e in refused), refused)
        return created, refused

    def test_one_phone_at_once(self):
        phone = f"139{self.tag}"
        created, refused = self._race(
            self._report(lambda i: phone, lambda i: f"10.1.{i}.{self.tag % 250}"),
            self.phone_limit + 5,
        )
        self.assertEqual(len(created), self.phone_limit)
        self.assertEqual(len(refused), 5)

    def test_one_network_at_once(self):
        ip = f"10.{self.tag % 250}.{self.tag // 1000 % 250}.{self.tag // 10**6}"
        created, refused = self._race(
            self._report(lambda i: f"13{i % 10}{self.tag}", lambda i: ip),
            self.ip_limit + 5,
        )
        self.assertEqual(len(created), self.ip_limit)
        self.assertEqual(len(refused), 5)
