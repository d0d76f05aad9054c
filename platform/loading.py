"""One way to load what a URL names: a feature registers a loader for a URL value (`expenditure_id`), and the
core replaces the value by the object before the view runs, and before `access.enforce`, so that permission
predicates can look at it (`addressed("item")`).

Loaders run once per request, after the tenant and project resolvers (`g.tenant`, `g.project` are set) and
in the order they were registered, so a loader may use what an earlier one loaded (an attachment, its
item). A loader reads through the tenant guard (`bibnet.tenancy.queries.get_or_404`, or a SELECT) and returns
None for what the caller may not see, which answers 404 whatever the request body holds: another tenant's
row, a row of another project, one deleted, or one the caller may not see (a file of an area they may not
read).
"""
from collections.abc import Callable

from flask import abort, g

Loader = Callable[[object], object | None]
_loaders: dict[str, tuple[str, Loader]] = {}


def register_loader(url_argument: str, view_argument: str, loader: Loader) -> None:
    """The view gets `loader(value)` as its `view_argument` instead of the URL value `url_argument`."""
    if url_argument in _loaders and _loaders[url_argument] != (view_argument, loader):
        raise ValueError(f"a loader for {url_argument!r} is already registered")
    _loaders[url_argument] = (view_argument, loader)


def addressed(view_argument: str):
    """The object the URL names, loaded for this request (None when the URL names none)."""
    return g.get("addressed", {}).get(view_argument)


def _load(endpoint, values) -> None:
    if not values:
        return
    for url_argument, (view_argument, loader) in _loaders.items():
        if url_argument in values:
            found = loader(values.pop(url_argument))
            if found is None:
                abort(404)
            g.setdefault("addressed", {})[view_argument] = values[view_argument] = found


def init_app(app) -> None:
    """After the tenant and project resolvers, before `access.enforce` (a `before_request` hook)."""
    app.url_value_preprocessor(_load)
