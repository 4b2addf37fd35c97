# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import pm_edit_version
from . import pm_write_guard
from . import pm_escalation_log
from . import pm_escalation_mixin
from . import pm_approval_mixin
from . import pm_catalog_mixin
from . import pm_rate_mixin
from . import pm_property_record_mixin
from . import pm_property
from . import pm_location_qr_mixin
from . import pm_building
from . import pm_unit
from . import pm_common_area
from . import pm_team
from . import ir_http
from . import res_partner
from . import res_users
