# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure tools shared by every property-service addon (no ORM models here).

Other addons import these by their public names, e.g.
``from odoo.addons.pm_base.tools import clock``.
"""

from . import write_guard
from . import escalation
