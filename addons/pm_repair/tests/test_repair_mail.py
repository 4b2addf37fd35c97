# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import T0, RepairCommon, minutes


@tagged("post_install", "-at_install")
class TestRepairMail(RepairCommon, MockEmail):
    def _send_queue(self):
        """R-MAIL-1: the emails wait in the queue; its cron sends them."""
        self.env.flush_all()
        self.assertTrue(self._new_mails)
        self.assertEqual(set(self._new_mails.mapped("state")), {"outgoing"})
        self.assertFalse(self._mails)  # nothing sent by the action itself
        self._new_mails.send()

    def test_quote_sent_to_owner(self):
        order = self._diagnosed_paid_order(2)
        with self.mock_mail_gateway():
            self._step(order, T0 + minutes(8), "action_propose_plan", plan="Replace")
            self._send_queue()
        self.assertSentEmail(
            self.env.user.partner_id,
            [self.owner],
            subject=f"Repair {order.name}: fee quote",
        )
        mail = self._find_sent_mail_wemail(self.owner.email_formatted)
        self.assertIn("Replace a tap", mail["body"])
        self.assertIn("60.00", mail["body"])

    def test_warranty_notice_to_developer(self):
        self.building_a.write(
            {"warranty_end_date": "2099-12-31", "developer_id": self.developer.id}
        )
        order = self._order(is_quality_fault=True, description="Crack in the wall")
        with self.mock_mail_gateway():
            order.action_route_to_developer()
            self._send_queue()
        self.assertSentEmail(self.env.user.partner_id, [self.developer])
        mail = self._find_sent_mail_wemail(self.developer.email_formatted)
        self.assertIn("Crack in the wall", mail["body"])
        self.assertIn(order.name, mail["subject"])
