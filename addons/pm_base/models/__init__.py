# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import pm_write_guard
from . import pm_escalation_mixin
