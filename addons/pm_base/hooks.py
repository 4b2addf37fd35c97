# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A database made before pm_base existed holds the master data under
pm_customer_service: the models, their fields, groups, views, access rights and
record rules. pm_base takes them over as they are (same rows, same ids, same
memberships) instead of creating them a second time."""

import csv
import logging
import re

from odoo.modules.module import get_manifest
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

FORMER_MODULE = "pm_customer_service"
# the models pm_base defines; their fields move with them, and the service
# centre's own fields (front desk, alias, director visits) are named again by
# pm_customer_service when it is updated
MOVED_MODELS = (
    "pm.property",
    "pm.building",
    "pm.unit",
    "pm.common.area",
    "pm.team",
    "pm.location.qr.mixin",
    "pm.property.record.mixin",
    "pm.escalation.log",
)
MOVED_FIELDS = {
    "res.partner": ("pm_owned_unit_ids", "pm_rented_unit_ids"),
    "res.users": ("pm_property_ids",),
}
MOVED_RELATIONS = (
    "pm_property_res_users_rel",
    "pm_team_res_users_rel",
    "pm_unit_owner_rel",
    "pm_unit_tenant_rel",
)
XMLID_RE = re.compile(r'<(?:record|template|menuitem)\s[^>]*?\bid="(\w+)"', re.S)


def _data_xmlids():
    """The XML ids pm_base's data files declare."""
    names = set()
    for path in get_manifest("pm_base")["data"]:
        with file_open(f"pm_base/{path}") as data:
            if path.endswith(".csv"):
                names.update(row["id"] for row in csv.DictReader(data))
            else:
                names.update(XMLID_RE.findall(data.read()))
    return names


def _model_xmlids():
    names = set()
    patterns = []
    for model in MOVED_MODELS:
        key = model.replace(".", "_")
        names.add(f"model_{key}")
        patterns += [f"field_{key}__%", f"selection__{key}__%", f"constraint_{key}_%"]
    for model, fields in MOVED_FIELDS.items():
        key = model.replace(".", "_")
        names.update(f"field_{key}__{name}" for name in fields)
    return names, patterns


def pre_init_hook(env):
    cr = env.cr
    cr.execute("SELECT 1 FROM ir_model_data WHERE module = %s LIMIT 1", [FORMER_MODULE])
    if not cr.fetchone():
        return  # a new database: nothing to take over
    # the records of the data files move: pm_customer_service no longer declares
    # them, and pm_base updates them in place (same ids, so the same memberships)
    cr.execute(
        """
        UPDATE ir_model_data SET module = 'pm_base'
         WHERE module = %s AND name = ANY(%s)
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data taken
                WHERE taken.module = 'pm_base' AND taken.name = ir_model_data.name)
        """,
        [FORMER_MODULE, list(_data_xmlids())],
    )
    moved = cr.rowcount
    # the models and fields are shared: pm_base gets a name of its own for each;
    # when the modules are loaded, each one keeps the names of what it defines
    # and drops the others, never the model or the field itself
    names, patterns = _model_xmlids()
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate,
                                   create_uid, create_date, write_uid, write_date)
        SELECT 'pm_base', name, model, res_id, noupdate,
               create_uid, create_date, write_uid, write_date
          FROM ir_model_data
         WHERE module = %s
           AND (name = ANY(%s) OR name LIKE ANY(%s))
        ON CONFLICT DO NOTHING
        """,
        [FORMER_MODULE, list(names), patterns],
    )
    moved += cr.rowcount
    cr.execute("SELECT id FROM ir_module_module WHERE name = 'pm_base'")
    module_id = cr.fetchone()[0]
    cr.execute(
        """
        UPDATE ir_model_constraint c SET module = %s
          FROM ir_model m
         WHERE c.model = m.id AND m.model = ANY(%s)
        """,
        [module_id, list(MOVED_MODELS)],
    )
    cr.execute(
        "UPDATE ir_model_relation SET module = %s WHERE name = ANY(%s)",
        [module_id, list(MOVED_RELATIONS)],
    )
    _one_rule_pattern(cr)
    _logger.info("pm_base took over %s records of %s", moved, FORMER_MODULE)


def _one_rule_pattern(cr):
    """The record rules filter on the user's visible properties (assigned ones,
    or all of the companies' for the quality department): the rules that gave
    the quality department everything go, the others read the visible set.
    Record rules are not updated with their module (noupdate): done here."""
    modules = ["pm_base", FORMER_MODULE, "pm_repair", "pm_survey"]
    cr.execute(
        """
        DELETE FROM ir_rule WHERE id IN (
            SELECT res_id FROM ir_model_data
             WHERE model = 'ir.rule' AND module = ANY(%s)
               AND name LIKE '%%\\_rule\\_quality')
        """,
        [modules],
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE model = 'ir.rule' AND module = ANY(%s)
           AND name LIKE '%%\\_rule\\_quality'
        """,
        [modules],
    )
    cr.execute(
        """
        UPDATE ir_rule
           SET domain_force = replace(domain_force, 'user.pm_property_ids.ids',
                                      'user.pm_visible_property_ids.ids')
         WHERE domain_force LIKE '%%user.pm_property_ids.ids%%'
           AND id IN (SELECT res_id FROM ir_model_data
                       WHERE model = 'ir.rule' AND module = ANY(%s))
        """,
        [modules],
    )
