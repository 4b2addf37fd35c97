# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import Response, request

from ..tools.portal_pages import UPLOAD_REFUSED

_logger = logging.getLogger(__name__)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        super()._pre_dispatch(rule, args)
        refused = rule.endpoint.routing.get(UPLOAD_REFUSED)
        if not refused:
            return
        # An upload form (portal_pages.upload_routing) takes its files up to its
        # own request limit, set on its route. Odoo also caps what werkzeug holds
        # in memory for one form part at 10 MB, and werkzeug 2.2 holds a file
        # part without line breaks there whole: a file of the documented 10 MB
        # would be refused before the controller reads it. The form's request
        # limit is that cap too. (Odoo's request object does not pass this
        # attribute on to werkzeug's.)
        httprequest = request.httprequest._HTTPRequest__wrapped
        httprequest.max_form_memory_size = request.httprequest.max_content_length
        request.pm_upload_refused = (
            getattr(rule.endpoint.func.__self__, refused),
            args,
        )

    @classmethod
    def _handle_error(cls, exception):
        refused = getattr(request, "pm_upload_refused", None)
        if refused is None or not isinstance(exception, RequestEntityTooLarge):
            return super()._handle_error(exception)
        # the request was larger than the upload form takes: nothing of it was
        # read nor saved; the form shows its own error instead of Odoo's page
        method, args = refused
        # the query string and the route's arguments, as a dispatch gives them
        request.params = dict(request.httprequest.args.to_dict(), **args)
        try:
            response = method(**request.params)
            if isinstance(response, Response) and response.is_qweb:
                response.flatten()
        except Exception:
            _logger.exception("The upload form could not show its error")
            return super()._handle_error(exception)
        cls._post_dispatch(response)
        return response
