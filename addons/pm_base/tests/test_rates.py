# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-RATE-1: one rate, one "—", one target comparison, and their SQL twins
agreeing with them."""

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

from ..tools import rates


@tagged("post_install", "-at_install")
class TestRates(BaseCase):
    def test_rate(self):
        cases = [
            # numerator, denominator, expected
            (0, 0, None),  # nothing to measure
            (0, 4, 0.0),
            (1, 2, 50.0),
            (1, 3, 33.33),
            (2, 3, 66.67),
            (23, 24, 95.83),
            (5, 5, 100.0),
            (1, 800, 0.13),  # half up, as PostgreSQL rounds
        ]
        for num, den, expected in cases:
            self.assertEqual(rates.rate(num, den), expected, (num, den))
        for num, den in ((3, 2), (-1, 2), (0, -1)):
            with self.assertRaises(ValueError):
                rates.rate(num, den)

    def test_format_rate(self):
        """R-RATE-1: a rate with no denominator is "—", never 0."""
        # (part, whole, shown, shown with "%")
        table = [
            (0, 0, "—", "—"),
            (0, 4, "0.00", "0.00 %"),
            (23, 24, "95.83", "95.83 %"),
            (1, 3, "33.33", "33.33 %"),
            (5, 5, "100.00", "100.00 %"),
        ]
        for part, whole, shown, with_unit in table:
            with self.subTest(part=part, whole=whole):
                value = rates.rate(part, whole)
                self.assertEqual(rates.format_rate(value), shown)
                self.assertEqual(rates.format_rate(value, "%"), with_unit)
        self.assertEqual(rates.NO_RATE, "—")

    def test_meets_target(self):
        cases = [
            (99.0, 98, ">", True),
            (98.0, 98, ">", False),
            (98.0, 98, ">=", True),
            (100.0, 100, "=", True),
            (99.99, 100, "=", False),
            (None, 100, "=", True),  # zero denominator never falls short
        ]
        for value, target, comparison, expected in cases:
            self.assertEqual(
                rates.meets_target(value, target, comparison),
                expected,
                (value, target, comparison),
            )
        with self.assertRaises(ValueError):
            rates.meets_target(1, 1, "<")


@tagged("post_install", "-at_install")
class TestRatesSql(TransactionCase):
    def test_sql_twins_agree(self):
        """The SQL views compute the very rate and shortfall of the Python rules."""
        pairs = [(0, 0), (0, 4), (1, 3), (2, 3), (23, 24), (1, 800), (3, 8), (5, 5)]
        for num, den in pairs:
            self.env.cr.execute(
                SQL("SELECT %s", rates.rate_sql(SQL("%s", num), SQL("%s", den)))
            )
            [(value,)] = self.env.cr.fetchall()
            expected = rates.rate(num, den)
            self.assertEqual(
                None if value is None else float(value), expected, (num, den)
            )
            for target, comparison in ((98, ">"), (100, ">="), (100, "="), (0, ">")):
                self.env.cr.execute(
                    SQL(
                        "SELECT %s",
                        rates.misses_target_sql(
                            rates.rate_sql(SQL("%s", num), SQL("%s", den)),
                            SQL("%s::numeric", target),
                            SQL("%s", comparison),
                        ),
                    )
                )
                [(misses,)] = self.env.cr.fetchall()
                self.assertEqual(
                    bool(misses),
                    not rates.meets_target(expected, target, comparison),
                    (num, den, target, comparison),
                )
