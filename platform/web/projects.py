"""A feature's start page under /t/<slug>/: the page of the tenant's only project, or the list of its projects.

Each feature keeps its own endpoint (and so its permission) and its own words: its template extends
`web/choose_project.html` and fills the blocks `heading`, `choose` and `no_project` (and `title`).
"""
from flask import redirect, render_template, url_for

from bibnet.tenancy.queries import projects_of_current_tenant


def only_project_or_list(endpoint: str, template: str):
    """A redirect to `endpoint` for the tenant's only project; else `template`, listing its projects, each
    linked to `endpoint` (none: the template says so)."""
    projects = projects_of_current_tenant()
    if len(projects) == 1:
        return redirect(url_for(endpoint, project_id=projects[0].id))
    return render_template(template, projects=projects, project_endpoint=endpoint)
