# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.0.0: Odoo 19 accepts only times with seconds as a language's time
format. The 18.0 addons showed zh_CN times as 09:30 ('%H:%M'); that value is
no longer one of the choices: zh_CN gets '%H:%M:%S' (09:30:00), what the
addons set on a new database. Times people read in emails, PDFs and the portal
are written by the product's clock without seconds either way.
"""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE res_lang
           SET time_format = '%H:%M:%S'
         WHERE code = 'zh_CN' AND time_format = '%H:%M'
        """
    )
