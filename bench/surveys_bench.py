"""Benchmark of the survey results: 10,000 responses of eight items aggregated per outcome area, on PostgreSQL
and on SQLite.

    .venv/bin/python bench/surveys_bench.py                  # a throwaway PostgreSQL cluster, then a SQLite file
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/surveys_bench.py   # an EMPTY database of yours

Measured, one at a time: `results.run_results` of the after run (the aggregation itself: % agreeing and n per
area and item, against the before run, with matched pairs), the run's results page and the API's JSON through
Flask's test client (routing, log-in, queries, template or JSON; no HTTP), and the library's overview across its
runs. SQL statements are counted per call. This is a script, not a test: it prints a Markdown table per database
(see bench/README.md). Target: 10,000 responses aggregated per outcome < 200 ms.

The data: the library "bench" has a before run of 2,000 responses and an after run of 10,000, all with eight
items (`ITEMS`: every outcome area, two statements in three of them), 8 % "don't know"; 2,000 of the after responses
carry the match key of a before response. A second library has the same, which every query must leave out.
Tenants, users, items and runs are made through the models; responses and answers are bulk-inserted.
"""
import argparse
from datetime import date, timedelta
import gc
import os
from pathlib import Path
import random
import re
import sqlite3
import sys
import tempfile
import time as clock

from measuring import Figure, StatementCounter, TestClientTransport, add_run_arguments, bench_app, load_average, log_in, measure, migrate_empty_database
import sqlalchemy as sa
import throwaway_postgresql

from bibnet.accounts import services as account_services
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.extensions import db
from bibnet.tenancy.context import raw_sql, tenant_scope
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys import results
from bibnet.tenants.surveys.models import Outcome, Phase, SurveyAnswer, SurveyItem, SurveyResponse, SurveyRun, SurveyTemplate

TARGET_MS = 200
TARGETS = f"Target: 10,000 survey responses aggregated per outcome area < {TARGET_MS} ms (p95 of `results.run_results`)."
PASSWORD = "bench-password"
ITEMS = (
    ("knowledge.new", Outcome.KNOWLEDGE), ("knowledge.where", Outcome.KNOWLEDGE),
    ("confidence.try", Outcome.CONFIDENCE), ("confidence.ask", Outcome.CONFIDENCE),
    ("application.use", Outcome.APPLICATION), ("awareness.services", Outcome.AWARENESS),
    ("wellbeing.calm", Outcome.WELLBEING), ("wellbeing.welcome", Outcome.WELLBEING),
)


class Bench:
    slug = "bench"
    before_responses = 0
    after_responses = 0
    coordinator_email = "coordinator@bench.example"
    token = ""
    after_run_id = 0
    responses = 0
    answers = 0


def build(before_responses: int, after_responses: int, seed: int = 13) -> Bench:
    """Two libraries with the same runs; needs an app context."""
    rng = random.Random(seed)
    bench = Bench()
    bench.before_responses, bench.after_responses = before_responses, after_responses
    items = [SurveyItem(key=key, outcome=outcome, plain={"en": key}, position=position) for position, (key, outcome) in enumerate(ITEMS)]
    db.session.add_all(items)
    db.session.flush()
    item_ids = [item.id for item in items]
    response_rows, answer_rows = [], []
    password_hash = hash_password(PASSWORD)
    for number, slug in enumerate((bench.slug, "other")):
        tenant = Tenant(slug=slug, name=f"Library {slug}", country=Country.LV, default_locale="lv", timezone="Europe/Riga")
        coordinator = User(email=f"coordinator@{slug}.example", name="Coordinator", password_hash=password_hash, locale="en")
        db.session.add_all([tenant, coordinator])
        db.session.flush()
        with tenant_scope(tenant):
            db.session.add(Membership(user_id=coordinator.id, role=Role.COORDINATOR))
            room = Room(library="Central library", name="Sensory room", capacity=8)
            template = SurveyTemplate(name="Wellbeing")
            db.session.add_all([room, template])
            db.session.flush()
            before = SurveyRun(template_id=template.id, title="Before", room_id=room.id, phase=Phase.BEFORE, matched=True, code=f"BEF{number:05d}")
            db.session.add(before)
            db.session.flush()
            after = SurveyRun(template_id=template.id, title="After", room_id=room.id, phase=Phase.AFTER, before_run_id=before.id, matched=True, code=f"AFT{number:05d}")
            db.session.add(after)
            db.session.flush()
        if slug == bench.slug:
            bench.after_run_id = after.id
            bench.token = account_services.issue_api_token(coordinator, "benchmark")
        for run, count, agree_bias in ((before, before_responses, 0.0), (after, after_responses, 0.8)):
            for index in range(count):
                response_id = len(response_rows) + 1
                matched = index < before_responses
                response_rows.append({
                    "id": response_id, "tenant_id": tenant.id, "run_id": run.id, "channel": "paper" if index % 10 == 0 else "online",
                    "received_on": date(2026, 11, 1) + timedelta(days=index % 28), "match_key": f"{slug}-{index:064d}"[-64:] if matched else None,
                })
                for item_id in item_ids:
                    value = None if rng.random() < 0.08 else min(5, max(1, round(rng.gauss(2.6 + agree_bias * 1.5, 1.1))))
                    answer_rows.append({"id": len(answer_rows) + 1, "tenant_id": tenant.id, "response_id": response_id, "item_id": item_id, "value": value})
    db.session.commit()
    with raw_sql(reason="benchmark data: survey responses and answers inserted in bulk"):
        for start in range(0, len(response_rows), 5000):
            db.session.execute(sa.insert(SurveyResponse.__table__), response_rows[start:start + 5000])
        for start in range(0, len(answer_rows), 20000):
            db.session.execute(sa.insert(SurveyAnswer.__table__), answer_rows[start:start + 20000])
        if db.engine.dialect.name == "postgresql":
            for table in ("survey_response", "survey_answer"):
                db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()
    bench.responses, bench.answers = len(response_rows), len(answer_rows)
    return bench


def analyse(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from bibnet.db import owner_engine

            with owner_engine(app).connect() as connection:  # VACUUM skips the tables a role does not own
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            with raw_sql(reason="benchmark: statistics for the planner"):
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()


def bench_aggregation(app, bench: Bench, n: int, repeats: int, counter) -> list[Figure]:
    def aggregation(_i):
        with app.app_context():
            tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == bench.slug))
            with tenant_scope(tenant):
                shown = results.run_results(db.session.get(SurveyRun, bench.after_run_id))
            ok = shown.responses == bench.after_responses and len(shown.outcomes) == 5 and shown.comparisons
            return None if ok else f"unexpected results: {shown.responses} responses, {len(shown.outcomes)} areas"

    def overview(_i):
        with app.app_context():
            tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == bench.slug))
            with tenant_scope(tenant):
                runs = list(db.session.scalars(sa.select(SurveyRun)))
                shown = results.overview(runs, sa.true())
            return None if shown.responses == bench.before_responses + bench.after_responses else f"unexpected total {shown.responses}"

    transport = TestClientTransport(app)
    log_in(transport, bench.coordinator_email, PASSWORD)

    def page(_i):
        status, body = transport.request("GET", f"/t/{bench.slug}/surveys/results/runs/{bench.after_run_id}")
        return None if status == 200 else f"status {status}: {body[:300]!r}"

    def api(_i):
        status, body = transport.request("GET", f"/api/v1/tenants/{bench.slug}/surveys/runs/{bench.after_run_id}/results", headers={"Authorization": f"Bearer {bench.token}"})
        return None if status == 200 else f"status {status}: {body[:300]!r}"

    return [
        measure("Aggregation of the after run (10,000 responses) with its before run and pairs: results.run_results", "function", aggregation, n, repeats, counter),
        measure("Library overview across its runs (12,000 responses): results.overview", "function", overview, n, repeats, counter),
        measure("Run results page", transport.how, page, n, repeats, counter),
        measure("Run results, API JSON", transport.how, api, n, repeats, counter),
    ]


def report(name: str, figures: list[Figure], facts: dict) -> str:
    lines = [
        f"### {name}",
        "",
        f"Machine: {facts['cpus']} CPUs, {facts['server']}, load average before: {facts['load_average']}; after: {load_average()}",
        f"Data: {facts['data']}",
        "",
        "| Work | Measured through | Calls | p50 ms | p95 ms | SQL statements per call | Failures |",
        "|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        lines.append(f"| {figure.name} | {figure.how} | {figure.requests} | {figure.p50:.1f} | {figure.p95:.1f} | {figure.statements_text()} | {len(figure.failures)} |")
    aggregation = figures[0]
    verdict = "met" if aggregation.p95 < TARGET_MS else "NOT MET"
    lines += ["", f"Aggregation p95 {aggregation.p95:.1f} ms against the target of {TARGET_MS} ms: {verdict}."]
    failures = [f"{figure.name}: {figure.failures[0]}" for figure in figures if figure.failures]
    if failures:
        lines += ["", "First failure of each:", *failures]
    return "\n".join(lines)


def measure_on(name: str, database_url: str, instance: Path, args) -> tuple[str, bool]:
    instance.mkdir(exist_ok=True)
    app = bench_app(database_url, instance, RATELIMIT_ENABLED=False)
    with app.app_context():
        migrate_empty_database()
        started = clock.perf_counter()
        bench = build(args.before, args.after)
        generated = clock.perf_counter() - started
        counter = StatementCounter(db.engine)
        server = db.session.scalar(sa.text("SHOW server_version")) if db.engine.dialect.name == "postgresql" else None
    analyse(app)
    facts = {
        "cpus": os.cpu_count(),
        "server": f"PostgreSQL {server}" if server else f"SQLite {sqlite3.sqlite_version}",
        "load_average": load_average(),
        "data": f"{bench.responses:,} responses, {bench.answers:,} answers in two libraries, generated in {generated:.0f} s",
    }
    print(f"{name}: generated {bench.responses} responses in {generated:.1f} s", file=sys.stderr)
    gc.collect()
    gc.freeze()
    figures = bench_aggregation(app, bench, args.requests, args.repeats, counter)
    with app.app_context():
        db.engine.dispose()
    return report(name, figures, facts), not any(figure.failures for figure in figures) and figures[0].p95 < TARGET_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_arguments(parser, requests=50)
    parser.add_argument("--before", type=int, default=2000, help="responses of the before run (default 2,000)")
    parser.add_argument("--after", type=int, default=10_000, help="responses of the after run (default 10,000)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    reports, all_met = [], True
    with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
        if args.database_url:
            text, met = measure_on("PostgreSQL", re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.database_url), Path(folder) / "pg", args)
        elif throwaway_postgresql.available():
            with throwaway_postgresql.throwaway_cluster() as database_url:
                text, met = measure_on("PostgreSQL", database_url, Path(folder) / "pg", args)
        else:
            text, met = "PostgreSQL is not installed: no PostgreSQL figures.", False
        reports.append(text)
        all_met &= met
        if not args.skip_sqlite:
            text, met = measure_on("SQLite", f"sqlite:///{Path(folder) / 'sqlite' / 'bench.sqlite3'}", Path(folder) / "sqlite", args)
            reports.append(text)
            all_met &= met
    print("\n\n".join(reports))
    print("\n" + TARGETS)
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
