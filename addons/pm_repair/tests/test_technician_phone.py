# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The technician on a phone (issue 21): lands on their own orders, today's
first, with the time of the work in the property's zone; cannot change what the
owner or the front desk recorded; stamps the arrival by scanning the QR code
printed at the unit or the common-area point (R-REP-2, R-LAND-1, R-TZ-2)."""

from datetime import datetime
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RepairCommon

# 2026-12-08 10:00 in Shanghai
NOW = datetime(2026, 12, 8, 2, 0)
MY_ORDER = "work_day, work_time_local, id"


def utc(day, hour, minute=0):
    """Shanghai wall-clock time of December 2026 as a naive UTC datetime."""
    return fields.Datetime.subtract(datetime(2026, 12, day, hour, minute), hours=8)


@tagged("post_install", "-at_install")
class TestMyRepairOrders(RepairCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_technician.tz = "Europe/Paris"  # the property's zone still rules
        cls.area_lobby = cls.env["pm.common.area"].create(
            {"name": "Lift Lobby", "code": "A1-LL", "building_id": cls.building_a.id}
        )

    def _dispatched_at(self, moment, **values):
        order = self._new_order_at(moment, **values)
        self._step(order, moment, "action_dispatch")
        return order

    def test_today_first_in_the_property_zone(self):
        with freeze_time(utc(5, 9)):
            leftover = self._dispatched_at(utc(5, 9))
        with freeze_time(NOW):
            later = self._dispatched_at(
                NOW, urgency="appointment", appointment_date=utc(9, 9, 30)
            )
            afternoon = self._dispatched_at(
                NOW, urgency="appointment", appointment_date=utc(8, 15)
            )
            urgent = self._dispatched_at(NOW, urgency="emergency")
            other = self._dispatched_at(NOW, technician_id=self.user_lead.id)
            Order = self.env["pm.repair.order"].with_user(self.user_technician)
            action = self.env.ref("pm_repair.pm_repair_order_my_action")
            domain = safe_eval(action.domain, {"uid": self.user_technician.id})
            mine = Order.search(domain, order=MY_ORDER)
            # today's orders by their time, then what is left from earlier days,
            # then the days to come; another technician's order is not listed
            self.assertEqual(list(mine), [urgent, afternoon, leftover, later])
            self.assertNotIn(other, mine)
            self.assertEqual(
                mine.mapped("work_day"), ["today", "today", "earlier", "later"]
            )
            # the appointment as the property reads it, whatever the user's zone
            self.assertEqual(afternoon.work_time_local, "15:00")
            self.assertEqual(later.work_time_local, "12-09 09:30")
            self.assertEqual(leftover.work_time_local, "12-05 09:00")
            self.assertEqual(
                Order.search([("id", "in", mine.ids), ("work_day", "=", "today")]),
                urgent | afternoon,
            )
            self.assertEqual(
                Order.search([("id", "in", mine.ids), ("work_day", "!=", "today")]),
                leftover | later,
            )
        # at 23:30 in Shanghai (15:30 UTC) the day is still the 8th
        with freeze_time(utc(8, 23, 30)):
            afternoon.invalidate_recordset(["work_day"])
            self.assertEqual(afternoon.work_day, "today")

    def test_technician_cannot_change_what_the_desk_recorded(self):
        order = self._order(urgency="appointment", appointment_date=utc(20, 9))
        order.action_dispatch()
        tech = order.with_user(self.user_technician)
        self.assertFalse(tech.can_edit_intake)
        recorded = {
            "partner_id": self.other_partner.id,
            "location_type": "common",
            "source": "portal",
            "description": "Something else",
            "appointment_date": utc(21, 9),
            "category_id": self.cat_drains.id,
            "urgency": "immediate",
            "technician_id": self.user_lead.id,
            "contact_phone": "110",
        }
        for name, value in recorded.items():
            with self.subTest(field=name):
                with self.assertRaisesRollback(UserError, "ask the front desk"):
                    tech.write({name: value})
        # writing what is there already changes nothing, and the work is theirs
        tech.write(
            {
                "description": order.description,
                "diagnosis": "Worn washer",
                "line_ids": [
                    Command.create({"fee_id": self.fee_tap.id, "quantity": 1})
                ],
            }
        )
        self.assertEqual(order.diagnosis, "Worn washer")
        self.assertEqual(order.description, "Kitchen tap drips.")
        self.assertEqual(order.partner_id, self.owner)
        # the front desk corrects it
        desk = order.with_user(self.user_agent)
        self.assertTrue(desk.can_edit_intake)
        desk.write({"description": "Kitchen tap and sink drip."})
        self.assertEqual(order.description, "Kitchen tap and sink drip.")

    def test_only_the_desk_records_an_arrival_by_hand(self):
        order = self._order()
        order.action_dispatch()
        with self.assertRaisesRollback(AccessError, "Scan the QR code"):
            order.with_user(self.user_technician).action_arrive()
        self.assertEqual(order.state, "dispatched")
        order.with_user(self.user_agent).action_arrive()
        self.assertEqual(order.state, "on_site")
        self.assertEqual(order.arrival_method, "manual")
        with self.assertRaisesRollback(UserError, "only change through its actions"):
            order.with_user(self.user_agent).write({"arrival_method": "place_qr"})

    def test_common_area_order_from_a_case(self):
        case = self.env["pm.case"].create(
            {
                "subject": "Lobby light",
                "description": "The lobby light is off.",
                "request_type": "help",
                "channel": "phone",
                "property_id": self.property_a.id,
                "common_area_id": self.area_lobby.id,
            }
        )
        vals = case._prepare_repair_order_values()
        self.assertEqual(vals["common_area_id"], self.area_lobby.id)
        order = self.env["pm.repair.order"].create(
            {**vals, "category_id": self.cat_public.id}
        )
        self.assertEqual(order.location_type, "common")
        self.assertEqual(order.common_area_id, self.area_lobby)


@tagged("post_install", "-at_install")
class TestPlaceArrival(RepairCommon, HttpCase):
    """The QR code at the place stamps the arrival of the technician's orders
    there: once, only their own, only what is due today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.area_lobby = cls.env["pm.common.area"].create(
            {"name": "Lift Lobby", "code": "A1-LL", "building_id": cls.building_a.id}
        )
        cls.user_technician_2 = new_test_user(
            cls.env,
            "pm_t_tech2",
            groups="pm_customer_service.group_pm_technician",
            name="Tech B",
        )
        cls.user_technician_2.pm_property_ids = cls.property_a
        # a colleague of the same team: only the team's technicians take its orders
        cls.team_engineering.member_ids |= cls.user_technician_2

    def _scan(self, place, login):
        self.authenticate(login, login)
        url = urlsplit(place._pm_qr_url())
        return self.url_open(f"{url.path}?{url.query}")

    def test_unit_code_stamps_the_technicians_orders_there(self):
        today = self._order()
        today.action_dispatch()
        booked = self._order(
            urgency="appointment",
            appointment_date=fields.Datetime.add(fields.Datetime.now(), days=3),
        )
        booked.action_dispatch()
        colleague = self._order(technician_id=self.user_technician_2.id)
        colleague.action_dispatch()
        res = self._scan(self.unit_a, "pm_t_tech")
        self.assertEqual(res.status_code, 200, res.text[:300])
        self.assertIn("o_pm_arrival_stamped", res.text)
        self.assertIn(today.name, res.text)
        self.assertIn("o_pm_arrival_later", res.text)
        for order in (today, booked, colleague):
            order.invalidate_recordset()
        self.assertEqual(today.state, "on_site")
        self.assertEqual(today.arrival_method, "place_qr")
        stamp = today.arrival_date
        self.assertTrue(stamp)
        # the booked order waits for its day, the colleague's for the colleague
        self.assertFalse(booked.arrival_date)
        self.assertFalse(colleague.arrival_date)
        # a second scan moves nothing
        res = self._scan(self.unit_a, "pm_t_tech")
        self.assertIn("o_pm_arrival_already", res.text)
        today.invalidate_recordset()
        self.assertEqual(today.arrival_date, stamp)
        # the code of another place stamps nothing
        res = self._scan(self.area_lobby, "pm_t_tech2")
        self.assertIn("o_pm_arrival_none", res.text)
        colleague.invalidate_recordset()
        self.assertFalse(colleague.arrival_date)

    def test_common_area_code(self):
        order = self._order(
            location_type="common",
            unit_id=False,
            common_area_id=self.area_lobby.id,
            category_id=self.cat_public.id,
        )
        order.action_dispatch()
        order.with_user(self.user_technician).action_take()
        res = self._scan(self.area_lobby, "pm_t_tech")
        self.assertIn("o_pm_arrival_stamped", res.text)
        order.invalidate_recordset()
        self.assertEqual((order.state, order.arrival_method), ("on_site", "place_qr"))

    def test_order_code_says_so(self):
        order = self._order()
        order.action_dispatch()
        self.authenticate("pm_t_tech", "pm_t_tech")
        url = urlsplit(order._pm_arrival_url())
        res = self.url_open(f"{url.path}?{url.query}")
        self.assertIn("o_pm_arrival_stamped", res.text)
        order.invalidate_recordset()
        self.assertEqual(order.arrival_method, "order_qr")

    def test_owners_and_visitors_still_report(self):
        """The same code opens the new request form for an owner."""
        order = self._order()
        order.action_dispatch()
        new_test_user(self.env, "pm_t_owner", groups="base.group_portal", name="Owner")
        res = self._scan(self.unit_a, "pm_t_owner")
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("o_pm_repair_place_arrival", res.text)
        self.assertIn("New Request", res.text)
        order.invalidate_recordset()
        self.assertFalse(order.arrival_date)
        # an altered code stamps nothing either
        self.authenticate("pm_t_tech", "pm_t_tech")
        res = self.url_open(f"/my/cases/new?unit={self.unit_a.id}&qr=0123")
        self.assertNotIn("o_pm_arrival_stamped", res.text)
        order.invalidate_recordset()
        self.assertFalse(order.arrival_date)
