# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_patrol_rules
from . import test_patrol
from . import test_patrol_http
