# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hmac
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmPatrolCheckpoint(models.Model):
    """A checkpoint 巡检点 of a property: a common-area point (or a spot of a
    building) where the patrolling staff scan its printed QR code to prove they
    were there."""

    _name = "pm.patrol.checkpoint"
    _description = "Patrol Checkpoint"
    _inherit = ["pm.location.qr.mixin", "pm.property.derived.mixin"]
    _order = "property_id, sequence, name, id"
    _rec_names_search = ["name", "code"]
    _pm_qr_key = "checkpoint"

    name = fields.Char(required=True, translate=False)
    code = fields.Char(help="Short code printed under the QR code.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    common_area_id = fields.Many2one(
        "pm.common.area",
        index=True,
        ondelete="restrict",
        domain="[('property_id', '=', property_id)]",
    )
    building_id = fields.Many2one(
        "pm.building",
        index=True,
        ondelete="restrict",
        domain="[('property_id', '=', property_id)]",
    )
    instructions = fields.Text(help="What to check at this point.")

    _code_property_uniq = models.Constraint(
        "unique(code, property_id)",
        "The code of a checkpoint must be unique within its property.",
    )

    @api.depends("common_area_id", "building_id")
    def _compute_property_id(self):
        for point in self:
            place = point.common_area_id or point.building_id
            if place:
                point.property_id = place.property_id

    @api.onchange("common_area_id")
    def _onchange_common_area_id(self):
        if self.common_area_id and self.common_area_id.building_id:
            self.building_id = self.common_area_id.building_id
        if self.common_area_id and not self.name:
            self.name = self.common_area_id.name

    @api.constrains("common_area_id", "building_id", "property_id")
    def _check_place_property(self):
        for point in self:
            for place in (point.common_area_id, point.building_id):
                if place and place.property_id != point.property_id:
                    raise ValidationError(
                        _(
                            "Checkpoint %(point)s: %(place)s is not in property "
                            "%(property)s.",
                            point=point.name,
                            place=place.display_name,
                            property=point.property_id.display_name,
                        )
                    )

    # ------------------------------------------------------------
    # QR CODE: the patrol's scan page, signed like every place's code
    # ------------------------------------------------------------

    def _pm_qr_url(self):
        self.ensure_one()
        query = urlencode({"qr": self._pm_qr_signature()})
        return f"{self.get_base_url()}/pm/patrol/scan/{self.id}?{query}"

    @api.model
    def _pm_patrol_scanned(self, checkpoint_id, signature):
        """The active checkpoint a scanned code names (as the superuser), or an
        empty recordset when the code is unknown or altered."""
        Checkpoint = self.sudo()
        if not isinstance(signature, str) or not signature.isascii():
            return Checkpoint.browse()
        point = Checkpoint.browse(checkpoint_id).exists()
        if not point or not point.active:
            return Checkpoint.browse()
        if not hmac.compare_digest(signature, point._pm_qr_signature()):
            return Checkpoint.browse()
        return point
