# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import res_company
from . import res_config_settings
from . import pm_wechat_template
from . import pm_wechat_message
from . import res_partner_wechat
from . import res_users

# THE OWNER-CHANNEL ROUTER (pm_channel's pm.owner.notify and
# res.partner._pm_channel_available) is not merged yet: enable these two imports
# once it is, they plug WeChat into it.
# from . import pm_owner_notify
# from . import res_partner
