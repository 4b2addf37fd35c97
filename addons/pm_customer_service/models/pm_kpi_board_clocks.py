# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


def _rate(string):
    return fields.Float(string=string, readonly=True, aggregator="avg", digits=(5, 2))


def _below(string):
    return fields.Integer(string=string, readonly=True, aggregator="max")


class PmKpiBoard(models.Model):
    """The short response times on the KPI board (R-CLOCK-1): each rate with
    what it counts and what it is measured on, as the first-reply rate."""

    _inherit = "pm.kpi.board"

    help_confirm_num = fields.Integer(string="Help Confirmed in Time", readonly=True)
    help_confirm_den = fields.Integer(string="Help Requests Measured", readonly=True)
    help_confirm_rate = _rate("Help Confirmed %")
    help_confirm_display = fields.Char(
        string="Help Confirmed", compute="_compute_display"
    )
    help_confirm_target = fields.Char(string="Help Confirmed Target", readonly=True)
    help_confirm_short = fields.Boolean(string="Help Confirmed Short", readonly=True)
    help_confirm_below = _below("Help Confirmed Below Target")
    response_num = fields.Integer(string="Arranged in Time", readonly=True)
    response_den = fields.Integer(string="Requests Measured", readonly=True)
    response_rate = _rate("Arranged or Answered %")
    response_display = fields.Char(
        string="Arranged or Answered", compute="_compute_display"
    )
    response_target = fields.Char(string="Arranged Target", readonly=True)
    response_short = fields.Boolean(string="Arranged Short", readonly=True)
    response_below = _below("Arranged Below Target")
    entry_num = fields.Integer(string="Calls Entered in Time", readonly=True)
    entry_den = fields.Integer(string="Calls Measured", readonly=True)
    entry_rate = _rate("Entered in Time %")
    entry_display = fields.Char(string="Entered in Time", compute="_compute_display")
    entry_target = fields.Char(readonly=True)
    entry_short = fields.Boolean(readonly=True)
    entry_below = _below("Entry Below Target")
    transfer_num = fields.Integer(string="Calls Handed On in Time", readonly=True)
    transfer_den = fields.Integer(string="Hand-ons Measured", readonly=True)
    transfer_rate = _rate("Handed On in Time %")
    transfer_display = fields.Char(
        string="Handed On in Time", compute="_compute_display"
    )
    transfer_target = fields.Char(string="Hand-on Target", readonly=True)
    transfer_short = fields.Boolean(string="Hand-on Short", readonly=True)
    transfer_below = _below("Hand-on Below Target")
    supervisor_answer_num = fields.Integer(
        string="Supervisor Answers in Time", readonly=True
    )
    supervisor_answer_den = fields.Integer(string="Supervisor Answers", readonly=True)
    supervisor_answer_rate = _rate("Supervisor Answered %")
    supervisor_answer_display = fields.Char(
        string="Supervisor Answered", compute="_compute_display"
    )
    supervisor_answer_target = fields.Char(readonly=True)
    supervisor_answer_short = fields.Boolean(readonly=True)
    supervisor_answer_below = _below("Supervisor Answer Below Target")
