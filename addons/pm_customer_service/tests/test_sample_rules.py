# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supervisors' sample calls (seed 004 §5 f): the pure rules, row by row."""

from datetime import date

from odoo.tests import BaseCase

from ..models import sample_rules
from .common import assert_table


class TestSampleRules(BaseCase):
    def test_sampled_month(self):
        """The month drawn from is the one before the day at the property."""
        assert_table(
            self,
            sample_rules.sampled_month,
            [
                (date(2026, 12, 1), date(2026, 11, 1)),
                (date(2026, 12, 31), date(2026, 11, 1)),
                (date(2026, 11, 30), date(2026, 10, 1)),
                (date(2027, 1, 1), date(2026, 12, 1)),
            ],
        )

    def test_report_sample_month(self):
        """The analysis of a month shows the sample drawn that month."""
        self.assertEqual(
            sample_rules.report_sample_month(date(2026, 12, 1)), date(2026, 11, 1)
        )

    def test_still_to_draw(self):
        assert_table(
            self,
            sample_rules.still_to_draw,
            [
                (3, 0, 3),
                (3, 2, 1),
                (3, 3, 0),
                # the size lowered after the draw: nothing taken back
                (1, 3, 0),
                (0, 0, 0),
            ],
        )

    def test_pick(self):
        """At random, but the same cases for the same candidates and seed,
        whatever their order; all of them when there are fewer."""
        ids = list(range(1, 21))
        first = sample_rules.pick(ids, 3, "s")
        self.assertEqual(len(first), 3)
        self.assertEqual(first, sorted(first))
        self.assertTrue(set(first) <= set(ids))
        self.assertEqual(sample_rules.pick(list(reversed(ids)), 3, "s"), first)
        self.assertEqual(sample_rules.pick(ids + ids, 3, "s"), first)
        self.assertEqual(sample_rules.pick([5, 2], 3, "s"), [2, 5])
        self.assertEqual(sample_rules.pick(ids, 0, "s"), [])
        self.assertEqual(sample_rules.pick([], 3, "s"), [])
        # another agent or month: another draw (for these seeds)
        self.assertNotEqual(sample_rules.pick(ids, 3, "t"), first)

    def test_seed(self):
        self.assertEqual(
            sample_rules.seed(4, 7, date(2026, 11, 1)), "pm-sample-4-7-2026-11"
        )
