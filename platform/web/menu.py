"""The tenant menu. Features add their pages with `register`; each entry shows only to users allowed to open it.

An entry may belong to a `group`: the group shows as one item of the menu that opens a short list (a native
<details> disclosure, so it works by keyboard and without scripts), which keeps the menu on one line at 1366 px
in every language as features are added. A group shows only when at least one of its entries does.
"""
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from bibnet.access import allowed

# The group of pages about working with people and partners outside the library's rooms.
OUTREACH = _l("Outreach")


@dataclass(frozen=True)
class MenuEntry:
    label: object  # a lazy string
    endpoint: str
    permission: str
    group: object | None = None  # a lazy string: the group's label


_entries: list[MenuEntry] = []


def register(label, endpoint: str, permission: str, group=None) -> None:
    if all(entry.endpoint != endpoint for entry in _entries):
        _entries.append(MenuEntry(label, endpoint, permission, group))


def tenant_menu() -> list[dict]:
    """The menu's items in order of registration: a page (`label`, `url`, `current`) or a group (`label`,
    `entries`, `current`) placed where its first entry was registered."""
    blueprint = (request.endpoint or "").rpartition(".")[0]
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in _entries:
        if not allowed(entry.permission):
            continue
        page = {"label": entry.label, "url": url_for(entry.endpoint), "current": entry.endpoint.rpartition(".")[0] == blueprint}
        if entry.group is None:
            items.append(page)
            continue
        key = str(entry.group)
        if key not in groups:
            groups[key] = {"label": entry.group, "entries": [], "current": False}
            items.append(groups[key])
        groups[key]["entries"].append(page)
        groups[key]["current"] = groups[key]["current"] or page["current"]
    return items
