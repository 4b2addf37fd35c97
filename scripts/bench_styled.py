# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Are the PDFs of this database rendered with their stylesheet? (run by scripts/bench
inside ``odoo-bin shell`` once report.url points to the bench's server; not part of the
test suite).

Renders the page wkhtmltopdf is given for a report (the layout of
``ir.actions.report._prepare_html``, with the report's base URL), fetches every
stylesheet it links to as wkhtmltopdf would, and exits non-zero unless each answers
200 with CSS. Prints "PDF styled: yes (stylesheet from <url>)".
"""

import sys
import urllib.request
from urllib.parse import urljoin

import lxml.html
from markupsafe import Markup

env = env  # noqa: F821 (odoo shell)
Report = env["ir.actions.report"]
report = env.ref("pm_customer_service.action_report_pm_quality_report", False) or Report
layout = report._get_layout()
base_url = report._get_report_url(layout=layout)
problems = []
if not env["ir.config_parameter"].sudo().get_param("report.url"):
    problems.append("report.url is not set")
page = env["ir.qweb"]._render(
    layout.id,
    {"subst": False, "body": Markup("<p/>"), "base_url": base_url},
)
root = lxml.html.fromstring(str(page))
links = [
    urljoin(base_url + "/", href)
    for href in root.xpath("//link[@rel='stylesheet']/@href")
]
if not links:
    problems.append("the report layout links to no stylesheet")
for url in links:
    try:
        with urllib.request.urlopen(url, timeout=300) as answer:
            kind = answer.headers.get("Content-Type", "")
            body = answer.read()
            if answer.status != 200 or "text/css" not in kind or not body.strip():
                problems.append(f"{url}: {answer.status} {kind}, {len(body)} bytes")
    except OSError as error:
        problems.append(f"{url}: {error}")
if problems:
    print("PDF styled: NO -", "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"PDF styled: yes (stylesheet from {', '.join(links)})")
