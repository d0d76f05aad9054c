"""Help pages: an index (`/help/`) and a short page per area of work, which features register and write.

A feature registers its page from `init_app`: `help.register_help("booking", _l("Booking a room"),
"bookings/help.html")`; the template extends `help/page.html` and fills its block `help`. Pages of the area
link to it with `{{ help_link("booking") }}`, which prints nothing when no feature registered the area. The
pages are public unless registered with a permission (then only its holders see them; others get 404).
"""
from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from bibnet.access import allowed, public
from bibnet.loading import register_loader


@dataclass(frozen=True)
class HelpPage:
    area: str
    title: object  # a lazy string
    template: str
    permission: str | None


_pages: dict[str, HelpPage] = {}

bp = Blueprint("help", __name__, url_prefix="/help")


def register_help(area: str, title, template: str, permission: str | None = None) -> None:
    """The help page of `area` (a URL word: "booking") titled `title`, rendered from the feature's `template`."""
    _pages[area] = HelpPage(area, title, template, permission)


def _visible(page: HelpPage) -> bool:
    return page.permission is None or allowed(page.permission)


def visible_help_pages() -> list[HelpPage]:
    return [page for page in _pages.values() if _visible(page)]


def _visible_page(area: str) -> HelpPage | None:
    page = _pages.get(area)
    return page if page is not None and _visible(page) else None


def help_link(area: str) -> Markup:
    """A small "Help" link to the area's page, for the area's own pages; nothing when it has none."""
    page = _visible_page(area)
    if page is None:
        return Markup("")
    return Markup('<p class="help-link"><a href="{url}">{text}</a></p>').format(
        url=url_for("help.area", help_area=area), text=_("Help: %(title)s", title=page.title)
    )


bp.add_app_template_global(help_link, "help_link")


@bp.route("/")
@public
def index():
    return render_template("help/index.html", help_pages=visible_help_pages())


@bp.route("/<help_area>")  # loaded below
@public
def area(help_page):
    return render_template(help_page.template, help_page=help_page, help_pages=visible_help_pages())


register_loader("help_area", "help_page", _visible_page)
