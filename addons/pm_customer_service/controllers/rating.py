# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.rating.controllers.main import Rating

from ..models.mail_thread import is_service_model

# the product's rating link of a token (controllers/portal.py): its page and form
RATING_LINK = "/my/cases/rate/%s"


class PmRating(Rating):
    """Odoo's rating pages (``/rate/<token>/...``, the rating module's emails)
    answer a rating of a service record with the product's rating link, which
    holds the owner's rules (R-OWNER-1, R-FLOW-2, R-RV-1): the owner only, before
    the link expires, once, a dissatisfied answer with what is wrong, the return
    visit recorded. The ratings of other models keep Odoo's pages."""

    def _pm_service_rating(self, token):
        """The rating of ``token`` when it rates a service record."""
        rating = (
            request.env["rating.rating"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        return rating if is_service_model(rating.res_model) else rating.browse()

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        if not self._pm_service_rating(token):
            return super().action_open_rating(token, rate, **kwargs)
        # the product's page of the link: it shows the level and records nothing
        return request.redirect(f"{RATING_LINK % token}/{rate}")

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        rating = self._pm_service_rating(token)
        if not rating:
            return super().action_submit_rating(token, rate=rate, **kwargs)
        if request.httprequest.method == "POST":
            # Odoo's form posted: the product's form route answers it, the request
            # kept (its rate and feedback, the session's CSRF token)
            return request.redirect(f"{RATING_LINK % token}/submit", code=307)
        # Odoo's thank-you page: the product's page of the link, with the level
        # asked for, else the one recorded
        level = int(rate) if str(rate).isdigit() else 0
        return request.redirect(f"{RATING_LINK % token}/{level or int(rating.rating)}")
