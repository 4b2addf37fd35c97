# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pytest settings shared by every test folder of the repository."""

import logging
import signal

import pytest

import odoo

_http_started = []


def _not_test_framework_notice(record):
    # pytest-odoo imports odoo.tests before it switches Odoo to test mode, and Odoo
    # then logs an error meant for business code that imports the test framework.
    return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_not_test_framework_notice)


@pytest.fixture(scope="module", autouse=True)
def load_http(request):
    """Start Odoo's HTTP server once for the session (pytest-odoo's own fixture starts
    it for every test module, and every start after the first fails to bind)."""
    if request.config.getoption("--odoo-http") and not _http_started:
        # Only the HTTP thread: ``server.start(stop=True)`` would also preload the
        # registries and read a test report that pytest-odoo does not keep.
        odoo.service.server.load_server_wide_modules()
        server = odoo.service.server.ThreadedServer(odoo.http.root)
        odoo.service.server.server = server
        server.http_spawn()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _http_started.append(True)


class _LogGuard(logging.Handler):
    """Keeps every WARNING (and worse) that Odoo logs while a test runs.

    A test that provokes a warning on purpose says so with ``mute_logger`` or
    ``assertLogs``: those records never reach this handler.
    """

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    # Not ours and not a fault: the wkhtmltopdf with patched Qt links an OpenSSL
    # older than the system's and says so on stderr, which Odoo relays. PDFs render.
    # Nor is a request the browser of a tour test had in flight when the test ended
    # and closed it (the tour itself passed).
    IGNORED = (
        "wkhtmltopdf: QSslSocket: cannot resolve",
        "Error received after termination: TypeError: Failed to fetch",
    )

    def emit(self, record):
        message = record.getMessage()
        if not any(message.startswith(prefix) for prefix in self.IGNORED):
            self.records.append(record)


def pytest_collection_modifyitems(items):
    """Name the Odoo test classes outside an addon (the repository's tests/
    folder) as Odoo's test metaclass names an addon's: module ``pm_tests``, the
    class's own name, sequence 0 (they say their tags with ``odoo.tests.tagged``)."""
    for item in items:
        cls = getattr(item, "cls", None)
        if (
            cls is not None
            and issubclass(cls, odoo.tests.common.BaseCase)
            and not cls.__module__.startswith("odoo.addons.")
        ):
            cls.test_module = "pm_tests"
            cls.test_class = cls.__name__
            cls.test_sequence = 0


_guard = _LogGuard()
logging.getLogger().addHandler(_guard)


@pytest.fixture(autouse=True)
def no_unexpected_warnings(request):
    """Fail a test during which the server logged an unexpected warning or error
    (a deprecation, a field that cannot be searched, a view that does not validate,
    a request that crashed...)."""
    start = len(_guard.records)
    yield
    new = _guard.records[start:]
    if new:
        lines = "\n".join(
            f"{r.levelname} {r.name}: {r.getMessage()}"[:2000] for r in new
        )
        pytest.fail(f"the server logged {len(new)} unexpected warning(s):\n{lines}")
