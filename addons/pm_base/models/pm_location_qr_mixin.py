# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hmac as stdlib_hmac
from urllib.parse import urlencode

from odoo import api, models, tools

QR_SCOPE = "pm-location-qr"
# QR code URL parameter -> model of the location it names
QR_MODELS = {"unit": "pm.unit", "area": "pm.common.area"}
QR_SIZE_PX = 400
# hex digits of the signature kept in the URL: 128 bits, a less dense code
QR_SIGNATURE_CHARS = 32


class PmLocationQrMixin(models.AbstractModel):
    """A place owners report from by scanning a printed QR code: a unit or a
    common-area point. The code opens the portal's new request form with the
    place filled in; its URL is signed, so that nobody reports for a place by
    guessing ids (R-INTAKE-3)."""

    _name = "pm.location.qr.mixin"
    _description = "Location with a QR Code"
    _pm_qr_key = ""

    def _pm_qr_signature(self):
        self.ensure_one()
        signature = tools.hmac(self.env(su=True), QR_SCOPE, (self._name, self.id))
        return signature[:QR_SIGNATURE_CHARS]

    def _pm_qr_url(self):
        self.ensure_one()
        query = urlencode({self._pm_qr_key: self.id, "qr": self._pm_qr_signature()})
        return f"{self.get_base_url()}/my/cases/new?{query}"

    def _pm_qr_image(self):
        """The QR code of the place as a data URI for the printed sheet."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR",
            self._pm_qr_url(),
            width=QR_SIZE_PX,
            height=QR_SIZE_PX,
            barLevel="M",
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    @api.model
    def _pm_qr_location(self, key, record_id, signature):
        """The active place a scanned QR code names, or an empty recordset when
        the code is unknown, altered or its place archived.

        :param key: ``unit`` or ``area`` (the URL parameter)
        """
        model = QR_MODELS.get(key)
        if not model or not isinstance(signature, str) or not signature.isascii():
            return self.env["pm.unit"].sudo().browse()
        Location = self.env[model].sudo()
        record_id = str(record_id or "")
        if not record_id.isascii() or not record_id.isdigit() or len(record_id) > 9:
            return Location.browse()
        location = Location.browse(int(record_id)).exists()
        if not location or not location.active:
            return Location.browse()
        if not stdlib_hmac.compare_digest(signature, location._pm_qr_signature()):
            return Location.browse()
        return location
