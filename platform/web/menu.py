"""The tenant menu. Features add their pages with `register`; each entry shows only to users allowed to open it."""
from dataclasses import dataclass

from flask import request, url_for

from bibnet.access import allowed


@dataclass(frozen=True)
class MenuEntry:
    label: object  # a lazy string
    endpoint: str
    permission: str


_entries: list[MenuEntry] = []


def register(label, endpoint: str, permission: str) -> None:
    if all(entry.endpoint != endpoint for entry in _entries):
        _entries.append(MenuEntry(label, endpoint, permission))


def tenant_menu() -> list[dict]:
    blueprint = (request.endpoint or "").rpartition(".")[0]
    return [
        {"label": entry.label, "url": url_for(entry.endpoint), "current": entry.endpoint.rpartition(".")[0] == blueprint}
        for entry in _entries
        if allowed(entry.permission)
    ]
