"""Places in core pages where features add their own content, so that the core never imports a feature.

- Home panels: a box on the tenant home (`tenancy/home.html`). A feature registers a template and a
  function that returns the template's data; the panel shows only to users holding `permission` in the tenant.
- Page sections: a part of another feature's page about one object (the equipment in a room on the room's
  page, the loans of an item on the item's page). The page names itself (`"rooms.room"`); a feature registers a
  template and a function of the page's object returning the template's data, shown to holders of `permission`.
  The page includes `{% for section in page_sections("rooms.room", room) %}` and each section's template reads
  `section.data`.
- Project links: a link per project on the dashboard of project leads and admins, to a page taking `project_id`.
  Such a page decides itself who may see it (the lead of the project or an admin).
- The header's project links: a project lead finds the page of each project they lead (`web.project`, which
  lists these project links) in the header of every page.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, url_for
from flask_login import current_user
import sqlalchemy as sa

from bibnet.access import allowed
from bibnet.extensions import db
from bibnet.tenancy.models import Project, ProjectLead


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[], dict]
    permission: str


@dataclass(frozen=True)
class ShownPanel:
    template: str
    data: dict


@dataclass(frozen=True)
class ProjectLink:
    label: object  # a lazy string
    endpoint: str


@dataclass(frozen=True)
class PageSection:
    template: str
    context: Callable[[object], dict]
    permission: str
    order: int


_home_panels: list[HomePanel] = []
_page_sections: dict[str, list[PageSection]] = {}
_project_links: list[ProjectLink] = []


def register_home_panel(template: str, context: Callable[[], dict], permission: str) -> None:
    """Show `template` on the tenant home, with `context()` as its `panel.data`, to holders of `permission`."""
    if all(panel.template != template for panel in _home_panels):
        _home_panels.append(HomePanel(template, context, permission))


def home_panels() -> list[ShownPanel]:
    """The panels the current user may see in the current tenant; only their data functions run."""
    return [ShownPanel(panel.template, panel.context()) for panel in _home_panels if allowed(panel.permission)]


def register_page_section(page: str, template: str, context: Callable[[object], dict], permission: str, order: int = 50) -> None:
    """Show `template` on `page` (a page's own name, such as "rooms.room"), with `context(obj)` as its `section.data`."""
    sections = _page_sections.setdefault(page, [])
    if all(section.template != template for section in sections):
        sections.append(PageSection(template, context, permission, order))
        sections.sort(key=lambda section: section.order)


def page_sections(page: str, obj) -> list[ShownPanel]:
    """The sections of `page` about `obj` the current user may see; only their data functions run."""
    return [ShownPanel(section.template, section.context(obj)) for section in _page_sections.get(page, ()) if allowed(section.permission)]


def register_project_link(label, endpoint: str) -> None:
    """Link every project on the dashboard to `endpoint`, built with the project's id as `project_id`."""
    if all(link.endpoint != endpoint for link in _project_links):
        _project_links.append(ProjectLink(label, endpoint))


def project_links() -> list[ProjectLink]:
    """The registered links whose page exists in this app (a feature may be switched off)."""
    return [link for link in _project_links if link.endpoint in current_app.view_functions]


def header_projects() -> list[dict]:
    """The projects the signed-in user leads, each with the URL of its page, for the header. The user loader
    reads them with the user (`g.led_projects`); only a user loaded another way costs a query."""
    if not current_user.is_authenticated:
        return []
    if "led_projects" not in g:
        g.led_projects = db.session.execute(
            sa.select(Project.id, Project.acronym).join(ProjectLead, ProjectLead.project_id == Project.id).where(ProjectLead.user_id == current_user.id).order_by(Project.acronym)
        ).all()
    return [{"acronym": acronym, "url": url_for("web.project", project_id=project_id)} for project_id, acronym in g.led_projects]
