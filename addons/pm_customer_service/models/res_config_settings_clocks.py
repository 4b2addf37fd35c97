# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.pm_base.tools import settings
from odoo.addons.pm_base.tools.settings import CS


class ResConfigSettings(models.TransientModel):
    """The limits of the short response times (R-CLOCK-1), in minutes."""

    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    pm_help_confirm_minutes = settings.field(
        CS + "help_confirm_minutes",
        "Confirm Help Requests Within (min)",
        "A help request is confirmed to the owner within these minutes of its "
        "reception, or it escalates.",
    )
    pm_response_minutes = settings.field(
        CS + "response_minutes",
        "Arrange or Answer Within (min)",
        "Every question, opinion, suggestion or complaint is acknowledged, handed "
        "to a responsible or answered within these minutes of its reception.",
    )
    pm_supervisor_answer_minutes = settings.field(
        CS + "supervisor_answer_minutes",
        "Supervisor Answers Within (min)",
        "The supervisor answers an agent's question within these minutes, or is "
        "reminded; the director hears of it after twice as long.",
    )
    pm_entry_minutes = settings.field(
        CS + "entry_minutes",
        "Enter Calls Within (min)",
        "A call or visit at the desk is entered within these minutes of its "
        "reception.",
    )
    pm_transfer_minutes = settings.field(
        CS + "transfer_minutes",
        "Classify and Hand On Within (min)",
        "An entered call or visit is classified and handed to a responsible "
        "within these minutes.",
    )
