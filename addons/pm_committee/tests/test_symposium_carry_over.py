# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.pm_committee.hooks import post_init_hook

from .common import CommitteeCommon


class TestSymposiumsAreMeetings(CommitteeCommon):
    """The symposium records the survey app kept become meetings, once; the
    survey's symposium menu opens the meetings of that kind."""

    def test_symposium_carried_over_once(self):
        symposium = self.env["pm.survey.symposium"].create(
            {
                "name": "Survey results",
                "property_id": self.property_a.id,
                "date": "2026-03-01 07:00:00",
                "location": "Clubhouse",
                "attendee_ids": [(6, 0, (self.owner | self.owner_member).ids)],
                "staff_ids": [(6, 0, self.user_agent.ids)],
                "minutes": "<p>Cleaning twice a day.</p>",
            }
        )
        post_init_hook(self.env)
        meeting = self.env["pm.meeting"].search([("symposium_id", "=", symposium.id)])
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.kind, "symposium")
        self.assertEqual(meeting.state, "held")
        self.assertEqual(meeting.property_id, self.property_a)
        self.assertEqual(meeting.present_count, 3)
        self.assertIn("twice a day", meeting.minutes)
        post_init_hook(self.env)
        self.assertEqual(
            self.env["pm.meeting"].search_count([("symposium_id", "=", symposium.id)]),
            1,
        )
        menu = self.env.ref("pm_survey.pm_survey_symposium_menu")
        self.assertEqual(menu.action.res_model, "pm.meeting")
