# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PmCase(models.Model):
    """Where a case came from: the visit issue or the return visit it was made
    from (R-LOOP-1, ``pm.case.source.mixin``)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    origin_model = fields.Char(string="Made From Model", readonly=True, copy=False)
    origin_id = fields.Many2oneReference(
        string="Made From ID", model_field="origin_model", readonly=True, copy=False
    )
    origin_name = fields.Char(compute="_compute_origin_name", string="Made From")

    @api.depends("origin_model", "origin_id")
    def _compute_origin_name(self):
        for case in self:
            origin = case._pm_origin()
            # the case is readable, so is the name of what it was made from
            case.origin_name = origin.sudo().display_name if origin else False

    def _pm_origin(self):
        self.ensure_one()
        if not self.origin_model or self.origin_model not in self.env:
            return None
        return self.env[self.origin_model].browse(self.origin_id).exists() or None

    def action_open_origin(self):
        self.ensure_one()
        origin = self._pm_origin()
        if not origin:
            raise UserError(_("This case was not made from a visit."))
        return {
            "type": "ir.actions.act_window",
            "res_model": origin._name,
            "res_id": origin.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
