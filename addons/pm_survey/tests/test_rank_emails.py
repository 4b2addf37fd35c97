# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The survey app brings Odoo's gamification along: its karma ranks must not mail
a property company's owners or staff ("New rank: Master", in English)."""

from odoo.tests import TransactionCase, new_test_user, tagged

RANK_TEMPLATE = "gamification.mail_template_data_new_rank_reached"


@tagged("post_install", "-at_install")
class TestRankEmails(TransactionCase):
    def _rank_mails(self, users):
        mails = self.env["mail.mail"].search(
            [("model", "=", "res.users"), ("res_id", "in", users.ids)]
        )
        return mails.filtered(lambda mail: mail.state != "cancel")

    def test_no_rank_email(self):
        owner = new_test_user(self.env, "pm_t_rank_owner", groups="base.group_portal")
        agent = new_test_user(
            self.env, "pm_t_rank_agent", groups="pm_base.group_pm_agent"
        )
        users = owner | agent
        self.assertTrue(self.env["gamification.karma.rank"].search([]))
        for user in users:
            user._add_karma(2500, reason="test")
        users.flush_recordset()
        self.assertTrue(owner.rank_id, "the rank itself still follows the karma")
        self.assertFalse(self._rank_mails(users))

    def test_queued_rank_emails_cancelled(self):
        """Those queued when gamification installed with its demo karma, before
        this addon could stop them, never leave."""
        user = new_test_user(self.env, "pm_t_rank_demo", groups="base.group_portal")
        template = self.env.ref(RANK_TEMPLATE)
        other = self.env["mail.mail"].create(
            {
                "model": "res.users",
                "res_id": user.id,
                "subject": "Hello",
                "body_html": "x",
            }
        )
        rank_mail = self.env["mail.mail"].browse(
            template.send_mail(user.id, force_send=False)
        )
        self.env["res.users"]._pm_cancel_rank_emails()
        self.assertEqual(rank_mail.state, "cancel")
        self.assertEqual(other.state, "outgoing")
        # the demo database ships none
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("model", "=", "res.users"),
                    ("state", "=", "outgoing"),
                    ("subject", "=like", "New rank:%"),
                ]
            )
        )
