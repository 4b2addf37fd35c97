# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import res_company
from . import res_config_settings
from . import pm_sms_template
from . import sms_sms
from . import res_partner
from . import pm_owner_notify
from . import pm_case
from . import mail_thread
from . import pm_repair_order
from . import pm_survey_distribution
from . import pm_return_visit
from . import pm_login_code
from . import res_users_phone_login
from . import res_company_phone_login
from . import res_config_settings_phone_login
from . import pm_sms_outcome
