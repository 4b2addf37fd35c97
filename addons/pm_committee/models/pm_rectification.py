# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmRectification(models.Model):
    """Rectifications asked by a meeting (seed 001 §一.3: 专题会议 … 限期解决)."""

    _inherit = "pm.rectification"

    source_type = fields.Selection(
        selection_add=[("meeting", "Meeting")],
        ondelete={"meeting": "set default"},
    )
    meeting_action_ids = fields.One2many(
        "pm.meeting.action", "rectification_id", "Meeting Follow-ups"
    )
