"""What is waiting for the user: features register task providers, and every role's home starts with the tasks.

A provider takes the signed-in user and returns their tasks of one kind: a counted label (an ngettext call), a
link to the page where the work is done, and an urgency that orders the list. It reads with a bounded number of
queries whatever the number of tenants, projects or rows (one grouped count is the rule), so the home stays
cheap: the query-count test covers it. The core never imports a feature: bookings register the requests to
approve, expenditure the items to verify, budgets the drafts to approve; loans or certificates plug in the same way.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
import enum


class Urgency(enum.IntEnum):
    """Most urgent first; the value orders the list."""

    OVERDUE = 0  # a deadline has passed (a loan overdue)
    WAITING = 1  # someone waits for the user's decision (a request to approve, items to verify)
    SOON = 2  # a deadline comes near (a certificate expiring)


@dataclass(frozen=True)
class Task:
    label: str  # says how many and of what, in the interface language (ngettext)
    count: int
    url: str
    urgency: Urgency = Urgency.WAITING


TaskProvider = Callable[[object], Iterable[Task]]
_providers: dict[str, TaskProvider] = {}


def register(name: str, provider: TaskProvider) -> None:
    """Add `provider(user)` to every home. Registering a name twice keeps the first (modules are imported once per
    app, but tests build several apps)."""
    _providers.setdefault(name, provider)


def tasks_of(user) -> list[Task]:
    """The user's tasks from every provider, most urgent first; kinds with nothing waiting are left out."""
    found = [task for provider in _providers.values() for task in provider(user) if task.count > 0]
    return sorted(found, key=lambda task: task.urgency)
