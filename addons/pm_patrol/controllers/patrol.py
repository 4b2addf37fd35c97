# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

PATROL_GROUP = "pm_base.group_pm_technician"
# the largest record id PostgreSQL's integer holds
MAX_ID = 2**31 - 1


def _record_id(value):
    return value if isinstance(value, int) and 0 < value <= MAX_ID else 0


class PmPatrolPhone(http.Controller):
    """The patroller's phone pages (390 px wide): today's rounds, a round's
    checkpoints, the scan of a checkpoint's QR code and the finding's form."""

    def _staff(self):
        """The logged-in patroller, their language set; None for anyone else."""
        user = request.env.user
        if user._is_public() or user.share or not user.has_group(PATROL_GROUP):
            return None
        if user.lang:
            request.update_context(lang=user.lang)
        return user

    def _render(self, template, values, status=200):
        return request.render(template, values, status=status)

    def _refused(self, message, status=403):
        return self._render(
            "pm_patrol.patrol_message_page", {"error": message}, status=status
        )

    @http.route(["/pm/patrol"], type="http", auth="user", website=True)
    def patrol_today(self, **kw):
        if not self._staff():
            return self._refused(_("Log in with your staff account to patrol."))
        env = request.env
        rounds = env["pm.patrol.round"].search(
            Domain("user_ids", "in", env.user.id)
            & env["pm.property"]._pm_today_domain("date", "="),
            order="scheduled_start, id",
        )
        return self._render("pm_patrol.patrol_today_page", {"rounds": rounds})

    @http.route(
        ["/pm/patrol/round/<int:round_id>"], type="http", auth="user", website=True
    )
    def patrol_round(self, round_id, **kw):
        if not self._staff():
            return self._refused(_("Log in with your staff account to patrol."))
        rnd = request.env["pm.patrol.round"].browse(_record_id(round_id)).exists()
        try:
            rnd.check_access("read")
        except AccessError:
            rnd = rnd.browse()
        if not rnd:
            return self._refused(_("This round is not one of yours."), status=404)
        return self._render("pm_patrol.patrol_round_page", {"rnd": rnd})

    @http.route(
        ["/pm/patrol/scan/<int:checkpoint_id>"], type="http", auth="user", website=True
    )
    def patrol_scan(self, checkpoint_id, qr=None, **kw):
        """The checkpoint's QR code: the visit of the patroller's running round
        at this point is stamped with the time."""
        if not self._staff():
            return self._refused(_("Log in with your staff account to patrol."))
        point = request.env["pm.patrol.checkpoint"]._pm_patrol_scanned(
            _record_id(checkpoint_id), qr
        )
        if not point:
            return self._refused(
                _("This QR code is not the one of a patrol checkpoint."), status=404
            )
        try:
            with request.env.cr.savepoint():
                visit, result = request.env["pm.patrol.visit"]._pm_scan(point)
        except AccessError as exc:
            return self._refused(exc.args[0])
        except (UserError, ValidationError) as exc:
            return self._refused(exc.args[0], status=400)
        return self._render(
            "pm_patrol.patrol_visit_page", {"visit": visit, "result": result}
        )

    def _my_visit(self, visit_id):
        visit = request.env["pm.patrol.visit"].browse(_record_id(visit_id)).exists()
        try:
            visit.check_access("read")
        except AccessError:
            return visit.browse()
        return visit

    @http.route(
        ["/pm/patrol/visit/<int:visit_id>"], type="http", auth="user", website=True
    )
    def patrol_visit(self, visit_id, **kw):
        if not self._staff():
            return self._refused(_("Log in with your staff account to patrol."))
        visit = self._my_visit(visit_id)
        if not visit:
            return self._refused(_("This checkpoint is not one of yours."), 404)
        return self._render("pm_patrol.patrol_visit_page", {"visit": visit})

    @http.route(
        ["/pm/patrol/visit/<int:visit_id>/report"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def patrol_report(self, visit_id, result=None, note=None, **post):
        """The finding: normal or abnormal, a note, photos (each checked as an
        image; nothing is saved when one is not)."""
        if not self._staff():
            return self._refused(_("Log in with your staff account to patrol."))
        visit = self._my_visit(visit_id)
        if not visit:
            return self._refused(_("This checkpoint is not one of yours."), 404)
        files = request.httprequest.files.getlist("photos")
        photos = [(f.filename, f.read()) for f in files if f and f.filename]
        try:
            with request.env.cr.savepoint():
                visit._pm_report(result, note, photos)
        except (AccessError, MissingError) as exc:
            return self._refused(exc.args[0])
        except (UserError, ValidationError) as exc:
            return self._render(
                "pm_patrol.patrol_visit_page",
                {"visit": visit, "error": exc.args[0], "note": note},
                status=400,
            )
        return self._render(
            "pm_patrol.patrol_visit_page", {"visit": visit, "result": "reported"}
        )
