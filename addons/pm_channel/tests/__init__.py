# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_sms_channel
from . import test_phone_login
from . import test_owner_channel
from . import test_owner_events
from . import test_sms_links_counts
from . import test_phone_login_tour
