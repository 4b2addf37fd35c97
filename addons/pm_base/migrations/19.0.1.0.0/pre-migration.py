# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.0.0: Odoo 19 keeps one phone number per contact (``res.partner.mobile``
is gone).

Owners, tenants and the visitors who report from a QR code were reached on their
mobile number: where a contact has a mobile and no phone, the mobile becomes its
phone, so that staff still call it and a visitor's next report finds the same
contact. Nothing is left to do when Odoo's own upgrade already moved the column.
"""

from odoo.tools import sql


def migrate(cr, version):
    if not sql.column_exists(cr, "res_partner", "mobile"):
        return
    cr.execute(
        """
        UPDATE res_partner
           SET phone = mobile
         WHERE mobile IS NOT NULL AND mobile <> ''
           AND (phone IS NULL OR phone = '')
        """
    )
