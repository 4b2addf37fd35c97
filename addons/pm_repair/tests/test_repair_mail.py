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
        mail = self._find_sent_email_wemail(self.owner.email_formatted)
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
        mail = self._find_sent_email_wemail(self.developer.email_formatted)
        self.assertIn("Crack in the wall", mail["body"])
        self.assertIn(order.name, mail["subject"])

    def _reply_to(self, message, email_from, body):
        """``email_from`` answers ``message`` by email (the mail gateway)."""
        raw = (
            f"From: {email_from}\r\n"
            "To: service@example.com\r\n"
            "Subject: Re: your repair\r\n"
            f"Message-ID: <{abs(hash((email_from, body)))}@sender.example>\r\n"
            f"In-Reply-To: {message.message_id}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            f"{body}\r\n"
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, raw.encode())

    def test_reply_of_a_stranger_stays_with_staff(self):
        """Someone outside the order answers the Message-Id of its email to the
        owner: a note for the staff, not a message of the owner's conversation;
        the owner's own answer is one."""
        order = self._order()
        message = order.message_post(
            body="The technician comes at 10.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._reply_to(message, "Zhao <zhao@example.org>", "Do not come, cancel it.")
        note = order.message_ids.filtered(lambda m: "cancel it" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertTrue(note.is_internal)
        self.assertFalse(note.author_id)
        self.assertIn("not a follower", note.body)
        self._reply_to(message, "Owner Wang <wang@example.com>", "I will be home.")
        reply = order.message_ids.filtered(lambda m: "be home" in (m.body or ""))
        self.assertFalse(reply.is_internal)
        self.assertEqual(reply.author_id, self.owner)
