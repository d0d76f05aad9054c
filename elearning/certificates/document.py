"""A certificate as a tagged PDF (PDF/UA-1, the core's `bibnet.pdf`) in the learner's own language: their name,
the course, the study hours, the date, the issuing library and project, the EU co-funding line, the code and a
QR code of the public verification address. Images travel inside the document (`data:` URLs): nothing is
fetched, and the fonts are the system's.
"""
import base64
from functools import cache
from pathlib import Path
from typing import IO

from flask import current_app, render_template, url_for
from flask_babel import force_locale
import sqlalchemy as sa

from bibnet import notifications
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate
from bibnet.elearning.languages import choose
from bibnet.extensions import db
from bibnet.tenancy.models import Partner, Project, Tenant
from bibnet.web.downloads import pdf_maker


@cache
def _emblem_uri() -> str:
    svg = (Path(current_app.static_folder) / "eu-emblem.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def verification_url(code: str) -> str:
    return url_for("certificates_public.verify", code=services.shown(code), _external=True)


def qr_code_uri(url: str) -> str:
    import segno  # on the first certificate, not at start

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def language_of_learner(certificate: Certificate) -> str:
    return notifications.language_of(certificate.user)


def project_of(certificate: Certificate) -> Project | None:
    """The course's project, else the first project the library is a partner of."""
    if certificate.course.project_id is not None:
        return db.session.get(Project, certificate.course.project_id)
    return db.session.scalar(
        sa.select(Project).join(Partner, Partner.project_id == Project.id).where(Partner.tenant_id == certificate.tenant_id).order_by(Project.id).limit(1)
    )


def filename(certificate: Certificate) -> str:
    return f"certificate-{services.shown(certificate.code)}.pdf"


def render(certificate: Certificate) -> IO[bytes]:
    """The PDF in a temporary file, at its start (the certificate's user and course are loaded); the caller closes it."""
    pdf = pdf_maker()
    language = language_of_learner(certificate)
    url = verification_url(certificate.code)
    with force_locale(language):
        title = choose(certificate.course.title, [language, *current_app.config["LOCALES"]])
        html = render_template(
            "elearning/certificates/certificate_pdf.html",
            certificate=certificate, language=language, course_title=title.text, course_language=title.locale or language,
            hours=services.hours(certificate.minutes), library=db.session.get(Tenant, certificate.tenant_id),
            project=project_of(certificate), code=services.shown(certificate.code), url=url,
            qr_code=qr_code_uri(url), emblem=_emblem_uri(),
        )
    return pdf.render(html)
