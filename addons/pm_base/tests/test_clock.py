# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The property's clock: one module converts between stored UTC and local time."""

import os
import re
from datetime import date, datetime, time

from odoo.tests import BaseCase

from odoo.addons.pm_base.tools import clock

from .kernel_sources import product_files

# what converting time zones looks like in Python source
TZ_CODE_RE = re.compile(
    r"\bimport pytz\b|\bfrom pytz\b|\bzoneinfo\b|\.localize\(|\.astimezone\("
)


class TestClock(BaseCase):
    def test_conversions(self):
        noon = datetime(2026, 12, 7, 4, 0)  # 12:00 in Shanghai
        local = clock.local_time(noon, "Asia/Shanghai")
        self.assertEqual(local.replace(tzinfo=None), datetime(2026, 12, 7, 12, 0))
        self.assertEqual(clock.local_naive(noon, False), datetime(2026, 12, 7, 12, 0))
        self.assertIsNone(clock.local_naive(False, "Asia/Shanghai"))
        self.assertEqual(clock.utc_naive(local), noon)
        # 20:00 UTC is already the next day in Shanghai, still the same in Paris
        late = datetime(2026, 12, 7, 20, 0)
        self.assertEqual(clock.local_today("Asia/Shanghai", late), date(2026, 12, 8))
        self.assertEqual(clock.local_today("Europe/Paris", late), date(2026, 12, 7))
        self.assertEqual(clock.zone_name(False), clock.DEFAULT_TZ)

    def test_day_bounds(self):
        day = date(2026, 12, 8)
        self.assertEqual(
            clock.to_utc(day, "Asia/Shanghai"), datetime(2026, 12, 7, 16, 0)
        )
        self.assertEqual(
            clock.to_utc(day, "Asia/Shanghai", time(9)), datetime(2026, 12, 8, 1, 0)
        )
        self.assertEqual(
            clock.day_bounds_utc(day, date(2026, 12, 9), "Asia/Shanghai"),
            (datetime(2026, 12, 7, 16, 0), datetime(2026, 12, 9, 15, 59, 59)),
        )

    def test_texts(self):
        moment = datetime(2026, 12, 8, 1, 30)
        self.assertEqual(clock.local_stamp(moment, "Asia/Shanghai"), "2026-12-08 09:30")
        self.assertEqual(
            clock.local_stamp(moment, "Asia/Shanghai", "%m-%d %H:%M"), "12-08 09:30"
        )
        self.assertEqual(clock.local_stamp(False, "Asia/Shanghai"), "")
        zh = "%Y年%m月%d日"
        self.assertEqual(
            clock.owner_text(moment, "Asia/Shanghai", zh), "2026年12月08日 09:30"
        )
        self.assertEqual(
            clock.owner_text(moment, "Asia/Shanghai", zh, short=True), "12月08日 09:30"
        )
        self.assertEqual(
            clock.owner_text(moment, "Asia/Shanghai", "%m/%d/%Y", date_only=True),
            "12/08/2026",
        )
        self.assertEqual(
            clock.owner_text(date(2026, 12, 8), None, zh), "2026年12月08日"
        )

    def test_one_time_zone_module(self):
        """No other module of the product converts time zones, nor names the
        default zone (not in SQL either: queries take it as a parameter)."""
        own = os.path.join("pm_base", "tools", "clock.py")
        for path, text in product_files().items():
            if path == own:
                continue
            self.assertNotRegex(text, TZ_CODE_RE, path)
            self.assertNotIn(clock.DEFAULT_TZ, text, path)
