# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo receives mail like a configured installation: its company has an email
domain, so the property's address turns an owner's email into a case."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

RAW = """Return-Path: <{sender}>
From: {sender}
To: {to}
Subject: {subject}
Message-ID: <pm-demo-mail-1@example.com>
Date: Mon, 07 Dec 2026 09:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("standard", "post_install")
class TestDemoMail(TransactionCase):
    def test_property_address_receives_mail(self):
        prop = self.env.ref("pm_customer_service.pm_property_demo")
        domain = self.env.ref("pm_customer_service.mail_alias_domain_demo")
        self.assertEqual(self.env.company.alias_domain_id, domain)
        self.assertEqual(prop.alias_id.alias_domain_id, domain)
        address = prop.alias_email
        self.assertEqual(address, f"lsg-service@{domain.name}")
        owner = self.env.ref("pm_customer_service.res_partner_owner_demo_lsg-b1_101")
        raw = RAW.format(
            sender=owner.email,
            to=address,
            subject="阳台地漏堵塞",
            body="阳台地漏堵了，请派人来看看。",
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            case_id = self.env["mail.thread"].message_process(False, raw.encode())
        case = self.env["pm.case"].browse(case_id)
        self.assertEqual(case.subject, "阳台地漏堵塞")
        self.assertEqual((case.channel, case.property_id), ("email", prop))
        self.assertEqual(case.partner_id, owner)
