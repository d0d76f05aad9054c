"""Benchmark of the staff e-learning on PostgreSQL: 2,000 staff in 20 libraries, 30 courses, 300,000 lessons done.

    .venv/bin/python bench/elearning_bench.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/elearning_bench.py   # an EMPTY database of yours

Measured: the coordinator's progress matrix (the page and the API's JSON), a lesson (the page and the API's
JSON), the staff-trained indicator of the project as the funding report computes it (`bibnet.figures.of_project`),
and one certificate PDF. Pages and the API go through Flask's test
client (the application's own time: routing, log-in, queries, template or JSON; no HTTP), one request at a time;
SQL statements are counted per request. This is a script, not a test: it prints a Markdown table (see
bench/README.md for the figures and their meaning).

The data: 20 libraries, partners of one project, each with a coordinator and 99 staff; 10 courses of the project
(shared by all 20) and one course of each library's own, each of 4 modules × 4 lessons (one optional per module)
in English, Latvian and Lithuanian; every member is enrolled in the 10 shared courses and their library's own
(22,000 enrolments), with 300,000 lessons done among them. Users, tenants and courses are made through the
models; enrolments and lesson progress are loaded with COPY.
"""
import argparse
from datetime import UTC, datetime, timedelta
import gc
from pathlib import Path
import random
import statistics
import sys
import time as clock

from flask import current_app
import measuring
from measuring import (
    WARM_UP,
    Figure,
    StatementCounter,
    TestClientTransport,
    add_run_arguments,
    bench_app,
    first_failures,
    log_in,
    machine_facts,
    migrate_empty_database,
    on_database,
    report_head,
)
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet import figures
from bibnet.accounts import services as account_services
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.db import owner_engine
from bibnet.elearning.certificates import document as certificate_document
from bibnet.elearning.certificates import services as certificates
from bibnet.elearning.certificates.lookups import certificate_of_library
from bibnet.elearning.models import Course, CourseModule, CourseStatus, Enrolment, Lesson
from bibnet.elearning.report_figures import STAFF_COMPLETED
from bibnet.extensions import db
from bibnet.tenancy.context import raw_sql, tenant_scope
from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, Tenant

TARGETS = (
    "Targets: progress matrix p95 < 100 ms with a bounded number of statements; a lesson page p95 < 50 ms; "
    "the staff-trained indicator of a project < 200 ms; one certificate PDF < 1 s."
)
PASSWORD = "bench-password"
ZONE = "Europe/Riga"
LOCALES = ("en", "lv", "lt")
MODULES, LESSONS_PER_MODULE = 4, 4
SHARED_COURSES = 10
PROJECT_DAYS = 3 * 365
ENROLMENT_COLUMNS = ("id", "tenant_id", "user_id", "course_id", "due_on", "enrolled_by_id", "completed_at", "created_at")
PROGRESS_COLUMNS = ("id", "tenant_id", "enrolment_id", "lesson_id", "completed_at")
# A lesson of realistic length: headings, a list, a table and an image with alt text, about 1.5 KB of Markdown.
LESSON_TEXT = """## {title}

Greet the visitor by name when you know it, and say yours. Ask how they would like to be helped; never assume.
Speak calmly and face the person, so that they can read your lips if they wish.

- Keep the room dim and quiet before a session starts.
- Offer the weighted blanket, but do not put it on anyone.
- Tell the group how long the session lasts and when it ends.

| Before | During | After |
|---|---|---|
| Air the room | Stay within reach | Ask how it went |
| Check the lights | Keep your voice low | Write down what helped |

![The bubble tube lit in blue, with two chairs beside it](bubble-tube.jpg)

**Remember:** a visitor may leave at any moment, and that is fine. Walk with them to the door if they ask.
""" * 2


class Bench:
    """What the measurements need to know about the generated data."""

    def __init__(self):
        self.slugs: list[str] = []
        self.coordinator_emails: list[str] = []
        self.coordinator_tokens: list[str] = []
        self.learner_emails: list[str] = []
        self.project_id: int | None = None
        self.course_lessons: dict[int, list[int]] = {}  # course id → lesson ids, of the first library's courses
        self.people_per_tenant = 0
        self.progress_rows = 0
        self.enrolments = 0


# --- Data -------------------------------------------------------------------------------------------------

def _course(owner: dict, number: int, rng: random.Random) -> Course:
    course = Course(status=CourseStatus.PUBLISHED, published_at=datetime.now(UTC), **owner)
    course.title = {locale: f"Course {number} ({locale})" for locale in LOCALES}
    course.summary = {locale: f"What course {number} teaches ({locale})." for locale in LOCALES}
    for m in range(MODULES):
        module = CourseModule(course=course, position=m, title={locale: f"Module {m + 1} ({locale})" for locale in LOCALES})
        for n in range(LESSONS_PER_MODULE):
            title = {locale: f"Lesson {m + 1}.{n + 1} ({locale})" for locale in LOCALES}
            Lesson(
                module=module, position=n, required=n < LESSONS_PER_MODULE - 1, estimated_minutes=rng.choice((10, 15, 20)),
                title=title, content={locale: LESSON_TEXT.format(title=title[locale]) for locale in LOCALES},
            )
    db.session.add(course)
    return course


def _copy(connection, table: str, columns: tuple[str, ...], rows) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _progress_plan(enrolments: int, lessons: int, target: int, rng: random.Random) -> list[int]:
    """Lessons done per enrolment, summing to `target`: most enrolments finished, the others part-way."""
    done = [lessons if rng.random() < 0.7 else rng.randrange(lessons) for _ in range(enrolments)]
    difference = target - sum(done)
    step = 1 if difference > 0 else -1
    order = list(range(enrolments))
    rng.shuffle(order)
    while difference:
        for i in order:
            if difference and 0 <= done[i] + step <= lessons:
                done[i] += step
                difference -= step
    return done


def build(tenants: int, people: int, own_courses: int, progress: int, now: datetime, seed: int = 11) -> Bench:
    """Libraries, staff, courses, enrolments and progress. Needs an app context."""
    rng = random.Random(seed)
    bench = Bench()
    bench.people_per_tenant = people
    password_hash = hash_password(PASSWORD)
    project = Project(
        programme="Interreg VI-A Latvia–Lithuania", acronym="BenchTraining", title="Bench training",
        starts_on=(now - timedelta(days=PROJECT_DAYS - 180)).date(), ends_on=(now + timedelta(days=180)).date(),
    )
    db.session.add(project)
    shared = [_course({"project": project}, number + 1, rng) for number in range(SHARED_COURSES)]
    libraries = []
    for t in range(tenants):
        slug = f"bench-{t + 1:02d}"
        tenant = Tenant(slug=slug, name=f"Bench library {t + 1}", country=Country.LV, default_locale="lv", timezone=ZONE)
        db.session.add(tenant)
        db.session.flush()
        db.session.add(Partner(project=project, tenant_id=tenant.id, number=t + 1, role=PartnerRole.LEAD if t == 0 else PartnerRole.PARTNER))
        users = [
            User(email=f"{'coordinator' if p == 0 else f'staff{p:03d}'}@{slug}.example", name=f"{rng.choice('ABCDEFGHIJKLMNOPRSTUVZ')}. Person {p:03d}", password_hash=password_hash, locale=rng.choice(LOCALES))
            for p in range(people)
        ]
        db.session.add_all(users)
        db.session.flush()
        with tenant_scope(tenant):
            db.session.add_all([Membership(user_id=user.id, role=Role.COORDINATOR if p == 0 else Role.STAFF) for p, user in enumerate(users)])
            db.session.flush()
        own = [_course({"owner_tenant_id": tenant.id}, SHARED_COURSES + own_courses * t + n + 1, rng) for n in range(own_courses)]
        libraries.append((tenant, users, own))
        bench.slugs.append(slug)
        bench.coordinator_emails.append(users[0].email)
        bench.coordinator_tokens.append(account_services.issue_api_token(users[0], "benchmark"))
        bench.learner_emails.append(users[1].email)
    db.session.flush()
    lessons_of = {course.id: [lesson.id for module in course.modules for lesson in module.lessons] for course in shared + [c for _t, _u, own in libraries for c in own]}
    required_of = {course.id: [lesson.id for module in course.modules for lesson in module.lessons if lesson.required] for course in shared + [c for _t, _u, own in libraries for c in own]}
    bench.course_lessons = {course.id: lessons_of[course.id] for course in shared + libraries[0][2]}
    bench.project_id = project.id
    db.session.commit()

    enrolments, done_rows = [], []
    for tenant, users, own in libraries:
        for user in users:
            for course in shared + own:
                enrolments.append((tenant.id, user.id, course.id, users[0].id))
    plan = _progress_plan(len(enrolments), MODULES * LESSONS_PER_MODULE, progress, rng)
    enrolment_rows = []
    for number, ((tenant_id, user_id, course_id, coordinator_id), done) in enumerate(zip(enrolments, plan, strict=True), start=1):
        started = now - timedelta(days=rng.randrange(30, PROJECT_DAYS - 200), minutes=rng.randrange(1440))
        lessons = lessons_of[course_id][:done]
        moments = sorted(started + timedelta(days=rng.random() * 60) for _ in lessons)
        for lesson_id, moment in zip(lessons, moments, strict=True):
            done_rows.append((len(done_rows) + 1, tenant_id, number, lesson_id, moment))
        completed = moments[-1] if set(required_of[course_id]) <= set(lessons) else None
        due = (started + timedelta(days=rng.choice((30, 60, 90)))).date() if rng.random() < 0.5 else None
        enrolment_rows.append((number, tenant_id, user_id, course_id, due, coordinator_id, completed, started))
    with raw_sql(reason="benchmark data: enrolments and lesson progress loaded with COPY"):
        connection = db.session.connection().connection.dbapi_connection
        _copy(connection, "enrolment", ENROLMENT_COLUMNS, enrolment_rows)
        _copy(connection, "lesson_progress", PROGRESS_COLUMNS, done_rows)
        for table in ("enrolment", "lesson_progress"):
            db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()
    bench.enrolments, bench.progress_rows = len(enrolment_rows), len(done_rows)
    with owner_engine(current_app).connect() as connection:  # VACUUM skips the tables a role does not own
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    return bench


# --- Measurements -------------------------------------------------------------------------------------------

# The benchmark's own CPU time per request (time.process_time: Python, the template, the driver; not PostgreSQL's),
# by figure name. On a shared machine the wall-clock figures wait for the CPU; this shows the work itself.
CPU_MS: dict[str, list[float]] = {}


def measure(name: str, how: str, call, n: int, repeats: int, counter) -> Figure:
    """`measuring.measure`, also keeping the process's CPU time of each measured request."""
    cpu = CPU_MS.setdefault(name, [])

    def timed(i):
        started = clock.process_time()
        failure = call(i)
        cpu.append((clock.process_time() - started) * 1000)
        return failure

    figure = measuring.measure(name, how, timed, n, repeats, counter)
    del cpu[:WARM_UP]
    return figure


def cpu_text(name: str) -> str:
    times = CPU_MS.get(name) or [0.0]
    return f"{statistics.median(times):.1f} / {statistics.quantiles(times, n=20, method='inclusive')[-1]:.1f}" if len(times) > 1 else "–"


def _get(transport, path_of, headers=None):
    def call(i):
        status, body = transport.request("GET", path_of(i), headers=headers)
        return None if status == 200 else f"status {status}: {body[:300]!r}"
    return call


def bench_matrix(app, bench: Bench, n: int, repeats: int, counter) -> list[Figure]:
    """The first library's coordinator goes through the pages of the matrix (20 people a page), the page and the API."""
    transport = TestClientTransport(app)
    log_in(transport, bench.coordinator_emails[0], PASSWORD)
    pages = max(1, -(-bench.people_per_tenant // 20))
    slug = bench.slugs[0]
    page = _get(transport, lambda i: f"/t/{slug}/elearning/manage/progress?page={1 + i % pages}")
    api = _get(transport, lambda i: f"/api/v1/tenants/{slug}/elearning/progress?page={1 + i % pages}", {"Authorization": f"Bearer {bench.coordinator_tokens[0]}"})
    return [
        measure("Progress matrix page (20 staff × 11 courses)", transport.how, page, n, repeats, counter),
        measure("Progress matrix, API JSON", transport.how, api, n, repeats, counter),
    ]


def bench_lesson(app, bench: Bench, n: int, repeats: int, counter) -> list[Figure]:
    """A member of staff of the first library reads lessons of its 11 courses in turn, the page and the API."""
    transport = TestClientTransport(app)
    log_in(transport, bench.learner_emails[0], PASSWORD)
    with app.app_context():
        learner = db.session.scalar(sa.select(User).where(User.email == bench.learner_emails[0]))
        token = account_services.issue_api_token(learner, "benchmark")
        db.session.commit()
    lessons = [(course_id, lesson_id) for course_id, ids in bench.course_lessons.items() for lesson_id in ids]
    slug = bench.slugs[0]
    page = _get(transport, lambda i: "/t/{}/elearning/courses/{}/lessons/{}/".format(slug, *lessons[i % len(lessons)]))
    api = _get(transport, lambda i: "/api/v1/tenants/{}/elearning/courses/{}/lessons/{}".format(slug, *lessons[i % len(lessons)]), {"Authorization": f"Bearer {token}"})
    return [
        measure("Lesson page", transport.how, page, n, repeats, counter),
        measure("Lesson, API JSON", transport.how, api, n, repeats, counter),
    ]


def bench_staff_trained(app, bench: Bench, n: int, repeats: int, counter) -> Figure:
    """The staff who completed a course, per partner of the project over the whole project, as the funding
    report's indicators read it (`figures.of_project` across the partners), in a fresh application context each."""

    def call(i):
        with app.app_context():
            project = db.session.get(Project, bench.project_id)
            table = figures.of_project(project, [STAFF_COMPLETED], project.starts_on, project.ends_on)
            return None if table.total(STAFF_COMPLETED) > 0 else "nobody counted"

    return measure("Staff-trained indicator of the project (20 partners)", "in process", call, n, repeats, counter)


# --- One certificate PDF < 1 s ---------------------------------------------------------------------------------

def certificate_pdf_call(app, bench: Bench):
    """A `call(i)` that renders the certificate of one completed enrolment of the first library as its download
    does (`document.render`), in a fresh request context each: fonts, QR code, tagged PDF."""
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == bench.slugs[0]))
        with tenant_scope(tenant):
            enrolment = db.session.scalar(sa.select(Enrolment).order_by(Enrolment.completed_at.is_(None), Enrolment.id).limit(1))
            enrolment.completed_at = enrolment.completed_at or datetime.now(UTC)  # the generated data may hold none
            course = db.session.scalar(
                sa.select(Course).where(Course.id == enrolment.course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons))
            )
            certificate = certificates.issue(enrolment, course)
            db.session.commit()
            certificate_id, tenant_id = certificate.id, tenant.id

    def call(i):
        with app.test_request_context(), tenant_scope(db.session.get(Tenant, tenant_id)):
            pdf = certificate_document.render(certificate_of_library(certificate_id)).read()  # loaded as its download does
            return None if pdf.startswith(b"%PDF") else "not a PDF"

    return call


def bench_certificate_pdf(app, bench: Bench, repeats: int, counter) -> Figure:
    return measure("One certificate PDF", "in process", certificate_pdf_call(app, bench), 20, repeats, counter)


# --- Report -------------------------------------------------------------------------------------------------

def report(results: list[Figure], facts: dict, data: dict) -> str:
    lines = [
        *report_head(facts, data),
        "| Work | Measured through | Requests | p50 ms | p95 ms | max ms | CPU ms of the app, p50 / p95 | SQL statements per request | Failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in results:
        slowest = max(max(run) for run in f.runs)
        lines.append(f"| {f.name} | {f.how} | {f.requests} | {f.p50:.1f} | {f.p95:.1f} | {slowest:.1f} | {cpu_text(f.name)} | {f.statements_text()} | {len(f.failures)} |")
    lines += first_failures(results)
    return "\n".join(lines)


def measure_all(database_url: str, instance: Path, args) -> int:
    app = bench_app(database_url, instance)
    with app.app_context():
        migrate_empty_database()
        started = clock.perf_counter()
        bench = build(args.tenants, args.people, 1, args.progress, datetime.now(UTC))
        generated = clock.perf_counter() - started
        print(f"Generated {bench.progress_rows} lessons done in {generated:.1f} s", file=sys.stderr)
        counter = StatementCounter(db.engine)
        courses = db.session.scalar(sa.select(sa.func.count()).select_from(Course))
    data = {
        "libraries": args.tenants, "staff": args.tenants * args.people, "courses": courses,
        "enrolments": bench.enrolments, "lessons done": bench.progress_rows, "generated in": f"{generated:.0f} s",
    }
    facts = machine_facts(app)
    gc.collect()  # as bibnet.wsgi does at start: the long-lived objects are left out of full garbage collections
    gc.freeze()
    results = [
        *bench_matrix(app, bench, args.requests, args.repeats, counter),
        *bench_lesson(app, bench, args.requests, args.repeats, counter),
        bench_staff_trained(app, bench, args.requests, args.repeats, counter),
    ]
    results.append(bench_certificate_pdf(app, bench, args.repeats, counter))
    print(report(results, facts, data))
    print("\n" + TARGETS)
    with app.app_context():
        db.engine.dispose()
    return 1 if any(f.failures for f in results) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_arguments(parser)
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--people", type=int, default=100, help="members per library, its coordinator included (default 100)")
    parser.add_argument("--progress", type=int, default=300_000, help="lessons done, across every library (default 300,000)")
    args = parser.parse_args()
    limit = args.tenants * args.people * (SHARED_COURSES + 1) * MODULES * LESSONS_PER_MODULE
    if args.progress > limit:
        raise SystemExit(f"--progress can be at most {limit} with these many libraries and people.")
    return on_database(args, lambda database_url, instance: measure_all(database_url, instance, args))


if __name__ == "__main__":
    sys.exit(main())
