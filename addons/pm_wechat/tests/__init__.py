# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import test_wechat_queue
from . import test_wechat_web
from . import test_wechat_menu_tour
