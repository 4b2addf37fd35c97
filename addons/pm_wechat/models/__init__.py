# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import res_company
from . import res_config_settings
from . import pm_wechat_template
from . import pm_wechat_message
from . import res_partner_wechat
from . import res_users
from . import pm_owner_notify
