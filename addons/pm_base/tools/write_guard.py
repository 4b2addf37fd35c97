# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may write the guarded fields of the service records, and when kept
records may be deleted (R-KEEP-1): the one place that says so.

Why a context variable and not a context key: RPC callers choose the context of
their calls, but not the value of a variable of this Python module. Only server
code (an ``action_*`` method after its own checks, a wizard, a cron, a private
business method that RPC cannot call) sets it.

The model side is ``pm.workflow.guard.mixin`` (pm_base/models/pm_write_guard.py).
"""

import contextlib
import contextvars
import functools

# the abstract model every guarded model inherits
GUARD_MIXIN = "pm.workflow.guard.mixin"

_TRUSTED = contextvars.ContextVar("pm_workflow_trusted", default=False)
_PURGE = contextvars.ContextVar("pm_retention_purge", default=False)


@contextlib.contextmanager
def workflow_writes():
    """Let the enclosed server code write workflow fields."""
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


@contextlib.contextmanager
def retention_purge():
    """Let the enclosed server code delete kept records (the retention purge)."""
    token = _PURGE.set(True)
    trusted = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(trusted)
        _PURGE.reset(token)


def workflow_action(method):
    """Decorate an action, wizard step or business method that writes workflow
    fields after checking the group and the transition itself."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with workflow_writes():
            return method(self, *args, **kwargs)

    return wrapper


def is_trusted(env):
    """True for the superuser, crons running as such, and workflow actions."""
    return env.su or _TRUSTED.get()


def is_purging():
    """True inside the administrator's retention purge only."""
    return _PURGE.get()
