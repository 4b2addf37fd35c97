# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import models, tools, wizard
from .hooks import pre_init_hook
