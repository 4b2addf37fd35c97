# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.tools import config

from odoo.addons.web.controllers.database import Database


class PmDatabase(Database):
    """With ``list_db = False`` (odoo.conf) Odoo blocks the database functions
    but still serves its manager page (Backup, Duplicate, Delete buttons over a
    "disabled" notice): such a server answers "not found" there instead."""

    @http.route()
    def selector(self, **kw):
        if not config["list_db"]:
            raise NotFound()
        return super().selector(**kw)

    @http.route()
    def manager(self, **kw):
        if not config["list_db"]:
            raise NotFound()
        return super().manager(**kw)
