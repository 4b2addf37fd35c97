# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

FAILURE_TYPES = [("pm_sms_template", "SMS Template Not Approved")]


class MailNotification(models.Model):
    _inherit = "mail.notification"

    failure_type = fields.Selection(selection_add=FAILURE_TYPES)
