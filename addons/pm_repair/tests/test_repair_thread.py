# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One owner request, one thread (R-THREAD-1): a repair case and its repair order.

The desk (pm_agent) acknowledges and dispatches, the technician (pm_technician)
works, the owner (portal) signs or sends the work back; the case follows the
order, its return visit is the order's, and nothing escalates once the work is
done. Times are frozen in UTC; the property is in Asia/Shanghai (UTC+8)."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, tagged

from odoo.addons.pm_customer_service.tests.common import PmCaseCommon
from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon
from odoo.addons.pm_customer_service.tests.test_portal_hardening import png
from odoo.addons.pm_customer_service.tests.test_portal_rating import CSRF_ANY_RE

from .common import SIGNATURE

# Monday 2026-03-02 10:00 in Shanghai
T0 = datetime(2026, 3, 2, 2, 0)


def at(hours=0, minutes=0):
    return T0 + timedelta(hours=hours, minutes=minutes)


class ThreadCommon(PmCaseCommon):
    """PmCaseCommon's property A, engineering team (leader, technician), director
    and quality department, with the owner's portal login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cat_water = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.cat_leakage = cls.env.ref("pm_repair.pm_repair_category_leakage")
        cls.portal_owner = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "pm_t_owner",
                    "password": "pm_t_owner",
                    "partner_id": cls.owner.id,
                    "group_ids": [(6, 0, cls.env.ref("base.group_portal").ids)],
                }
            )
        )
        # the technicians' team is the only engineering team of the property
        cls.env["pm.team"].search(
            [
                ("property_id", "=", cls.property_a.id),
                ("team_type", "=", "engineering"),
                ("id", "!=", cls.team.id),
            ]
        ).write({"active": False})
        cls.Order = cls.env["pm.repair.order"]

    # the people's steps -------------------------------------------------

    def _phone_case(self, moment=T0, **values):
        """The front desk records an owner's repair request by phone."""
        vals = self._case_vals(
            request_type="repair",
            subject="Toilet leaking",
            description="The toilet of the bathroom leaks.",
            repair_category_id=self.cat_water.id,
            team_id=False,
            user_id=False,
        )
        vals.update(values)
        with freeze_time(moment):
            return self.Case.create(vals)

    def _order_of(self, case, moment=T0):
        """The desk makes the case's repair order and dispatches it to the
        technician."""
        with freeze_time(moment):
            action = case.with_user(self.user_agent).action_create_repair_order()
            order = self.Order.with_user(self.user_agent).browse(action["res_id"])
            order.technician_id = self.user_technician
            order.action_dispatch()
        return order.with_user(self.user_technician)

    def _work(self, order, start=T0):
        """The technician takes the order over, arrives, diagnoses, plans and
        finishes."""
        order = order.with_user(self.user_technician)
        with freeze_time(start + timedelta(minutes=2)):
            order.action_take()
        with freeze_time(start + timedelta(minutes=8)):
            # on site: the technician scans the QR code at the place
            order.env["pm.repair.order"]._pm_arrive_at_place(
                order.unit_id or order.common_area_id
            )
        with freeze_time(start + timedelta(minutes=15)):
            order.diagnosis = "Worn seal."
            order.action_diagnose()
        with freeze_time(start + timedelta(minutes=17)):
            order.plan = "Replace the seal."
            order.action_propose_plan()
        with freeze_time(start + timedelta(minutes=60)):
            order.action_done()

    def _owner_decides(self, order, moment, decision, **values):
        """The owner's own answer on the repair page (as the portal does)."""
        if decision == "accept":
            values = {
                "partner": self.owner,
                "name": self.owner.name,
                "signature": SIGNATURE,
            }
        with freeze_time(moment):
            order.with_user(self.portal_owner)._pm_portal_decide(
                self.owner, decision, values
            )

    def _visit_done(self, visit, moment, satisfaction, result="Fixed, thank you."):
        with freeze_time(moment):
            visit = visit.with_user(self.user_agent)
            visit.write({"satisfaction": satisfaction, "result": result})
            visit.action_done()

    def _cron(self, moment):
        with freeze_time(moment):
            self.env["pm.case"]._cron_pm_escalate()

    def _noise(self, case):
        """Everything the escalation could have sent about ``case``: queued
        emails, notifications, activities, escalation log rows."""
        return self._trace_counts(case)

    def _all_visits(self, case):
        return (
            case.sudo().return_visit_ids | case.repair_order_ids.sudo().return_visit_ids
        )


@tagged("post_install", "-at_install", "pm_thread")
class TestRepairThread(ThreadCommon):
    def test_done_and_accepted_resolves_case_nothing_escalates(self):
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        # the order's progress drives the case: processing, handled by the
        # technician of the order's team (seen on the case and by the owner)
        self.assertEqual(case.state, "processing")
        self.assertEqual(case.repair_order_ids, order)
        self.assertEqual(order.case_id, case)
        self.assertEqual(
            (case.user_id, case.team_id), (self.user_technician, self.team)
        )
        self.assertEqual(
            case._pm_portal_contact()["handler"], self.user_technician.name
        )
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertTrue(case.follows_repair_orders)
        deadline = case.resolve_deadline
        self._work(order, at(minutes=1))
        self.assertEqual(order.state, "done")
        self.assertEqual(case.state, "processing")
        self.assertFalse(case.escalation_next_date)
        # R-THREAD-1: the work is done, the owner has not signed yet: hourly
        # crons past the deadline send nothing about the case
        before = self._noise(case)
        for moment in (
            deadline - timedelta(hours=3),
            deadline,
            deadline + timedelta(hours=50),
        ):
            self._cron(moment)
        self.assertEqual(self._noise(case), before)
        self.assertEqual(case.escalation_level, "0")
        # the owner signs on the portal: the case is resolved, when the work was
        # finished
        with self.mock_mail_gateway():
            self._owner_decides(order, deadline + timedelta(hours=51), "accept")
        self.assertEqual(order.state, "return_visit")
        self.assertEqual(case.state, "return_visit")
        self.assertEqual(case.resolved_date, order.done_date)
        self.assertTrue(case.is_resolved_on_time)
        # one return visit for one problem: the order's, by its category's rule
        visits = self._all_visits(case)
        self.assertEqual(len(visits), 1)
        self.assertEqual((visits.res_model, visits.res_id), (order._name, order.id))
        self.assertEqual(visits.method, "phone")
        # the owner is told once that the request is resolved, with the rating
        # links that answer the order's return visit
        resolved = self._new_mails.filtered(lambda m: self.owner in m.recipient_ids)
        self.assertEqual(len(resolved), 1, resolved.mapped("subject"))
        self.assertIn("/my/cases/rate/", resolved.body_html)
        self.assertEqual(resolved.model, case._name)
        before = self._noise(case)
        self._cron(deadline + timedelta(hours=60))
        self.assertEqual(self._noise(case), before)
        # the order's return visit closes the order and the case
        self._visit_done(visits, deadline + timedelta(hours=70), "5")
        self.assertEqual(order.state, "closed")
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.satisfaction, "5")
        self.assertTrue(case.return_visit_done)
        self.assertEqual(len(self._all_visits(case)), 1)

    def test_finished_work_closes_the_case_escalations(self):
        # the technician is late: the case escalates while the order is worked
        # on, then the work is finished and accepted; the escalation activities
        # in the technician's, leader's and director's lists are done
        escalation = self.env.ref("pm_base.mail_activity_type_pm_escalation")
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        todo = case.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_agent.id,
            summary="Call the owner back",
        )
        deadline = case.resolve_deadline
        for hours, level in ((0, "1"), (24, "2"), (48, "3")):
            self._cron(deadline + timedelta(hours=hours, minutes=5))
            self.assertEqual(case.escalation_level, level)

        def escalations(active=True):
            return self._escalations(case, active)

        people = self.user_technician | self.user_leader | self.user_director
        self.assertEqual(escalations().user_id, people)
        since = self._mail_mark()
        self._work(order, deadline + timedelta(hours=50))
        self.assertEqual((order.state, case.state), ("done", "processing"))
        # the work is done: nothing left in anyone's list, the history says why
        self.assertFalse(escalations())
        self.assertEqual(escalations(active=False).user_id, people)
        notes = case.sudo().message_ids.filtered(
            lambda m: m.mail_activity_type_id == escalation
        )
        self.assertEqual(len(notes), 3)
        for note in notes:
            self.assertIn(f"Handled: the work of repair order {order.name}", note.body)
        # closing them emails and notifies nobody on the case
        self.assertEqual(self._mail_sent(case, since), {})
        self.assertTrue(todo.active)
        # the owner accepts on the portal: resolved, nothing reopens
        self._owner_decides(order, deadline + timedelta(hours=51), "accept")
        self.assertEqual(case.state, "return_visit")
        self.assertFalse(escalations())
        before = self._noise(case)
        self._cron(deadline + timedelta(hours=80))
        self.assertEqual(self._noise(case), before)
        self.assertTrue(todo.active)

    def test_dispatch_tells_the_technician_once(self):
        # R-MAIL-1: the order's dispatch tells the technician; the case taking
        # them as its handler sends no second "assigned to you"
        case = self._phone_case()
        tech = self.user_technician.partner_id
        with self.mock_mail_gateway():
            self._order_of(case, at(minutes=1))
            mails = self._new_mails.filtered(lambda m: tech in m.recipient_ids)
        self.assertEqual(case.user_id, self.user_technician)
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertEqual(mails.model, "pm.repair.order")

    def test_not_fixed_keeps_case_in_progress(self):
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        self._work(order, at(minutes=1))
        deadline = case.resolve_deadline
        self._owner_decides(
            order, at(hours=20), "not_fixed", note="It still leaks at night."
        )
        self.assertEqual((order.state, order.rework_count), ("in_progress", 1))
        self.assertEqual(case.state, "processing")
        self.assertFalse(case.resolved_date)
        self.assertFalse(self._all_visits(case))
        # the work is not done: the deadline is watched again, and escalates
        self.assertEqual(case.escalation_kind, "resolve")
        self._cron(deadline + timedelta(minutes=5))
        self.assertEqual(case.escalation_level, "1")
        self.assertTrue(
            case.activity_ids.filtered(lambda a: a.user_id == self.user_technician)
        )

    def test_dissatisfied_return_visit_reopens_case(self):
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        self._work(order, at(minutes=1))
        self._owner_decides(order, at(hours=2), "accept")
        visit = self._all_visits(case)
        self._visit_done(visit, at(hours=26), "2", "Drips again.")
        self.assertEqual((order.state, order.rework_count), ("in_progress", 1))
        self.assertEqual(case.state, "processing")
        self.assertEqual(case.reopen_count, 1)
        self.assertFalse(case.resolved_date)
        # the reworked order, accepted again, resolves the new round
        with freeze_time(at(hours=27)):
            order.action_done()
        self._owner_decides(order, at(hours=28), "accept")
        self.assertEqual(case.state, "return_visit")
        # rework: the engineering supervisor's door visit, the only one planned
        planned = self._all_visits(case).filtered(lambda v: v.state == "planned")
        self.assertEqual(len(planned), 1)
        self.assertEqual(planned.method, "door")

    def test_staff_recorded_acceptance_resolves_case(self):
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        self._work(order, at(minutes=1))
        with freeze_time(at(hours=1, minutes=5)):
            wizard = (
                self.env["pm.repair.owner.decision"]
                .with_user(self.user_technician)
                .create(
                    {
                        "order_id": order.id,
                        "decision": "accept",
                        "channel": "in_person",
                        "signature": SIGNATURE,
                        "signed_by": self.owner.name,
                    }
                )
            )
            wizard.action_confirm()
        self.assertEqual(case.state, "return_visit")
        self.assertEqual(len(self._all_visits(case)), 1)

    def test_leak_waits_for_the_rain_one_visit(self):
        case = self._phone_case(repair_category_id=self.cat_leakage.id)
        order = self._order_of(case, at(minutes=1))
        self._work(order, at(minutes=1))
        with self.mock_mail_gateway():
            self._owner_decides(order, at(hours=2), "accept")
        self.assertEqual(case.state, "return_visit")
        self.assertTrue(order.sudo().awaiting_rain)
        self.assertFalse(self._all_visits(case))
        # no answer by link replaces the visit after the rain: the owner is told
        # the request is resolved, without rating links
        mail = self._new_mails.filtered(lambda m: m.model == case._name)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("/my/cases/rate/", mail.body_html)
        self.assertFalse(case.sudo()._pm_rating_open())
        with freeze_time(at(hours=72)):
            self.env["pm.rainstorm"].create(
                {"property_id": self.property_a.id, "date": "2026-03-05"}
            )
        visit = self._all_visits(case)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.res_model, order._name)
        self._visit_done(visit, at(hours=80), "5")
        self.assertEqual(case.state, "closed")

    def test_appointment_after_deadline_moves_it(self):
        # the owner booked Friday morning: the 48 h deadline moves to the end of
        # the booked window, with the reason; nothing escalates before
        slot = datetime(2026, 3, 6, 1, 0)  # Friday 09:00 in Shanghai
        case = self._phone_case(appointment_date=slot, appointment_window="morning")
        with self.mock_mail_gateway():
            order = self._order_of(case, at(minutes=1))
        self.assertEqual(order.urgency, "appointment")
        self.assertEqual(order.appointment_date, slot)
        self.assertEqual(order.appointment_stop, slot + timedelta(hours=3))
        self.assertEqual(case.resolve_deadline, order.appointment_stop)
        self.assertEqual(case.deadline_change_count, 1)
        moved = self._new_mails.filtered(
            lambda m: m.model == case._name and "New date" in m.subject
        )
        self.assertEqual(len(moved), 1)
        self.assertEqual(moved.recipient_ids, self.owner)
        # the owner's own booking moved it: no apology for a delay of ours
        self.assertIn("appointment you booked", moved.body_html)
        self.assertNotIn("apologise", moved.body_html)
        self.assertIn("03/06/2026 12:00", moved.body_html)
        note = case.message_ids.filtered(lambda m: "09:00-12:00" in (m.body or ""))
        self.assertIn(order.name, note.body)
        before = self._noise(case)
        self._cron(datetime(2026, 3, 4, 3, 0))  # past the first 48 h
        self.assertEqual(self._noise(case), before)

    def test_complaint_keeps_its_procedure(self):
        case = self._phone_case(request_type="complaint", repair_category_id=False)
        with freeze_time(at(minutes=1)):
            case.with_user(self.user_agent).action_acknowledge()
            action = case.with_user(self.user_agent).action_create_repair_order()
            form = Form(
                self.Order.with_user(self.user_agent).with_context(**action["context"])
            )
            form.category_id = self.cat_water
            order = form.save()
        self.assertEqual(order.case_id, case)
        self.assertEqual(case.state, "investigating")
        self.assertFalse(case.follows_repair_orders)
        # a complaint first owes the owner its first reply, then its resolution
        self.assertEqual(case.sudo().escalation_kind, "first_reply")
        with freeze_time(at(minutes=2)):
            case.with_user(self.user_agent).action_first_reply()
        self.assertEqual(case.sudo().escalation_kind, "resolve")


@tagged("post_install", "-at_install")
class TestThreadRatingLink(ThreadCommon, HttpCase):
    """The owner answers the order's return visit from the rating link of the
    request's email, without logging in, through the link's own pages."""

    def test_rating_link_answers_the_order_visit(self):
        case = self._phone_case()
        order = self._order_of(case, at(minutes=1))
        self._work(order, at(minutes=1))
        self._owner_decides(order, at(hours=2), "accept")
        links = {level: url for level, _label, url in case.sudo()._pm_rating_links()}
        path = links["4"].replace(case.get_base_url(), "")
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        token = path.split("/")[-2]
        res = self.url_open(
            f"/my/cases/rate/{token}/submit",
            data={
                "level": "4",
                "comment": "",
                "csrf_token": CSRF_ANY_RE.search(page.text).group(1),
            },
        )
        self.assertEqual(res.status_code, 200)
        visit = self._all_visits(case)
        self.assertEqual(len(visit), 1)
        self.assertEqual((visit.state, visit.satisfaction), ("done", "4"))
        self.assertEqual(order.state, "closed")
        self.assertEqual((case.state, case.satisfaction), ("closed", "4"))


@tagged("post_install", "-at_install", "pm_thread")
class TestRepairIntake(ThreadCommon):
    """受理 of a repair request leads straight to dispatch; the order carries the
    request's source, category, place, owner, description, slot and photos."""

    def _portal_request(self, **values):
        """A repair request the owner submitted on the portal, with a photo
        and a PDF, waiting for the front desk (待受理)."""
        vals = self._case_vals(
            request_type="repair",
            channel="portal",
            subject="Tap dripping",
            description="The kitchen tap drips all night.",
            repair_category_id=self.cat_water.id,
            appointment_date=datetime(2026, 3, 3, 6, 0),  # Tue 14:00 local
            appointment_window="afternoon",
            contact_method="phone",
            contact_info="138 0000 1111",
            team_id=False,
            user_id=False,
        )
        vals.update(values)
        with freeze_time(T0):
            case = self.env["pm.case"].with_user(self.portal_owner).sudo().create(vals)
            Attachment = self.env["ir.attachment"].sudo()
            photo, pdf = Attachment.create(
                [
                    {
                        "name": "tap.png",
                        "raw": png((40, 30), "RGB"),
                        "mimetype": "image/png",
                        "res_model": case._name,
                        "res_id": case.id,
                    },
                    {
                        "name": "invoice.pdf",
                        "raw": b"%PDF-1.4 test",
                        "mimetype": "application/pdf",
                        "res_model": case._name,
                        "res_id": case.id,
                    },
                ]
            )
            case.attachment_ids = photo | pdf
        self.assertTrue(case.to_acknowledge)
        return case, photo

    def test_acknowledge_opens_the_dispatch(self):
        case, photo = self._portal_request()
        with freeze_time(at(minutes=3)):
            action = case.with_user(self.user_agent).action_acknowledge()
        order = self.Order.browse(action["res_id"])
        self.assertEqual(action["res_model"], "pm.repair.order")
        # one click: acknowledged by the desk, the order is made and opened
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertFalse(case.to_acknowledge)
        self.assertTrue(case.acknowledged_date)
        self.assertEqual(case.state, "processing")
        self.assertEqual(order.state, "new")
        self.assertEqual(order.create_uid, self.user_agent)
        # what the order carries from the request
        self.assertEqual(order.source, "portal")
        self.assertEqual(order.category_id, self.cat_water)
        self.assertEqual((order.unit_id, order.partner_id), (self.unit_a, self.owner))
        self.assertEqual(order.description, "The kitchen tap drips all night.")
        self.assertEqual(order.contact_phone, "138 0000 1111")
        self.assertEqual(
            (order.urgency, order.appointment_date, order.appointment_window),
            ("appointment", case.appointment_date, "afternoon"),
        )
        self.assertEqual(order.appointment_stop, datetime(2026, 3, 3, 10, 0))
        # the owner's photo, not the PDF, is in the order's photos before the work
        self.assertEqual(len(order.photo_before_ids), 1)
        carried = order.photo_before_ids
        self.assertEqual((carried.name, carried.res_model), ("tap.png", order._name))
        self.assertEqual(carried.checksum, photo.checksum)
        # the desk dispatches at once
        with freeze_time(at(minutes=4)):
            order = order.with_user(self.user_agent)
            order.technician_id = self.user_technician
            order.action_dispatch()
        self.assertEqual(order.target_dispatch, "met")
        self.assertEqual(case.user_id, self.user_technician)
        # the technician's photo after the work (uploaded on the order's form) is
        # seen from the case
        tech_order = order.with_user(self.user_technician)
        after = tech_order.env["ir.attachment"].create(
            {
                "name": "after.png",
                "raw": png((40, 30), "RGB"),
                "res_model": order._name,
                "res_id": order.id,
            }
        )
        tech_order.photo_after_ids = after
        agent_case = case.with_user(self.user_agent)
        self.assertIn(after, agent_case.repair_photo_ids)
        self.assertIn(carried, agent_case.repair_photo_ids)
        self.assertTrue(
            agent_case.repair_photo_ids.with_user(self.user_agent).read(["name"])
        )

    def test_common_area_request(self):
        area = self.env["pm.common.area"].create(
            {"name": "Lift lobby", "building_id": self.building_a.id}
        )
        case, _photo = self._portal_request(unit_id=False, common_area_id=area.id)
        with freeze_time(at(minutes=3)):
            action = case.with_user(self.user_agent).action_acknowledge()
        order = self.Order.browse(action["res_id"])
        self.assertEqual(
            (order.location_type, order.common_area_id, order.location),
            ("common", area, area.display_name),
        )
        self.assertFalse(order.is_paid)

    def test_unknown_category_opens_the_filled_form(self):
        case, _photo = self._portal_request(repair_category_id=False)
        with freeze_time(at(minutes=3)):
            action = case.with_user(self.user_agent).action_acknowledge()
            self.assertNotIn("res_id", action)
            self.assertEqual(case.state, "investigating")
            form = Form(
                self.Order.with_user(self.user_agent).with_context(**action["context"])
            )
            form.category_id = self.cat_water
            order = form.save()
        self.assertEqual((order.case_id, order.source), (case, "portal"))
        self.assertEqual(len(order.photo_before_ids), 1)
        self.assertEqual(case.state, "processing")

    def test_technician_cannot_acknowledge_into_an_order(self):
        # a technician may acknowledge a case; making orders is the desk's
        case, _photo = self._portal_request()
        with freeze_time(at(minutes=3)):
            result = case.with_user(self.user_technician).action_acknowledge()
        self.assertIs(result, True)
        self.assertFalse(case.repair_order_ids)
        self.assertEqual(case.state, "investigating")

    def test_acknowledge_with_a_dispatch_rule(self):
        # a rule of water repairs takes the order the desk's acknowledgement
        # makes: dispatched at once, its technician handles the case
        self.env["pm.dispatch.rule"].create(
            {
                "name": "Water repairs",
                "target": "repair",
                "category_id": self.cat_water.id,
                "team_id": self.team.id,
                "assign_method": "least_load",
            }
        )
        case, _photo = self._portal_request()
        with freeze_time(at(minutes=3)):
            action = case.with_user(self.user_agent).action_acknowledge()
        order = self.Order.browse(action["res_id"])
        self.assertEqual((order.state, order.dispatch_method), ("dispatched", "rule"))
        self.assertIn(order.technician_id, self.team.member_ids)
        self.assertEqual(
            (case.state, case.user_id), ("processing", order.technician_id)
        )


@tagged("post_install", "-at_install", "pm_thread")
class TestThreadPortal(PortalCommon):
    """The owner reads one timeline: the request's page shows the order's steps
    and leads to it, the order's page leads back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        category = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.case = cls.case_a
        cls.case.write({"request_type": "repair", "repair_category_id": category.id})
        with freeze_time(T0):
            action = cls.case.with_user(cls.user_agent).action_create_repair_order()
            cls.order = cls.env["pm.repair.order"].browse(action["res_id"])
            cls.order.with_user(cls.user_agent).write(
                {"technician_id": cls.user_technician.id}
            )
            cls.order.with_user(cls.user_agent).action_dispatch()
        with freeze_time(at(minutes=9)):
            cls.env["pm.repair.order"].with_user(
                cls.user_technician
            )._pm_arrive_at_place(cls.order.unit_id)

    def test_one_timeline(self):
        self.assertEqual(self.case.state, "processing")
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/cases/{self.case.id}").text
        for text in ("Acknowledgement", "On-site visit", "Acceptance", "Closing"):
            self.assertIn(text, page)
        # the arrival at 10:09 in Shanghai, the technician handles the request
        self.assertIn("03/02 10:09", page)
        self.assertIn(self.user_technician.name, page)
        self.assertIn(f"/my/repairs/{self.order.id}", page)
        self.assertNotIn("o_pm_confirm_card", page)
        steps = self.case._pm_portal_progress()
        self.assertEqual(steps, self.order._pm_portal_progress())
        self.assertEqual([step["done"] for step in steps], [True] * 4 + [False] * 3)
        page = self.url_open(f"/my/repairs/{self.order.id}").text
        self.assertIn("o_pm_thread_case", page)
        self.assertIn(f"/my/cases/{self.case.id}", page)
        self.assertIn("03/02 10:09", page)

    def test_finished_repair_asks_to_sign_from_the_request(self):
        order = self.order.with_user(self.user_technician)
        with freeze_time(at(minutes=15)):
            order.write({"diagnosis": "Worn seal.", "plan": "Replace it."})
            order.action_diagnose()
            order.action_propose_plan()
            order.action_done()
        # the request's page, opened from the owner's email link (no login)
        url = self.case.get_portal_url()
        page = self.url_open(url).text
        self.assertIn("o_pm_thread_order_link", page)
        self.assertRegex(page, r"Accept (&|&amp;) Sign")
        link = self.order.get_portal_url()
        self.assertIn(link.replace("&", "&amp;"), page)
        self.assertIn("Is it fixed?", self.url_open(link).text)
