"""A session's paper roster as a tagged PDF (the core's `bibnet.pdf`): the registrations holding places, a box
each for present / excused / absent (and how many of a group came), and the counts per target group to fill
in; for a session where the screen is not at hand, typed into the roster page afterwards."""
from typing import IO

from flask import render_template
from flask_babel import get_locale

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.bookings.recurrence import to_local
from bibnet.tenants.programmes import services
from bibnet.tenants.programmes.labels import text_in
from bibnet.tenants.programmes.models import Programme, ProgrammeSession
from bibnet.web.downloads import pdf_maker


def render(programme: Programme, session: ProgrammeSession) -> IO[bytes]:
    tenant = db.session.get(Tenant, programme.tenant_id)
    language = str(get_locale())
    html = render_template(
        "programmes/roster_pdf.html", programme=programme, session=session, title=text_in(programme.title, language), tenant=tenant,
        starts=to_local(session.starts_at, tenant.timezone), ends=to_local(session.ends_at, tenant.timezone), on_roster=services.roster_registrations(programme),
        groups=[(group.value, VISITOR_LABELS[group.value]) for group in TargetGroup], made_at=utcnow(), language=language,
    )
    return pdf_maker().render(html)
