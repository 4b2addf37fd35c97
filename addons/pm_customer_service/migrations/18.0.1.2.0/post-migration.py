# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-MAIL-1: the message subtypes and mail templates are noupdate data; give the
existing ones what new installs get from the data files:

- the stage and escalation subtypes of cases are internal (owners who follow a
  case never receive them);
- staff templates are rendered in the language of each recipient;
- no rule reference in the text of the templates.
"""

STAFF_TEMPLATES = {
    "mail_template_pm_case_assignment": (
        "{{ object.user_id.lang or object.first_contact_user_id.lang }}",
        "{{ ctx.get('pm_mail_lang') or object.user_id.lang "
        "or object.first_contact_user_id.lang }}",
    ),
    "mail_template_pm_case_reminder": (
        "{{ object.user_id.lang or object.first_contact_user_id.lang }}",
        "{{ ctx.get('pm_mail_lang') or object.user_id.lang "
        "or object.first_contact_user_id.lang }}",
    ),
    "mail_template_pm_case_escalation": (
        "{{ object.user_id.lang or object.first_contact_user_id.lang }}",
        "{{ ctx.get('pm_mail_lang') or object.user_id.lang "
        "or object.first_contact_user_id.lang }}",
    ),
    "mail_template_pm_quality_report_ready": (
        "{{ object.property_id.director_id.lang }}",
        "{{ ctx.get('pm_mail_lang') or object.property_id.director_id.lang }}",
    ),
}
# " (R-ESC-1)", " (R-INTAKE-2, R-SLA-1)", "（R-ESC-1）": references in parentheses
RULE_REF = r" ?[(（](R-[A-Z]+(-[A-Z0-9]+)*(\.\.[0-9]+)?(, ?|、)?)+[)）]"


def _xmlid_ids(cr, model, names):
    cr.execute(
        "SELECT res_id FROM ir_model_data "
        "WHERE module = 'pm_customer_service' AND model = %s AND name IN %s",
        (model, tuple(names)),
    )
    return [row[0] for row in cr.fetchall()]


def migrate(cr, version):
    subtype_ids = _xmlid_ids(
        cr,
        "mail.message.subtype",
        ["mt_pm_case_stage", "mt_pm_case_escalated"],
    )
    if subtype_ids:
        cr.execute(
            "UPDATE mail_message_subtype SET internal = TRUE WHERE id IN %s",
            (tuple(subtype_ids),),
        )
    for name, (old, new) in STAFF_TEMPLATES.items():
        template_ids = _xmlid_ids(cr, "mail.template", [name])
        if template_ids:
            # a language an administrator changed stays as it is
            cr.execute(
                "UPDATE mail_template SET lang = %s WHERE id IN %s AND lang = %s",
                (new, tuple(template_ids), old),
            )
    cr.execute(
        "SELECT res_id FROM ir_model_data "
        "WHERE module = 'pm_customer_service' AND model = 'mail.template'"
    )
    template_ids = tuple(row[0] for row in cr.fetchall())
    if template_ids:
        for column in ("body_html", "description"):
            cr.execute(
                f"""
                UPDATE mail_template
                   SET {column} = regexp_replace({column}::text, %s, '', 'g')::jsonb
                 WHERE id IN %s AND {column}::text ~ %s
                """,
                (RULE_REF, template_ids, RULE_REF),
            )
