# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-TZ-1: the rectification of an owner opinion gets its deadline from today's
date at the property (Shanghai), never the agent's (Los Angeles)."""

from datetime import date

from freezegun import freeze_time

from .common import SurveyCommon

# 2026-12-02 01:30 in Shanghai, still 2026-12-01 09:30 in Los Angeles
MOMENT = "2026-12-01 17:30:00"
LOS_ANGELES = "America/Los_Angeles"


@freeze_time(MOMENT)
class TestOpinionPropertyToday(SurveyCommon):
    def _rectify(self, **values):
        self.user_agent.tz = LOS_ANGELES
        opinion = self.env["pm.survey.opinion"].create(
            {"name": "Hedges untrimmed", "property_id": self.property_a.id, **values}
        )
        opinion.with_user(self.user_agent).with_context(
            tz=LOS_ANGELES
        ).action_create_rectification()
        return opinion.rectification_id

    def test_default_deadline_a_week_after_today_at_the_property(self):
        self.assertEqual(self._rectify().deadline, date(2026, 12, 9))

    def test_deadline_past_at_the_property_moves_to_today(self):
        # 1 December is over in Shanghai, though not yet for the agent
        rect = self._rectify(date_deadline=date(2026, 12, 1))
        self.assertEqual(rect.deadline, date(2026, 12, 2))
