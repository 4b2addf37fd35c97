# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-MAIL-1, SPEC §4: one queued email per event and recipient, owners never get
internal notifications, staff emails speak the recipient's language, and a down
or hanging SMTP server delays mail without losing it or blocking anybody."""

import smtplib
import time
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import PmCaseCommon
from .smtp_sink import closed_port, silent_server, smtp_sink

MONDAY_10 = "2026-03-02 02:00:00"  # 10:00 in Shanghai


@tagged("pm_mail")
class TestMailQueue(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pm_production_mail()

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _mark(self):
        self._commit_work()
        return self._mail_mark()

    def _follow(self, case, *partners):
        for partner in partners:
            case.sudo().message_subscribe(partner_ids=partner.ids)

    # ------------------------------------------------------------
    # one email per event and recipient
    # ------------------------------------------------------------

    def test_escalation_one_email_per_level(self):
        # R-ESC-1 + R-MAIL-1: each level's recipient gets exactly one email; the
        # followers (owner, leader, director) get nothing from the other levels
        with freeze_time(MONDAY_10):
            case = self._create_case()
        self._follow(
            case,
            self.owner,
            self.user_leader.partner_id,
            self.user_director.partner_id,
        )
        ack = case.acknowledge_deadline
        steps = [
            (ack - timedelta(hours=3), self.user_technician, "0"),
            (ack + timedelta(minutes=5), self.user_technician, "1"),
            (ack + timedelta(hours=24, minutes=5), self.user_leader, "2"),
            (ack + timedelta(hours=48, minutes=5), self.user_director, "3"),
            (ack + timedelta(hours=72, minutes=5), self.user_quality, "4"),
        ]
        for now, user, level in steps:
            mark = self._mark()
            with freeze_time(now), self.mock_mail_gateway():
                self.env["pm.case"]._cron_pm_escalate()
                self.env["pm.case"]._cron_pm_escalate()  # rerun: nothing more
                mails, per_partner = self._emails_since(mark)
            self.assertEqual(case.escalation_level, level)
            self.assertEqual(dict(per_partner), {user.partner_id: 1}, level)
            self.assertEqual(set(mails.mapped("state")), {"outgoing"}, level)
        # the chatter keeps the levels reached, as internal notes
        notes = case.message_ids.filtered(
            lambda m: m.message_type == "notification" and "已升级至" in m.body
        )
        self.assertEqual(len(notes), 4)
        self.assertTrue(all(notes.mapped("is_internal")))

    def test_case_life_emails_per_recipient(self):
        """One case's life, from the owner's portal request to its closure: the
        emails each recipient gets at each step, after post-commit work (mail.mail
        and email notifications, tracking and assignment included)."""
        self.property_a.duty_user_ids = self.user_agent
        portal_user = self.env["res.users"].create(
            {
                "name": "Owner Portal",
                "login": "pm_t_life_owner",
                "partner_id": self.owner.id,
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        owner, agent = self.owner, self.user_agent.partner_id
        technician = self.user_technician.partner_id
        leader = self.user_leader.partner_id
        life = []

        def step(name, func, when):
            mark = self._mark()
            with freeze_time(when), self.mock_mail_gateway():
                result = func()
                mails, per_partner = self._emails_since(mark)
            self.assertEqual(set(mails.mapped("state")) - {"outgoing"}, set(), name)
            subjects = {
                partner: sorted(
                    mail.subject for mail in mails if partner in mail.recipient_ids
                )
                for partner in per_partner
            }
            life.append((name, dict(per_partner), subjects))
            return result

        case = step(
            "created on the portal",
            lambda: self.env["pm.case"]
            .with_user(portal_user)
            .sudo()
            .create(
                {
                    "subject": "Water leaking",
                    "description": "Water leaks from the bathroom ceiling.",
                    "channel": "portal",
                    "property_id": self.property_a.id,
                    "unit_id": self.unit_a.id,
                    "partner_id": self.owner.id,
                }
            ),
            MONDAY_10,
        )
        agent_case = case.with_user(self.user_agent)
        step("acknowledged", agent_case.action_acknowledge, "2026-03-02 02:30:00")
        step(
            "assigned",
            lambda: agent_case.write(
                {"team_id": self.team.id, "user_id": self.user_technician.id}
            ),
            "2026-03-02 02:40:00",
        )
        with freeze_time("2026-03-02 02:45:00"):
            # the owner was called back: the first reply is given, no email
            agent_case.action_first_reply()
        self._investigate_and_decide(case)
        resolve = case.resolve_deadline
        escalate = self.env["pm.case"]._cron_pm_escalate
        step("reminder", escalate, resolve - timedelta(hours=3))
        step("escalated to level 1", escalate, resolve + timedelta(minutes=5))
        step("escalated to level 2", escalate, resolve + timedelta(hours=24, minutes=5))
        step("decided", agent_case.action_decide, resolve + timedelta(hours=25))
        step(
            "decision sent, processing",
            agent_case.action_start_processing,
            resolve + timedelta(hours=25),
        )
        step("resolved", agent_case.action_resolve, resolve + timedelta(hours=26))
        step(
            "owner confirms (very satisfied)",
            lambda: case.with_user(portal_user)._pm_portal_confirm(owner, "5"),
            resolve + timedelta(hours=27),
        )
        self.assertEqual(case.state, "return_visit")
        visit = case.return_visit_ids.with_user(self.user_agent)

        def return_visit():
            visit.write({"satisfaction": "5", "result": "Fixed, no more leak."})
            visit.action_done()

        step("return visit done", return_visit, resolve + timedelta(days=4))
        self.assertEqual(case.state, "closed")
        counts = [(name, per_partner) for name, per_partner, _subjects in life]
        self.assertEqual(
            counts,
            [
                # the owner's receipt comes with the acknowledgement (受理); the
                # agent on duty gets the queue's activity
                ("created on the portal", {agent: 1}),
                ("acknowledged", {owner: 1}),
                ("assigned", {technician: 1, leader: 1}),
                ("reminder", {technician: 1}),
                ("escalated to level 1", {technician: 1}),
                ("escalated to level 2", {leader: 1}),
                # the staff following the case see its stage change, once each;
                # the owner only gets the emails written for owners
                ("decided", {technician: 1, leader: 1}),
                ("decision sent, processing", {owner: 1, technician: 1, leader: 1}),
                # the owner's rating links; the return visit goes to the agent
                ("resolved", {owner: 1, agent: 1, technician: 1, leader: 1}),
                (
                    "owner confirms (very satisfied)",
                    {agent: 1, technician: 1, leader: 1},
                ),
                ("return visit done", {owner: 1, technician: 1, leader: 1}),
            ],
            "\n".join(f"{name}: {subjects}" for name, _c, subjects in life),
        )

    def test_templates_name_their_recipients(self):
        """Each email template of the product goes to the recipients it names
        (or is given), never to the record's default recipients: 19.0 turns
        those on by default, and a return visit notice would reach the owner."""
        xmlids = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("model", "=", "mail.template"),
                    ("module", "in", ("pm_customer_service", "pm_survey", "pm_repair")),
                ]
            )
        )
        templates = self.env["mail.template"].browse(xmlids.mapped("res_id"))
        self.assertTrue(templates)
        self.assertFalse(templates.filtered("use_default_to").mapped("name"))

    @freeze_time(MONDAY_10)
    def test_assignment_one_email(self):
        # R-DISPATCH-1 + R-MAIL-1: our assignment email, not Odoo's "assigned to
        # you" on top of it; the responsible person still follows the case
        mark = self._mark()
        with self.mock_mail_gateway():
            case = self._create_case()
            mails, per_partner = self._emails_since(mark)
        self.assertEqual(
            dict(per_partner),
            {self.user_technician.partner_id: 1, self.user_leader.partner_id: 1},
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertIn(self.user_technician.partner_id, case.message_partner_ids)
        # reassigned: the new responsible person (also the leader) gets one email
        mark = self._mark()
        with self.mock_mail_gateway():
            case.with_user(self.user_agent).user_id = self.user_leader
            _mails, per_partner = self._emails_since(mark)
        self.assertEqual(dict(per_partner), {self.user_leader.partner_id: 1})

    def test_queued_mail_wakes_the_queue_up_once(self):
        """Our emails leave within moments: the transaction that queued them
        triggers the queue cron once at commit, however many it queued."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        mark = self._mark()
        with self.mock_mail_gateway():
            self._create_case()
            self._create_case()
            mails, _per_partner = self._emails_since(mark)
        self.assertGreaterEqual(len(mails), 2)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
        # mail of other apps keeps Odoo's schedule
        self.env["mail.mail"].sudo().create(
            {"subject": "other", "email_to": "x@example.com", "body_html": "<p>x</p>"}
        )
        self._commit_work()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    @freeze_time(MONDAY_10)
    def test_owner_never_gets_internal_notifications(self):
        # the owner follows the case (portal): the receipt is the only email of
        # the acknowledgement for them; the stage change goes to staff followers
        case = self._create_case()
        self._follow(case, self.owner)
        mark = self._mark()
        with self.mock_mail_gateway():
            case.with_user(self.user_agent).action_acknowledge()
            mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 1)
        owner_mail = mails.filtered(lambda m: self.owner in m.recipient_ids)
        self.assertFalse(owner_mail.is_notification)  # the receipt template
        self.assertIn(case.name, owner_mail.subject)
        self.assertEqual(per_partner[self.user_technician.partner_id], 1)
        stage_message = case.message_ids.filtered(
            lambda m: m.subtype_id
            == self.env.ref("pm_customer_service.mt_pm_case_stage")
        )
        self.assertTrue(stage_message.subtype_id.internal)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        # the whole flow: the owner only ever gets the owner emails
        mark = self._mark()
        with self.mock_mail_gateway():
            self._investigate_and_decide(case)
            case.action_decide()
            case.action_start_processing()
            case.action_resolve()
            mails, per_partner = self._emails_since(mark)
        # the decision notice, and the resolution asking for the rating
        self.assertEqual(per_partner[self.owner], 2)
        owner_mails = mails.filtered(lambda m: self.owner in m.recipient_ids)
        self.assertFalse(any(owner_mails.mapped("is_notification")))
        self.assertEqual(
            len(owner_mails.filtered(lambda m: "/my/cases/rate/" in m.body_html)), 1
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_notifications_of_our_records_are_queued(self):
        # a comment on a case (e.g. the owner's reply in the portal) notifies the
        # followers through the queue, never at once
        with freeze_time(MONDAY_10):
            case = self._create_case()
        mark = self._mark()
        with self.mock_mail_gateway():
            case.with_user(self.user_agent).message_post(
                body="Plumber booked for tomorrow.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.owner.ids,
            )
            mails, per_partner = self._emails_since(mark)
            self.assertFalse(self._mails)  # nothing went to SMTP
        self.assertEqual(per_partner[self.owner], 1)
        self.assertEqual(per_partner[self.user_technician.partner_id], 1)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_escalation_queries_per_case(self):
        # each overdue case costs the cron a bounded number of queries (activity,
        # one queued email, log row, level, note), whatever the number of cases
        with freeze_time(MONDAY_10):
            cases = self.Case.create([self._case_vals() for _i in range(7)])
        warm, few, many = cases[:1], cases[1:3], cases[3:]
        with freeze_time(cases[0].acknowledge_deadline - timedelta(hours=3)):
            cases._pm_escalate()  # the reminders: not measured
        now = cases[0].acknowledge_deadline + timedelta(minutes=5)
        counts = []
        with freeze_time(now), self.mock_mail_gateway():
            for batch in (warm, few, many):
                self._commit_work()
                self.env.invalidate_all()
                start = self.cr.sql_log_count
                batch._pm_escalate(fields.Datetime.now())
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
        per_case = (counts[2] - counts[1]) / (len(many) - len(few))
        # activity, its follower, the rendered email and its recipient; the log
        # rows and the notes of the batch in one insert each
        self.assertLessEqual(per_case, 10, counts)
        # reminder then level 1: one escalation activity per case, updated
        # (the director also has door visits to plan)
        activities = cases.activity_ids.filtered(
            lambda a: a.user_id == self.user_technician
        )
        self.assertEqual(len(activities), 7)

    # ------------------------------------------------------------
    # language of the recipient
    # ------------------------------------------------------------

    def test_staff_emails_in_recipient_language(self):
        # the responsible person reads Chinese, the team leader English: each
        # escalation email of the same case is in its recipient's language
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_technician.lang = "zh_CN"
        self.user_leader.lang = "en_US"
        with freeze_time(MONDAY_10):
            case = self._create_case()
        ack = case.acknowledge_deadline
        mails = {}
        for now, user in (
            (ack + timedelta(minutes=5), self.user_technician),
            (ack + timedelta(hours=24, minutes=5), self.user_leader),
        ):
            mark = self._mark()
            with freeze_time(now), self.mock_mail_gateway():
                self.env["pm.case"]._cron_pm_escalate()
                new, _per_partner = self._emails_since(mark)
            mails[user] = new.filtered(
                lambda m, u=user: u.partner_id in m.recipient_ids
            )
        zh, en = mails[self.user_technician], mails[self.user_leader]
        self.assertEqual((len(zh), len(en)), (1, 1))
        self.assertIn("超时", zh.subject)
        self.assertIn("责任人", zh.body_html)  # the level, in Chinese
        self.assertTrue(en.subject.startswith("Overdue"))
        self.assertIn("Team Leader", en.body_html)
        # and the activity of each level too
        activities = case.activity_ids
        zh_activity = activities.filtered(lambda a: a.user_id == self.user_technician)
        en_activity = activities.filtered(lambda a: a.user_id == self.user_leader)
        self.assertIn("超时", zh_activity.summary)
        self.assertIn("Overdue", en_activity.summary)
        # one event for both at once: one email per language
        mark = self._mark()
        case._send_template(
            "pm_customer_service.mail_template_pm_case_assignment",
            partners=self.user_technician.partner_id | self.user_leader.partner_id,
        )
        both, per_partner = self._emails_since(mark)
        self.assertEqual(len(both), 2)
        self.assertEqual(
            dict(per_partner),
            {self.user_technician.partner_id: 1, self.user_leader.partner_id: 1},
        )
        by_partner = {mail.recipient_ids: mail for mail in both}
        self.assertIn("已派给", by_partner[self.user_technician.partner_id].subject)
        self.assertIn("assigned", by_partner[self.user_leader.partner_id].subject)

    # ------------------------------------------------------------
    # SMTP down or hanging (SPEC §4)
    # ------------------------------------------------------------

    def _real_smtp(self):
        """Emails really go to the outgoing server, as outside the tests; the
        test's transaction is still never committed (19.0 commits after each
        email unless in test mode, so only the sending is switched on, as Odoo's
        own SMTP tests do)."""
        return patch.object(
            type(self.env["ir.mail_server"]), "_disable_send", lambda _cls: False
        )

    def _local_server(self, port):
        """The only outgoing server: loopback, at ``port``; the demo's queue is
        not part of the test."""
        self.env["mail.mail"].sudo().search([("state", "=", "outgoing")]).write(
            {"state": "cancel"}
        )
        self.env["ir.mail_server"].sudo().search([]).write({"active": False})
        return (
            self.env["ir.mail_server"]
            .sudo()
            .create(
                {
                    "name": "Local SMTP",
                    "smtp_host": "127.0.0.1",
                    "smtp_port": port,
                    "smtp_encryption": "none",
                    "sequence": 1,
                }
            )
        )

    def _flow_without_smtp(self, port):
        """Create, assign, escalate, acknowledge, decide, resolve and close cases
        with the outgoing server at ``port``; returns the new mails and the time
        the users waited."""
        server = self._local_server(port)
        mark = self._mark()
        waited = 0.0

        def timed(func, *args):
            nonlocal waited
            start = time.monotonic()
            func(*args)
            self._commit_work()  # what the request or cron does when it commits
            waited += time.monotonic() - start

        # real SMTP connections from here on (the test mode would skip them)
        with self._real_smtp():
            with freeze_time(MONDAY_10):
                case = self.Case.create(self._case_vals())
                other = self.Case.create(self._case_vals(user_id=False))
                self._follow(case, self.owner)
            ack = case.acknowledge_deadline
            with freeze_time(ack + timedelta(minutes=5)):
                timed(self.env["pm.case"]._cron_pm_escalate)
                agent_case = case.with_user(self.user_agent)
                timed(agent_case.action_acknowledge)
                self._investigate_and_decide(case)
                timed(agent_case.action_decide)
                timed(agent_case.action_start_processing)
                timed(agent_case.action_resolve)
                other.invalid_explanation = "Outside the service scope."
                timed(other.with_user(self.user_agent).action_mark_invalid)
        mails, per_partner = self._emails_since(mark)
        return server, mails, per_partner, waited

    def _deliver(self, server, mails):
        """The SMTP server comes back: the queue's cron delivers every email once."""
        expected = Counter()
        for mail in mails:
            for partner in mail.recipient_ids:
                expected[(partner.email, mail.message_id)] += 1
        with smtp_sink() as (port, received):
            server.smtp_port = port
            with self._real_smtp():
                self.env["mail.mail"].process_email_queue()
                delivered = Counter(
                    (recipient, message["Message-Id"])
                    for recipients, message in received
                    for recipient in recipients
                )
                # the next run of the cron has nothing left to send
                self.env["mail.mail"].process_email_queue()
                self.assertEqual(len(received), sum(delivered.values()))
        self.assertEqual(delivered, expected)
        self.assertEqual(set(delivered.values()), {1})
        self.assertEqual(set(mails.exists().mapped("state")), {"sent"})

    def test_smtp_refused_delays_mail(self):
        server, mails, per_partner, waited = self._flow_without_smtp(closed_port())
        self.assertGreaterEqual(len(mails), 6)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertGreaterEqual(per_partner[self.owner], 3)  # receipt, decision, …
        self.assertLess(waited, 10)
        # the queue's cron runs while the server is still down: nothing is lost
        with (
            self._real_smtp(),
            self.assertLogs(
                "odoo.addons.pm_customer_service.models.mail_mail", "WARNING"
            ) as logs,
        ):
            self.env["mail.mail"].process_email_queue()
        self.assertIn("stay in the queue", logs.output[0])
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self._deliver(server, mails)

    def test_smtp_hanging_blocks_nobody(self):
        with silent_server() as (port, pending):
            server, mails, _per_partner, waited = self._flow_without_smtp(port)
            self.assertFalse(pending(), "something connected to the SMTP server")
        self.assertLess(waited, 10)
        self.assertGreaterEqual(len(mails), 6)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self._deliver(server, mails)

    def test_server_gone_at_quit_loses_nothing(self):
        """The server hangs up before answering QUIT: the emails it took are
        sent, and the queue's run ends normally (no "Failed processing mail
        queue")."""
        with smtp_sink() as (port, received):
            self._local_server(port)
            mark = self._mark()
            with freeze_time(MONDAY_10):
                self._create_case()
            mails, _per_partner = self._emails_since(mark)
            self.assertTrue(mails)
            with (
                self._real_smtp(),
                patch.object(
                    smtplib.SMTP, "quit", side_effect=smtplib.SMTPServerDisconnected
                ),
            ):
                self.env["mail.mail"].process_email_queue()
        self.assertEqual(set(mails.exists().mapped("state")), {"sent"})
        # one email per recipient
        self.assertEqual(len(received), len(mails.recipient_ids))
