# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.write_guard import workflow_action
from odoo.addons.pm_patrol.models.pm_patrol_visit import DESK_GROUP


class PmPatrolCheckpoint(models.Model):
    """A checkpoint may be at a piece of the property's equipment: what the
    patrol finds wrong there reaches the equipment's maintenance."""

    _inherit = "pm.patrol.checkpoint"

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        index="btree_not_null",
        ondelete="set null",
        domain="[('property_id', '=', property_id)]",
        help="The equipment checked at this point: an abnormal finding here "
        "opens or joins its maintenance request.",
    )

    @api.constrains("equipment_id", "property_id")
    def _check_equipment_property(self):
        for point in self:
            if point.equipment_id and point.equipment_id.property_id != (
                point.property_id
            ):
                raise ValidationError(
                    _(
                        "Checkpoint %(point)s: equipment %(equipment)s is not in "
                        "property %(property)s.",
                        point=point.name,
                        equipment=point.equipment_id.name,
                        property=point.property_id.display_name,
                    )
                )


class PmPatrolVisit(models.Model):
    """An abnormal finding at a checkpoint on equipment opens the equipment's
    corrective maintenance request, or joins the one open, in one step, with
    the finding's note and photos."""

    _inherit = "pm.patrol.visit"

    equipment_id = fields.Many2one(related="checkpoint_id.equipment_id")
    maintenance_request_id = fields.Many2one(
        "maintenance.request", readonly=True, copy=False, index="btree_not_null"
    )

    @api.model
    def _pm_engine_fields(self):
        # the link to the request is made by the action, never typed in
        return super()._pm_engine_fields() | {"maintenance_request_id"}

    def action_make_maintenance_request(self):
        self.ensure_one()
        if self.maintenance_request_id:
            return self._pm_open_maintenance_request()
        if not self.env.user.has_group(DESK_GROUP):
            raise AccessError(
                _("Only the service centre's staff can open a maintenance request.")
            )
        if self.result != "abnormal":
            raise UserError(_("Only an abnormal finding opens a maintenance request."))
        if not self.equipment_id:
            raise UserError(
                _("Checkpoint %s names no equipment.", self.checkpoint_id.name)
            )
        self.check_access("write")
        request = self.env["maintenance.request"]._pm_join_or_open(self)[self]
        self._pm_link_maintenance_request(request)
        photos = self._pm_copy_photos(request)
        request.message_post(
            body=_("Patrol finding %s.", self._get_html_link()),
            attachment_ids=photos.ids,
            subtype_xmlid="mail.mt_note",
        )
        return self._pm_open_maintenance_request()

    @workflow_action
    def _pm_link_maintenance_request(self, request):
        self.write({"maintenance_request_id": request.id})

    def _pm_maintenance_join_note(self):
        self.ensure_one()
        return plaintext2html(self._pm_finding_text())

    def _pm_maintenance_request_vals(self):
        self.ensure_one()
        equipment = self.equipment_id
        return {
            "name": _("Patrol · %s", equipment.name),
            "equipment_id": equipment.id,
            "company_id": equipment.company_id.id or self.company_id.id,
            "maintenance_type": "corrective",
            "request_date": clock.local_today(
                self.property_id.tz, self.visit_time or fields.Datetime.now()
            ),
            "description": plaintext2html(self._pm_finding_text()),
            "user_id": equipment.technician_user_id.id,
        }

    def _pm_open_maintenance_request(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.request",
            "res_id": self.maintenance_request_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
