# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import date, datetime

import pytz
from freezegun import freeze_time

from odoo.addons.pm_customer_service.tests.common import PmCommon

SHANGHAI = pytz.timezone("Asia/Shanghai")


def utc(year, month, day, hour=10, minute=0):
    """A Shanghai wall-clock time as the naive UTC datetime Odoo stores."""
    local = SHANGHAI.localize(datetime(year, month, day, hour, minute))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class SurveyCommon(PmCommon):
    """Property A (45,000 m², 98 % quota) with five occupied units and a vacant one;
    campaigns collect from 2024-03-01 to 2024-03-12 (12 days), Shanghai time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.property_a | cls.property_b).write({"tz": "Asia/Shanghai"})
        cls.owners = cls.env["res.partner"].create(
            [
                {"name": f"Owner {n}", "email": f"owner{n}@example.com"}
                for n in range(2, 6)
            ]
        )
        cls.units = cls.unit_a | cls.env["pm.unit"].create(
            [
                {
                    "building_id": cls.building_a.id,
                    "number": f"20{n}",
                    "floor": 2,
                    "area": 100,
                    "state": "occupied",
                    "owner_ids": [(6, 0, owner.ids)],
                }
                for n, owner in enumerate(cls.owners, start=1)
            ]
        )
        cls.unit_vacant = cls.env["pm.unit"].create(
            {"building_id": cls.building_a.id, "number": "301", "area": 80}
        )
        cls.item_security = cls.env.ref("pm_survey.pm_survey_item_security")
        cls.item_cleaning = cls.env.ref("pm_survey.pm_survey_item_cleaning")

    @contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (which rolls back to a savepoint, so that a test can
        check nothing was half-saved) plus a check of the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))

    @classmethod
    def _campaign(cls, **vals):
        return cls.env["pm.survey.campaign"].create(
            {
                "property_id": cls.property_a.id,
                "date_start": date(2024, 3, 1),
                "date_end": date(2024, 3, 12),
                **vals,
            }
        )

    @classmethod
    def _prepared_campaign(cls, **vals):
        """An approved campaign started with its forms prepared (not handed out)."""
        campaign = cls._campaign(**vals)
        campaign.write({"state": "approved"})
        campaign.action_start()
        campaign.action_generate_distribution()
        return campaign

    @classmethod
    def _running_campaign(cls, **vals):
        """An approved campaign started with its forms prepared and handed out on
        2024-03-01 at 10:00."""
        campaign = cls._prepared_campaign(**vals)
        campaign.distribution_ids.write(
            {"distributed_at": utc(2024, 3, 1), "distributed_by_id": cls.user_agent.id}
        )
        return campaign

    def _answers(self, campaign, levels):
        """``{question: answer}`` giving each item the level in ``levels`` (one
        level for all, or a list in item order)."""
        lines = campaign.item_line_ids
        if isinstance(levels, str):
            levels = [levels] * len(lines)
        return {
            line.question_id: line.question_id.suggested_answer_ids.filtered(
                lambda a, lv=level: a.pm_level == lv
            )
            for line, level in zip(lines, levels, strict=True)
        }

    def _key_in(self, distribution, levels, when=None, **kwargs):
        with freeze_time(when or utc(2024, 3, 4, 15)):
            return distribution._record_paper_answer(
                self._answers(distribution.campaign_id, levels),
                returned_at=when or utc(2024, 3, 4, 15),
                **kwargs,
            )


class RunningCampaignCommon(SurveyCommon):
    """SurveyCommon with a running campaign (``_running_campaign``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._running_campaign()
