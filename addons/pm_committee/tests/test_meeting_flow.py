# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pm_base.tools.approvals import APPROVAL_ACTIVITY

from .common import CommitteeCommon


@freeze_time("2026-04-03 02:00:00")
class TestMeetingJourney(CommitteeCommon):
    """A meeting from its preparation to its closing, each step by the
    least-privileged user allowed to take it."""

    def test_committee_members_are_owners_of_the_property(self):
        with self.assertRaises(ValidationError):
            self.committee.with_user(self.user_agent).write(
                {"member_ids": [(0, 0, {"partner_id": self.owner_b.id})]}
            )
        self.assertEqual(
            self.committee.member_ids.sorted("role_sequence").mapped("role"),
            ["chair", "member"],
        )

    def test_prepared_held_approved_followed_up_closed(self):
        meeting = self._meeting()
        self.assertEqual(meeting.state, "draft")
        self.assertEqual(meeting.attendance_rate, "0.00 %")
        # a technician does not prepare meetings
        with self.assertRaises(AccessError):
            meeting.with_user(self.user_technician).action_hold()
        # held only once the attendance is marked
        with self.assertRaisesRegex(UserError, "attended"):
            meeting.action_hold()
        meeting.attendee_ids.filtered("partner_id").action_mark_present()
        meeting.attendee_ids.filtered("user_id").action_mark_absent()
        self.assertEqual(meeting.present_count, 2)
        self.assertEqual(meeting.attendance_rate, "66.67 %")
        meeting.action_hold()
        self.assertEqual(meeting.state, "held")
        self.assertEqual(meeting.held_user_id, self.user_agent)
        # minutes first
        with self.assertRaisesRegex(UserError, "minutes"):
            meeting.action_submit()
        meeting.write({"minutes": "<p>The garage is too dark at night.</p>"})
        meeting.action_submit()
        self.assertEqual(meeting.state, "submitted")
        # the director is asked, once
        activity = meeting.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
        )
        self.assertEqual(activity.user_id, self.user_director)
        # submitted minutes and attendance are frozen
        with self.assertRaises(UserError):
            meeting.write({"minutes": "<p>Changed afterwards</p>"})
        with self.assertRaises(UserError):
            meeting.attendee_ids[:1].action_mark_absent()
        # the agent cannot approve, nor write the state
        with self.assertRaises(AccessError):
            meeting.action_approve()
        with self.assertRaises(UserError):
            meeting.write({"state": "approved"})
        meeting.with_user(self.user_director).action_approve()
        self.assertEqual(meeting.state, "approved")
        self.assertEqual(meeting.approve_user_id, self.user_director)
        self.assertFalse(meeting.activity_ids)

        # follow-ups: one becomes a case, one a rectification
        Action = self.env["pm.meeting.action"].with_user(self.user_agent)
        to_case, to_rect = Action.create(
            [
                {
                    "meeting_id": meeting.id,
                    "name": "Answer the owners about the parking fees",
                    "user_id": self.user_agent.id,
                    "deadline": "2026-04-20",
                    "case_type": "suggestion",
                },
                {
                    "meeting_id": meeting.id,
                    "name": "Light the garage",
                    "user_id": self.user_technician.id,
                    "team_id": self.team.id,
                    "deadline": "2026-04-15",
                },
            ]
        )
        self.assertEqual(
            (meeting.action_open_count, meeting.action_closed_count), (2, 0)
        )
        self.assertFalse(meeting.closable)
        with self.assertRaisesRegex(UserError, "follow-ups are done"):
            meeting.action_close()
        to_case.action_make_case()
        case = to_case.case_id
        self.assertEqual(case.request_type, "suggestion")
        self.assertEqual(case.property_id, self.property_a)
        self.assertEqual(
            (case.origin_model, case.origin_id), (to_case._name, to_case.id)
        )
        # a second click opens the same case
        to_case.action_make_case()
        self.assertEqual(to_case.case_id, case)

        # only staff of the service centre hand a follow-up over
        with self.assertRaises(AccessError):
            to_rect.with_user(self.user_technician).action_make_rectification()
        to_rect.action_make_rectification()
        rect = to_rect.rectification_id
        self.assertEqual(rect.source_type, "meeting")
        self.assertEqual((rect.res_model, rect.res_id), (to_rect._name, to_rect.id))
        self.assertEqual(rect.meeting_action_ids, to_rect)
        self.assertEqual(str(rect.deadline), "2026-04-15")
        self.assertEqual(rect.user_id, self.user_technician)

        # done only once what they were handed over to is finished
        with self.assertRaisesRegex(UserError, "case"):
            to_case.action_done()
        with self.assertRaisesRegex(UserError, "rectification"):
            to_rect.with_user(self.user_technician).action_done()
        case.write({"invalid_explanation": "Answered at the meeting: fees unchanged."})
        case.action_mark_invalid()
        self.assertEqual(case.state, "closed")
        to_case.action_done()
        self.assertEqual(to_case.state, "done")
        self.assertEqual(meeting.state, "approved")
        rect.with_user(self.user_agent).write({"measure": "Replace the lamps"})
        rect.with_user(self.user_agent).action_start()
        rect.with_user(self.user_agent).write({"completion_note": "12 LED lamps"})
        rect.with_user(self.user_agent).action_done()
        # the responsible technician closes their own follow-up: the last one
        to_rect.with_user(self.user_technician).action_done()
        self.assertEqual(to_rect.done_date.isoformat(), "2026-04-03")
        self.assertEqual(meeting.state, "closed")
        self.assertTrue(meeting.close_date)
        with self.assertRaises(UserError):
            Action.create(
                {
                    "meeting_id": meeting.id,
                    "name": "Late",
                    "user_id": self.user_agent.id,
                    "deadline": "2026-04-30",
                }
            )

    def test_minutes_sent_back_by_the_director(self):
        meeting = self._meeting()
        meeting.attendee_ids.action_mark_present()
        meeting.action_hold()
        meeting.write({"minutes": "<p>Draft</p>"})
        meeting.action_submit()
        wizard = (
            self.env["pm.approval.reject.wizard"]
            .with_user(self.user_director)
            .create(
                {
                    "res_model": meeting._name,
                    "res_id": meeting.id,
                    "reason": "Add who raised the garage problem.",
                }
            )
        )
        wizard.action_reject()
        self.assertEqual(meeting.state, "held")
        self.assertIn("garage problem", meeting.reject_reason)
        # the minutes are editable again, and submitted again
        meeting.write({"minutes": "<p>Owner Wang raised the garage lighting.</p>"})
        meeting.action_submit()
        self.assertEqual(meeting.state, "submitted")

    def test_followup_of_others_and_technicians(self):
        meeting = self._approved_meeting()
        followup = (
            self.env["pm.meeting.action"]
            .with_user(self.user_agent)
            .create(
                {
                    "meeting_id": meeting.id,
                    "name": "Move the parcel lockers",
                    "user_id": self.user_agent.id,
                    "deadline": "2026-04-10",
                }
            )
        )
        # a technician who is not responsible cannot close it
        with self.assertRaises(AccessError):
            followup.with_user(self.user_technician).action_done()
        with self.assertRaisesRegex(UserError, "what was done"):
            followup.action_done()
        followup.write({"result": "Moved to the north gate."})
        followup.action_done()
        # done, nothing left: the meeting closed itself
        self.assertEqual(meeting.state, "closed")

    def test_an_approved_meeting_without_followups_is_closable(self):
        meeting = self._approved_meeting()
        self.assertTrue(meeting.closable)
        with self.assertRaises(AccessError):
            meeting.with_user(self.user_technician).action_close()
        meeting.action_close()
        self.assertEqual(meeting.state, "closed")

    def test_staff_of_other_properties_do_not_see_meetings(self):
        meeting = self._meeting()
        other_agent = self._pm_user("pm_t_agent_b", "agent", name="Agent B")
        self.property_b.user_ids = [(4, other_agent.id)]
        Meeting = self.env["pm.meeting"].with_user(other_agent)
        self.assertFalse(Meeting.search([("id", "=", meeting.id)]))
        with self.assertRaises(AccessError):
            Meeting.create(
                {
                    "name": "Not mine",
                    "property_id": self.property_a.id,
                    "date_start": "2026-04-05 02:00:00",
                }
            )
