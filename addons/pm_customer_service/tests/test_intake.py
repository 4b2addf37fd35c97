# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models import sla_rules
from .common import PmCaseCommon

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"
ACKNOWLEDGE = "pm_customer_service.mail_activity_type_pm_acknowledge"

# a plain-text email as a mail server hands it to the gateway
EMAIL = """Return-Path: <{email_from}>
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Mon, 02 Mar 2026 02:00:00 +0000
Message-ID: {msg_id}
{extra}

The drain of the balcony is blocked and water comes into the living room.
"""


@tagged("pm_case")
class TestFrontDeskQueue(PmCaseCommon):
    """R-INTAKE-1, R-INTAKE-3: cases without a staff recorder wait for the front
    desk; whoever acknowledges them owns them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_desk = cls._pm_user("pm_t_desk", "agent", name="Desk A")
        cls.user_desk_2 = cls._pm_user("pm_t_desk2", "agent", name="Desk B")
        cls.front_desk = cls._team_a(
            "Front Desk A",
            cls.user_leader,
            cls.user_desk | cls.user_desk_2,
            team_type="customer_service",
        )
        cls.property_a.write(
            {
                "team_id": cls.front_desk.id,
                "user_ids": [(4, cls.user_desk.id), (4, cls.user_desk_2.id)],
                "duty_user_ids": [(6, 0, cls.user_desk.ids)],
            }
        )
        cls.portal_user = cls._pm_user(
            "pm_t_portal",
            "base.group_portal",
            name="Owner Wang",
            email="wang@example.com",
        )
        cls.portal_user.partner_id = cls.owner

    def _portal_case(self, **values):
        """A case as the owner's portal form creates it (sudo, as the owner)."""
        vals = self._owner_case_vals(
            {
                "subject": "Blocked drain",
                "description": "The balcony drain is blocked.",
                "channel": "portal",
            },
            **values,
        )
        return self.env["pm.case"].with_user(self.portal_user).sudo().create(vals)

    def _queue_activities(self, cases):
        activity_type = self.env.ref(ACKNOWLEDGE)
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "pm.case"),
                    ("res_id", "in", cases.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    @freeze_time(MONDAY_10)
    def test_staff_case_owned_by_recorder(self):
        case = self._create_case(channel="phone")
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertFalse(case.to_acknowledge)
        self.assertFalse(self._queue_activities(case))

    @freeze_time(MONDAY_10)
    def test_portal_case_waits_then_acknowledged(self):
        case = self._portal_case()
        self.assertTrue(case.to_acknowledge)
        self.assertTrue(case.access_token, "set when the case is inserted")
        self.assertFalse(case.first_contact_user_id, "neither the owner nor OdooBot")
        activity = self._queue_activities(case)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_desk)
        # due on the acknowledgement deadline, a local date (Tuesday 10:00)
        self.assertEqual(activity.date_deadline, date(2026, 3, 3))
        self.assertIn("Owner Wang", activity.summary)
        # the queue shows it to the staff
        queue = (
            self.env["pm.case"]
            .with_user(self.user_agent)
            .search([("to_acknowledge", "=", True)])
        )
        self.assertIn(case, queue)
        # another agent than the one on duty acknowledges: they own the case
        with freeze_time("2026-03-02 03:30:00"):
            case.with_user(self.user_agent).action_acknowledge()
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertFalse(case.to_acknowledge)
        self.assertEqual(case.acknowledged_date, datetime(2026, 3, 2, 3, 30))
        self.assertEqual(case.state, "investigating")
        self.assertIn(self.user_agent.partner_id, case.message_partner_ids)
        # 19.0 keeps a done activity, archived
        self.assertFalse(activity.active, "the activity is done")
        self.assertFalse(self._queue_activities(case))
        done = case.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.env.ref(ACKNOWLEDGE)
        )
        self.assertEqual(len(done), 1)
        self.assertFalse(
            self.env["pm.case"]
            .with_user(self.user_agent)
            .search_count([("to_acknowledge", "=", True), ("id", "=", case.id)])
        )

    @freeze_time(MONDAY_10)
    def test_queue_left_only_by_acknowledging(self):
        """A waiting case leaves the queue through Acknowledge, not by moving its
        stage: the stage changes only through the case's actions."""
        case = self._portal_case()
        with self.assertRaises(UserError):
            case.with_user(self.user_agent).write(
                {
                    "stage_id": self.env.ref(
                        "pm_customer_service.pm_case_stage_investigating"
                    ).id
                }
            )
        self.assertTrue(case.to_acknowledge)
        self.assertTrue(self._queue_activities(case))
        case.with_user(self.user_agent).action_acknowledge()
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertFalse(self._queue_activities(case))

    @freeze_time(MONDAY_10)
    def test_owner_cannot_acknowledge(self):
        case = self._portal_case()
        with self.assertRaises(AccessError):
            case.with_user(self.portal_user).sudo().action_acknowledge()
        self.assertTrue(case.to_acknowledge)
        self.assertEqual(case.state, "received")

    @freeze_time(MONDAY_10)
    def test_duty_roster_least_load_then_leader_then_director(self):
        self.property_a.duty_user_ids = self.user_desk | self.user_desk_2
        cases = self._portal_case() | self._portal_case() | self._portal_case()
        users = [self._queue_activities(case).user_id for case in cases]
        self.assertEqual(len(users[0] | users[1]), 2, "one each before a second")
        self.assertEqual(
            sorted(users.count(u) for u in (self.user_desk, self.user_desk_2)), [1, 2]
        )
        # nobody on duty: the front desk team leader
        self.property_a.duty_user_ids = False
        case = self._portal_case()
        self.assertEqual(self._queue_activities(case).user_id, self.user_leader)
        # a dedicated front desk team wins over the customer service team
        other_team = self.env["pm.team"].create(
            {
                "name": "Lobby",
                "property_id": self.property_a.id,
                "leader_id": self.user_desk_2.id,
            }
        )
        self.property_a.front_desk_team_id = other_team
        case = self._portal_case()
        self.assertEqual(self._queue_activities(case).user_id, self.user_desk_2)
        # no team at all: the director
        self.property_a.write({"front_desk_team_id": False, "team_id": False})
        case = self._portal_case()
        self.assertEqual(self._queue_activities(case).user_id, self.user_director)

    @freeze_time(MONDAY_10)
    def test_nobody_to_notify_is_said(self):
        self.property_b.director_id = False
        case = self._portal_case(property_id=self.property_b.id, unit_id=False)
        self.assertTrue(case.to_acknowledge)
        self.assertFalse(self._queue_activities(case))
        self.assertIn("Nobody is on duty", case.message_ids[:1].body)

    @freeze_time(MONDAY_10)
    def test_queue_escalates_to_front_desk(self):
        """The acknowledge deadline of a waiting case escalates to the user on
        duty, then to the front desk leader (R-ESC-1)."""
        case = self._portal_case(partner_id=False, unit_id=False)
        self.assertEqual(
            case._pm_escalation_recipient(sla_rules.LEVEL_RESPONSIBLE), self.user_desk
        )
        self.assertEqual(
            case._pm_escalation_recipient(sla_rules.LEVEL_TEAM_LEADER),
            self.user_leader,
        )
        self.assertEqual(case.escalation_kind, "acknowledge")


@tagged("pm_case")
class TestEmailToCase(PmCaseCommon):
    """R-INTAKE-4: an email to a property's address creates a case; replies thread
    into it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.property_a.write(
            {
                "alias_name": "pa-service",
                "alias_domain_id": cls.mail_alias_domain.id,
                "duty_user_ids": [(6, 0, cls.user_agent.ids)],
            }
        )
        cls.address = f"pa-service@{cls.alias_domain}"

    def _receive(self, email_from, subject, **kwargs):
        return self.format_and_process(
            EMAIL,
            email_from,
            self.address,
            subject=subject,
            target_model="pm.case",
            target_field="subject",
            **kwargs,
        )

    def test_alias_of_property(self):
        alias = self.property_a.alias_id
        self.assertEqual(alias.alias_model_id.model, "pm.case")
        self.assertIn(str(self.property_a.id), alias.alias_defaults)
        self.assertEqual(alias.alias_full_name, self.address)
        # without a catchall domain the alias is still created
        prop = self.env["pm.property"].create(
            {
                "name": "Property C",
                "code": "PC",
                "total_floor_area": 1000,
                "alias_name": "pc-service",
                "alias_domain_id": False,
            }
        )
        self.assertEqual(prop.alias_id.alias_name, "pc-service")
        self.assertEqual(prop.alias_id.alias_model_id.model, "pm.case")

    @freeze_time(MONDAY_10)
    def test_email_from_owner(self):
        with self.mock_mail_gateway():
            case = self._receive("Owner Wang <wang@example.com>", "Blocked drain")
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.property_id, self.property_a)
        self.assertEqual(case.partner_id, self.owner)
        self.assertEqual(case.unit_id, self.unit_a, "the owner's only unit")
        self.assertRegex(case.name, r"^CS\d{4}-\d{5}$")
        self.assertIn("balcony is blocked", case.description)
        self.assertEqual(case.contact_info, "wang@example.com")
        self.assertTrue(case.to_acknowledge)
        self.assertFalse(case.first_contact_user_id)
        self.assertEqual(case.activity_ids.user_id, self.user_agent)
        self.assertIn(self.owner, case.message_partner_ids)
        self.assertEqual(case.message_ids[-1:].author_id, self.owner)

    @freeze_time(MONDAY_10)
    def test_owner_with_two_units_gets_no_unit(self):
        self.env["pm.unit"].create(
            {
                "building_id": self.building_a.id,
                "number": "102",
                "floor": 1,
                "area": 90,
                "owner_ids": [(6, 0, self.owner.ids)],
            }
        )
        case = self._receive("wang@example.com", "Which unit")
        self.assertEqual(case.partner_id, self.owner)
        self.assertFalse(case.unit_id)

    @freeze_time(MONDAY_10)
    def test_unknown_sender_recorded(self):
        case = self._receive("Stranger Zhao <zhao@example.org>", "Parking question")
        self.assertEqual(len(case), 1)
        self.assertFalse(case.partner_id)
        self.assertEqual(case.contact_name, "Stranger Zhao")
        self.assertEqual(case.contact_info, "zhao@example.org")
        self.assertEqual(case.contact_method, "email")
        self.assertTrue(case.to_acknowledge)

    @freeze_time(MONDAY_10)
    def test_reply_threads_into_case(self):
        case = self._receive(
            "wang@example.com", "Lift stuck", msg_id="<first-lift@example.com>"
        )
        count = self.env["pm.case"].search_count([])
        messages = len(case.message_ids)
        self.format_and_process(
            EMAIL,
            "wang@example.com",
            self.address,
            subject="Re: Lift stuck",
            extra="In-Reply-To: <first-lift@example.com>",
            target_model="pm.case",
            target_field="subject",
        )
        self.assertEqual(self.env["pm.case"].search_count([]), count)
        self.assertEqual(len(case.message_ids), messages + 1)
        self.assertEqual(case.subject, "Lift stuck")
        self.assertEqual(case.property_id, self.property_a)
