# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The quote email now links to the order's page, where the owner accepts or
refuses the quote. Updates keep mail templates as the company left them: the
template is loaded again from the module only when its text is still the
previous version's (never a company's own text)."""

from io import BytesIO

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_xml_import, file_open

OLD_TEXT = "Please tell the service centre or the technician."
XMLID = "mail_template_repair_quote"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(f"pm_repair.{XMLID}", raise_if_not_found=False)
    if not template or OLD_TEXT not in (
        template.with_context(lang="en_US").body_html or ""
    ):
        return
    # only this record of the data file, loaded as a first install would
    with file_open("pm_repair/data/mail_template_data.xml", "rb") as handle:
        tree = etree.parse(handle)
    root = etree.Element("odoo", noupdate="1")
    root.append(tree.find(f"//record[@id='{XMLID}']"))
    stream = BytesIO(etree.tostring(root))
    stream.name = "pm_repair/data/mail_template_data.xml"
    convert_xml_import(env, "pm_repair", stream, mode="init")
    # the old translations go; the module's own are loaded for the new text
    env.flush_all()
    cr.execute(
        "UPDATE mail_template SET body_html = jsonb_build_object('en_US', "
        "body_html->'en_US') WHERE id = %s",
        (template.id,),
    )
    env.invalidate_all()
    langs = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    if langs:
        env["ir.module.module"]._load_module_terms(["pm_repair"], langs)
