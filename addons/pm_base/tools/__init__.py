# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure tools shared by every property-service addon (no ORM models here).

Other addons import these by their public names, e.g.
``from odoo.addons.pm_base.tools import clock``:

- ``settings``: the typed settings (``ir.config_parameter``) and their defaults;
- ``clock``: stored UTC and the property's wall clock (R-TZ-1, R-TZ-2);
- ``vocabulary``: request types, severities, team types, case states, the
  satisfaction scale;
- ``images``: checks of uploaded photos and signatures;
- ``xlsx``: typed cells of the spreadsheet exports;
- ``portal_pages``: appointment slots, progress timelines and upload limits of the
  owner's pages;
- ``cron``: one run of a scheduled job at a time, rows being edited left for the
  next run.
"""

from . import write_guard
from . import escalation
