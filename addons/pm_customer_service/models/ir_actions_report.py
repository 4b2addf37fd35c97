# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import requests

from odoo import _, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# how long the server waits for its own printing address to answer
REPORT_URL_TIMEOUT = 10
# What the server asks its printing address for: a static file of the web client,
# which Odoo serves without opening a database (/web/health opens one as soon as a
# database is known, and Odoo 19's test server refuses any request opening a
# database without the cookie it gives wkhtmltopdf only).
REPORT_URL_PROBE = "/web/static/img/favicon.ico"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        """A PDF is made only when wkhtmltopdf can load its styles.

        wkhtmltopdf fetches the report's styles, fonts and letterhead images from
        the address in ``report.url`` (else the base URL). When nothing answers
        there it still prints, silently: a PDF without its header, layout or
        logo (it ignores failed stylesheets and images, and Odoo takes its exit
        code 1 for a success). Such a PDF must not reach an owner or an archive:
        the person asking for it gets a clear error, the log says why."""
        self._pm_check_report_url()
        return super()._run_wkhtmltopdf(bodies, *args, **kwargs)

    def _pm_check_report_url(self):
        base = self._get_report_url().rstrip("/")
        try:
            response = requests.get(
                f"{base}{REPORT_URL_PROBE}",
                timeout=REPORT_URL_TIMEOUT,
                allow_redirects=False,
            )
            response.raise_for_status()
        except requests.RequestException as error:
            _logger.error(
                "PDF not rendered: the report URL %s does not answer (%s); set the "
                "system parameter report.url to an address this server reaches "
                "itself, e.g. http://127.0.0.1:8069",
                base,
                error,
            )
            raise UserError(
                _(
                    "The PDF cannot be made: the address the server prints from "
                    "(%s) does not answer, and the document would lose its "
                    "letterhead and layout. Please tell your administrator.",
                    base,
                )
            ) from error
