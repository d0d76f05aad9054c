"""Issue 13, done when: in the demo (`bibnet demo`), a visitor registers for Pasvalys' seniors' club on the public
page without an account, and, the club being full, waits until places free and is then promoted in the order the
waitlist came; staff of Pasvalys mark attendance on the rosters of the club and of the cross-border conference, and
the marks and counts are stored; a participant answers the wellbeing survey on a phone through its public link, and
the response is counted without anything that could name them; and the project's lead sees the programme
indicators with this reporting period's values and the evidence, on the project dashboard and in the XLSX and PDF
funding reports, where the participants of the conference's second day are added to RCO81 (the conference counts once in RCO115),
and the club's attendance is not (the club is not cross-border).

Every form is sent as a browser sends it: the fields the rendered page carries (CSRF token, the public forms' bot
guard, what is pre-filled), with what the person changes. Days come from the app's clock (`Tenant.today`).
"""
from datetime import timedelta
from html.parser import HTMLParser
import io
import re

from click.testing import CliRunner
from flask.cli import ScriptInfo
from openpyxl import load_workbook
import pypdf
import sqlalchemy as sa

from bibnet import demo
from bibnet.audit.models import AuditEntry
from bibnet.cli import main
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant
from bibnet.tenants.funding_reports.programme_indicators.demo import EVIDENCE_CODE, EVIDENCE_TEXT
from bibnet.tenants.programmes.models import Attendance, Mark, Programme, ProgrammeKind, ProgrammeSession, Registration, RegistrationStatus
from bibnet.tenants.surveys import services as surveys
from bibnet.tenants.surveys.models import Channel, SurveyResponse, SurveyRun

from conftest import log_in, take_delivered_mail

STAFF = "staff@pasvalys.example"
VISITOR = {"name": "Emma Walsh", "email": "emma.walsh@example.org", "phone": ""}
PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
PHONE_ADDRESS = "198.51.100.23"
REGISTERED, WAITLISTED, CANCELLED = RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED
# Who came to the cross-border session, per target group (the roster's counts): RCO81 counts them all.
CROSS_BORDER_CAME = {"seniors": 5, "visual": 3, "hearing": 2}


# --- a browser's forms --------------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page with what a browser sends of each as it stands: hidden and typed fields with their
    values, checked boxes and radio buttons, the selected options, the text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "method": attrs.get("method", "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self._form["fields"].append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["selected"].append(attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["selected"] or self._select["options"][:1]
            if self._form is not None and self._select["name"]:
                self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


def form_on(html: str, having: str | None = None, action: str | None = None) -> dict:
    """The page's form with a field named `having` (or sent to `action`)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if (having is None or any(name == having for name, _value in form["fields"])) and (action is None or form["action"] == action):
            return form
    raise AssertionError(f"no form with {having or action} on the page")


def send(client, url: str, having: str | None = None, action: str | None = None, headers=None, **changes):
    """Open `url`, fill in its form as a person does (`changes`: a value, a list of values, or None to leave a
    field out), and send it where the form says."""
    page = client.get(url, headers=headers)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    form = form_on(page.get_data(as_text=True), having, action)
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [str(one) for one in value] if isinstance(value, list) else [str(value)]
    assert not data.get("website", [""])[0], "a person never fills in the hidden honeypot"
    target = form["action"] or url
    if form["method"] == "get":
        return client.get(target, query_string=data, headers=headers)
    return client.post(target, data=data, headers=headers)


# --- the demo -----------------------------------------------------------------------------------------------------


def load_the_demo(app) -> None:
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def tenant(slug: str) -> Tenant:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def this_period(project: Project, today) -> ReportingPeriod:
    """The reporting period of the day the journey is made on (the demo dates its periods around it)."""
    return next(period for period in project.reporting_periods if period.starts_on <= today <= period.ends_on)


def statuses(programme_id: int) -> dict[str, RegistrationStatus]:
    rows = db.session.execute(sa.select(Registration.name, Registration.status).where(Registration.programme_id == programme_id).order_by(Registration.id))
    return dict(rows.all())


# --- what the lead reads --------------------------------------------------------------------------------------------


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


DASHBOARD_COLUMNS = ("Indicator", "Unit", "Baseline", "Target", "Previously reported", "This report", "Cumulative", "% of target", "Measured", "Evidence")


def dashboard_indicators(lead, project: Project, period: ReportingPeriod) -> dict[str, dict[str, str]]:
    """The programme indicators on the project dashboard, as shown: code → column → text."""
    page = lead.get(f"/projects/{project.id}/funding/?period={period.number}")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    table = re.search(r'<table[^>]*id="indicators-table".*?</table>', page.get_data(as_text=True), re.S)
    assert table, "the dashboard shows no programme indicators"
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', table.group(), re.S)
    return {_text(code): dict(zip(DASHBOARD_COLUMNS, (_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)), strict=True)) for code, cells in rows}


def funding_report(lead, project: Project, period: ReportingPeriod, file_format: str):
    response = lead.get(f"/projects/{project.id}/funding/report.{file_format}?period={period.number}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response


def _table(rows: list[list], first_heading: str) -> dict[str, dict[str, object]]:
    """A sheet's table under its heading row (the one starting with `first_heading`): first cell → heading → value."""
    at = next(index for index, row in enumerate(rows) if row[:1] == [first_heading])
    header = rows[at]
    return {row[0]: dict(zip(header, row, strict=False)) for row in rows[at + 1:] if row and row[0]}


def xlsx_report(lead, project: Project, period: ReportingPeriod) -> tuple[dict, dict]:
    """The XLSX funding report: its programme indicators (code → column → value) and the partners' figures
    (label → partner's code → value)."""
    workbook = load_workbook(io.BytesIO(funding_report(lead, project, period, "xlsx").data))

    def rows(sheet):
        return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]

    return _table(rows("Programme indicators"), "Code"), _table(rows("Indicators"), "Indicator")


# --- the journey ----------------------------------------------------------------------------------------------------


def test_issue_13_done_when_on_the_demo(app, app_context):
    load_the_demo(app)
    pasvalys = tenant("pasvalys")
    project = db.session.scalar(sa.select(Project).where(Project.acronym == demo.PROJECT["acronym"]))
    today = pasvalys.today()
    period = this_period(project, today)
    with tenant_scope(pasvalys):
        club = db.session.scalar(sa.select(Programme).where(Programme.kind == ProgrammeKind.CLUB))
        conference = db.session.scalar(sa.select(Programme).where(Programme.kind == ProgrammeKind.EVENT, Programme.cross_border))
        club_id, conference_id, club_cross_border = club.id, conference.id, club.cross_border
        waiting_before = [name for name, status in statuses(club_id).items() if status is WAITLISTED]
    assert not club_cross_border and waiting_before == ["Regina Navickienė", "Algirdas Ramanauskas"]  # the demo: 12 of 12 places, two waiting

    lead = app.test_client()
    log_in(lead, demo.LEAD_EMAIL, demo.PASSWORD)
    indicators_before, partners_before = xlsx_report(lead, project, period)
    pasvalys_code = next(partner.code for partner in project.partners if partner.tenant_id == pasvalys.id)

    # 1. A visitor without an account registers for the full club on its public page: on the waitlist, third.
    visitor = app.test_client()
    club_page = f"/p/pasvalys/programmes/{club_id}"
    english = {"Accept-Language": "en"}
    assert "Register for the waitlist" in visitor.get(club_page, headers=english).get_data(as_text=True)
    sent = send(visitor, club_page, having="name", headers=english, consent="y", companions="0", **VISITOR)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    confirmation_url = sent.headers["Location"]
    confirmation = visitor.get(confirmation_url, headers=english).get_data(as_text=True)
    assert "You are on the waitlist for Silver Thread seniors&#39; club." in confirmation
    with tenant_scope(pasvalys):
        assert list(statuses(club_id).items())[-3:] == [("Regina Navickienė", WAITLISTED), ("Algirdas Ramanauskas", WAITLISTED), (VISITOR["name"], WAITLISTED)]
        jonas, ona = (db.session.scalar(sa.select(Registration).where(Registration.programme_id == club_id, Registration.name == name)) for name in ("Jonas Kazlauskas", "Ona Petrauskienė"))
        jonas_token, ona_id, ona_places = jonas.token, ona.id, ona.places
    assert ona_places == 3  # she comes with two companions

    # A registered member cancels through his own link: the one place goes to the first waiting, Regina.
    participant = app.test_client()
    own_link = f"/p/pasvalys/cancel/{jonas_token}"
    cancelled = send(participant, own_link, action=own_link)
    assert cancelled.status_code == 200
    with tenant_scope(pasvalys):
        club_now = statuses(club_id)
    assert (club_now["Jonas Kazlauskas"], club_now["Regina Navickienė"], club_now["Algirdas Ramanauskas"], club_now[VISITOR["name"]]) == (CANCELLED, REGISTERED, WAITLISTED, WAITLISTED)

    # Ona phones the library, and staff cancel her registration: her three places let in Algirdas and the visitor.
    staff = app.test_client()
    log_in(staff, STAFF, demo.PASSWORD)
    registrations_page = f"/t/pasvalys/programmes/{club_id}/registrations/"
    cancelled = send(staff, registrations_page, action=f"/t/pasvalys/programmes/{club_id}/registrations/{ona_id}/cancel")
    assert cancelled.status_code == 302
    with tenant_scope(pasvalys):
        club_now = statuses(club_id)
        visitor_row = db.session.scalar(sa.select(Registration).where(Registration.programme_id == club_id, Registration.email == VISITOR["email"]))
        assert (club_now["Ona Petrauskienė"], club_now["Algirdas Ramanauskas"], club_now[VISITOR["name"]]) == (CANCELLED, REGISTERED, REGISTERED)
        assert visitor_row.promoted_at is not None and WAITLISTED not in club_now.values()
    assert "You are registered for Silver Thread seniors&#39; club." in visitor.get(confirmation_url, headers=english).get_data(as_text=True)
    assert "1 place is free." in visitor.get(club_page, headers=english).get_data(as_text=True)  # 4 freed, 3 taken
    told = {message["To"]: str(message["Subject"]) for message in take_delivered_mail(app)}
    assert told[VISITOR["email"]] == "A place is free for you: Silver Thread seniors' club"  # in the language she registered in
    assert "regina.n@example.org" in told  # Algirdas gave a phone only: the staff call him

    # 2. Staff mark attendance. On the club's last session, one member marked excused did come after all.
    with tenant_scope(pasvalys):
        last = db.session.scalar(
            sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == club_id, ProgrammeSession.starts_at < utcnow(), ProgrammeSession.cancelled_at.is_(None))
            .order_by(ProgrammeSession.starts_at.desc()).limit(1)
        )
        last_id, seniors_before = last.id, last.attended_seniors
        came_after_all = db.session.scalar(  # one still on the roster: Jonas and Ona have left it
            sa.select(Attendance.registration_id).join(Registration, Registration.id == Attendance.registration_id)
            .where(Attendance.session_id == last_id, Attendance.mark == Mark.EXCUSED, Registration.status == REGISTERED).order_by(Attendance.registration_id).limit(1)
        )
    assert came_after_all is not None
    roster = f"/t/pasvalys/programmes/{club_id}/sessions/{last_id}/roster"
    saved = send(staff, roster, having="attended_seniors", **{f"mark_{came_after_all}": "present", "attended_seniors": seniors_before + 1})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        assert db.session.scalar(sa.select(Attendance.mark).where(Attendance.session_id == last_id, Attendance.registration_id == came_after_all)) is Mark.PRESENT
        assert db.session.get(ProgrammeSession, last_id).attended_seniors == seniors_before + 1

    # The cross-border conference (held a week ago in the demo) had a second day yesterday: staff add that session,
    # then mark its roster.
    yesterday = today - timedelta(days=1)
    added = send(
        staff, f"/t/pasvalys/programmes/{conference_id}/sessions/new", having="first_date",
        place="address", first_date=yesterday.isoformat(), start_time="10:00", end_time="13:00", weeks="1", address="Pasvalio viešoji biblioteka, Vytauto g. 6",
    )
    assert added.status_code == 302, added.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        held = db.session.scalar(sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == conference_id).order_by(ProgrammeSession.starts_at.desc()).limit(1))
        groups = db.session.scalars(sa.select(Registration).where(Registration.programme_id == conference_id, Registration.status == REGISTERED).order_by(Registration.id)).all()
        held_id, held_before_now = held.id, held.starts_at < utcnow()
        marks = {f"mark_{group.id}": "present" for group in groups} | {f"present_{group.id}": group.group_size - 1 for group in groups}
    assert held_before_now and len(groups) == 2  # the two partner groups registered for the conference
    roster = f"/t/pasvalys/programmes/{conference_id}/sessions/{held_id}/roster"
    saved = send(staff, roster, having="attended_seniors", **marks, **{f"attended_{group}": count for group, count in CROSS_BORDER_CAME.items()})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        stored = {row.registration_id: (row.mark, row.present) for row in db.session.scalars(sa.select(Attendance).where(Attendance.session_id == held_id))}
        assert stored == {group.id: (Mark.PRESENT, group.group_size - 1) for group in groups}
        session = db.session.get(ProgrammeSession, held_id)
        assert {group: getattr(session, f"attended_{group}") for group in CROSS_BORDER_CAME} == CROSS_BORDER_CAME

    # 3. A participant answers the wellbeing survey on a phone, through its public link, without logging in.
    with tenant_scope(pasvalys):
        [open_run] = [run for run in db.session.scalars(sa.select(SurveyRun)) if surveys.is_open(run, today)]  # the "after" run
        run_id, survey_code = open_run.id, open_run.code
        answered_before = db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse).where(SurveyResponse.run_id == run_id))
    phone = app.test_client()
    phone.environ_base.update({"REMOTE_ADDR": PHONE_ADDRESS, "HTTP_USER_AGENT": PHONE})
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    form_page = send(phone, f"/s/{survey_code}", having="form", form="easy_read", lang="lt", faces="1")  # the choice of form and language
    assert form_page.status_code == 200 and '<html lang="lt">' in form_page.get_data(as_text=True)
    items = sorted(set(re.findall(r'name="(answers_\d+)"', form_page.get_data(as_text=True))))
    assert len(items) == 4
    thanked = send(phone, form_page.request.full_path, having="started", **dict.fromkeys(items, "4"))
    assert thanked.status_code == 302 and thanked.headers["Location"].startswith(f"/s/{survey_code}/thanks"), thanked.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        answered = db.session.scalars(sa.select(SurveyResponse).where(SurveyResponse.run_id == run_id).order_by(SurveyResponse.id)).all()
        assert len(answered) == answered_before + 1
        kept = {column.key: getattr(answered[-1], column.key) for column in SurveyResponse.__mapper__.column_attrs}
    assert set(kept) == {"id", "tenant_id", "run_id", "channel", "received_on", "match_key"}  # no user, no address, no time of day
    assert (kept["channel"], kept["received_on"], kept["match_key"]) == (Channel.ONLINE, today, None)
    assert PHONE_ADDRESS not in str(kept) and "Android" not in str(kept)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_before  # nobody is recorded as having answered

    # 4. The lead sees the indicators with this period's values and the evidence: dashboard, XLSX, PDF.
    indicators, partners = xlsx_report(lead, project, period)
    came = sum(CROSS_BORDER_CAME.values())
    assert indicators["RCO81"]["This report"] == indicators_before["RCO81"]["This report"] + came  # the cross-border session's, not the club's
    assert indicators["RCO115"]["This report"] == indicators_before["RCO115"]["This report"] == 1  # the conference: one event, however many days it had
    for code, row in indicators.items():
        assert row["Cumulative"] == row["Previously reported"] + row["This report"], code
        if code not in ("RCO81", "RCO115"):
            assert row == indicators_before[code], code
    assert indicators[EVIDENCE_CODE]["Evidence"] == f"{EVIDENCE_TEXT} (letters-of-intent.pdf)"
    participants = "Programme participants in all target groups"  # every programme's, cross-border or not
    assert partners[participants][pasvalys_code] == partners_before[participants][pasvalys_code] + 1 + came
    assert partners["Survey responses received"][pasvalys_code] == partners_before["Survey responses received"][pasvalys_code] + 1

    shown = dashboard_indicators(lead, project, period)
    assert set(shown) == set(indicators)
    for code, row in indicators.items():  # the dashboard shows the report's numbers
        assert [shown[code][column] for column in ("Target", "Previously reported", "This report", "Cumulative")] == [
            str(row[column]) for column in ("Target", "Previously reported", "This report", "Cumulative")
        ], code
    assert shown[EVIDENCE_CODE]["Evidence"] == f"{EVIDENCE_TEXT} (letters-of-intent.pdf)"

    pdf = pypdf.PdfReader(io.BytesIO(funding_report(lead, project, period, "pdf").data))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Programme indicators" in text and "Letters of intent" in text
    assert all(code in text for code in indicators)
