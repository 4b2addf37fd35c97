# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest settings shared by every test folder of the repository."""

import signal

import pytest

import odoo

_http_started = []


@pytest.fixture(scope="module", autouse=True)
def load_http(request):
    """Start Odoo's HTTP server once for the session (pytest-odoo's own fixture starts
    it for every test module, and every start after the first fails to bind)."""
    if request.config.getoption("--odoo-http") and not _http_started:
        odoo.service.server.start(stop=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _http_started.append(True)
