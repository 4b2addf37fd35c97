# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PmRectificationReportWizard(models.TransientModel):
    """Print the rectification records of a property and period (R-RECT-2)."""

    _name = "pm.rectification.report.wizard"
    _description = "Rectification Report"

    property_id = fields.Many2one("pm.property", required=True)
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        + relativedelta(months=1, days=-1),
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise UserError(_("The period ends before it starts."))

    def _get_rectifications(self):
        self.ensure_one()
        return self.env["pm.rectification"].search(
            [
                ("property_id", "=", self.property_id.id),
                ("state", "!=", "cancelled"),
                ("deadline", ">=", self.date_from),
                ("deadline", "<=", self.date_to),
            ],
            order="deadline, id",
        )

    def action_print(self):
        self.ensure_one()
        records = self._get_rectifications()
        if not records:
            raise UserError(
                _(
                    "No rectification of %(property)s is due between %(start)s and "
                    "%(end)s.",
                    property=self.property_id.display_name,
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        return self.env.ref(
            "pm_customer_service.action_report_pm_rectification_list"
        ).report_action(
            records,
            data={
                "property_name": self.property_id.display_name,
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
