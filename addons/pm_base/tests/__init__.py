# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import (
    test_clock,
    test_cron_batches,
    test_property_bound,
    test_rates,
    test_settings,
    test_staff,
    test_vocabulary,
)
