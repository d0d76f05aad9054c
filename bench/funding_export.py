"""Benchmark of the consolidated funding report export on PostgreSQL: 50 partners × 20,000 expenditure items.

    .venv/bin/python bench/funding_export.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/funding_export.py   # an EMPTY database of yours

The database is migrated with the app and filled with SQL (`generate_series`): a project of 50 partner
tenants, each with 20,000 reported items in reporting period 1 (1,000,000 rows in the report) and 1,000
more that the report leaves out (period 2, drafts, deleted); every tenth item has an attachment. Then, in
the same run, three ways of writing the list of expenditure are timed, each in a process of its own that
reports its peak resident memory (VmHWM):

- **COPY**: PostgreSQL's own `COPY (the LoE query) TO STDOUT (FORMAT csv)` read through psycopg, where the
  query is the CSV export's (`report.loe_statement(report, COLUMNS_AS_TEXT)`: the same rows, filters and
  order, each column as text; the export itself has the database join them into CSV lines), compiled;
- **CSV** and **XLSX**: the project's report downloaded from the API
  (`GET /api/v1/projects/<id>/funding-report?format=csv|xlsx&period=1`, the project lead's token) through
  Flask's test client, the body read to its last byte and thrown away.

The CSV export streams its LoE through COPY as well (`report.loe_csv`), with the guard's criteria added and
in the report's tenant scope. With `--breakdown` three more runs say where its time goes: the COPY statement
the export sends (with the guard's criteria, free text quoted, after its settings: `jit = off`) read by
psycopg alone, the report alone (`build_project_report`: summaries, indicators, translations; no LoE) and the
LoE alone (`loe_csv` read to its end in the app, without Flask or HTTP). `--xlsx-repeats 0` leaves out the XLSX.

This is a script, not a test: it prints a Markdown table (see bench/README.md for the figures).
"""
import argparse
from datetime import date
import json
import logging
import os
from pathlib import Path
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time as clock

import psycopg
import throwaway_postgresql

# The app is imported by the functions that use it, not here: the COPY run's process must not carry the
# app's modules, or its peak memory would be the app's rather than psycopg's.

TARGETS = "Targets (issue 14): the CSV export within 1.5× COPY's time; the XLSX of 1,000,000 rows in under 60 s; both with peak memory under 200 MB."
PERIOD = 1


# --- Data ---------------------------------------------------------------------------------------------------

def build(partners: int, items: int, left_out: int) -> tuple[int, str]:
    """The project and its partners through the models, the items with SQL; (project id, the lead's API token)."""
    from flask import current_app
    import sqlalchemy as sa

    from bibnet.accounts.models import User
    from bibnet.accounts.services import issue_api_token
    from bibnet.db import owner_engine
    from bibnet.extensions import db
    from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, ProjectLead, ReportingPeriod, Tenant

    tenants = [Tenant(slug=f"partner-{n:02d}", name=f"Partner library {n}", country=Country.LV, default_locale="lv", timezone="Europe/Riga") for n in range(1, partners + 1)]
    project = Project(programme="Interreg VI-A Latvia–Lithuania", acronym="BenchProject", title="Benchmark project", starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))
    db.session.add_all([*tenants, project])
    db.session.flush()
    project.reporting_periods = [
        ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2024, 11, 30)),
        ReportingPeriod(number=2, starts_on=date(2024, 12, 1), ends_on=date(2025, 5, 31)),
    ]
    for number, tenant in enumerate(tenants, start=1):
        db.session.add(Partner(project=project, tenant_id=tenant.id, number=number, role=PartnerRole.LEAD if number == 1 else PartnerRole.PARTNER))
    lead = User(email="lead@bench.example", name="Bench Lead", locale="en")
    db.session.add(lead)
    db.session.flush()
    db.session.add(ProjectLead(project_id=project.id, user_id=lead.id))
    token = issue_api_token(lead, "funding export benchmark")
    db.session.commit()
    # Plain SQL over every partner at once: as the tables' owner, which row-level security lets through.
    with owner_engine(current_app).begin() as connection:
        # n = 1..items are reported in period 1; the next `left_out` are in period 2, drafts or deleted.
        connection.execute(sa.text(EXPENDITURE_SQL), {"project": project.id, "items": items, "total": items + left_out})
        connection.execute(sa.text(ATTACHMENT_FILES_SQL))
        connection.execute(sa.text(ATTACHMENTS_SQL))
    with owner_engine(current_app).connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    return project.id, token


EXPENDITURE_SQL = """
INSERT INTO expenditure (
    tenant_id, project_id, period_number, category, internal_reference, invoice_number, invoice_date, payment_date,
    supplier, supplier_key, description, comment, invoice_total, vat, declared_amount, currency, conversion_rate,
    declared_eur, procurement_reference, status, status_comment, created_at, deleted_at)
SELECT
    partner.tenant_id, :project,
    CASE WHEN n > :items AND n % 3 = 0 THEN 2 ELSE 1 END,
    (ARRAY['staff', 'office', 'travel', 'external', 'equipment', 'infrastructure'])[1 + n % 6],
    'GL-' || n, CASE WHEN n % 6 = 0 THEN NULL ELSE 'INV-' || n END,
    DATE '2024-06-01' + n % 170, DATE '2024-06-01' + n % 170 + 7,
    'SIA Piegādātājs ' || n % 500, 'sia piegādātājs ' || n % 500,
    CASE WHEN n % 1000 = 0 THEN '=SUM(A1:A9) in a description' ELSE 'Grāmatas un sensorie materiāli lasītavai, piegāde Nr. ' || n END,
    CASE WHEN n % 7 = 0 THEN 'Apmaksāts divās daļās' ELSE '' END,
    amount.total, CASE WHEN n % 6 = 0 THEN NULL ELSE round(amount.total * 21 / 121, 2) END, amount.total,
    CASE WHEN n % 50 = 0 THEN 'PLN' ELSE 'EUR' END, CASE WHEN n % 50 = 0 THEN 4.301200 END,
    CASE WHEN n % 50 = 0 THEN round(amount.total / 4.3012, 2) ELSE amount.total END,
    CASE WHEN n % 20 = 0 THEN 'IUB 2024/' || n % 40 ELSE '' END,
    CASE WHEN n > :items AND n % 3 = 1 THEN 'draft' WHEN n % 2 = 0 THEN 'verified' ELSE 'submitted' END,
    '', now(),
    CASE WHEN n > :items AND n % 3 = 2 THEN now() END
FROM partner
CROSS JOIN generate_series(1, :total) AS n
CROSS JOIN LATERAL (SELECT ((n * 7919) % 500000 / 100.0 + 1) * CASE WHEN n % 97 = 0 THEN -1 ELSE 1 END AS total) AS amount
WHERE partner.project_id = :project
"""
ATTACHMENT_FILES_SQL = """
INSERT INTO stored_file (tenant_id, key, area, filename, content_type, size, created_at)
SELECT tenant_id, 'tenants/' || tenant_id || '/expenditure/' || id, 'expenditure', 'rekins-' || id || '.pdf', 'application/pdf', 1000, now()
FROM expenditure WHERE id % 10 = 0
"""
ATTACHMENTS_SQL = """
INSERT INTO expenditure_attachment (tenant_id, expenditure_id, file_id)
SELECT expenditure.tenant_id, expenditure.id, stored_file.id
FROM expenditure JOIN stored_file ON stored_file.key = 'tenants/' || expenditure.tenant_id || '/expenditure/' || expenditure.id
"""


def loe_sql(app, project_id: int) -> tuple[str, str]:
    """(the LoE query of the CSV export as PostgreSQL receives it, values inlined, for COPY; the whole COPY
    statement the export sends, with the guard's criteria, its settings first)."""
    from sqlalchemy.dialects import postgresql

    from bibnet.extensions import db
    from bibnet.tenancy.models import Project
    from bibnet.tenants.funding_reports.report import COLUMNS_AS_TEXT, COPY_SETTINGS, build_project_report, loe_copy_sql, loe_statement

    with app.test_request_context():
        project = db.session.get(Project, project_id)
        report = build_project_report(project, project.reporting_periods[PERIOD - 1])
        statement = loe_statement(report, COLUMNS_AS_TEXT)
        query = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        return query, f"{COPY_SETTINGS};\n{loe_copy_sql(report, db.engine.dialect)}"


# --- One measured run, in a process of its own ----------------------------------------------------------------

def child(args) -> None:
    """Run one export; print its seconds and bytes as JSON (the parent reads the peak memory)."""
    logging.disable(logging.INFO)
    started = clock.perf_counter()
    size, first_byte = 0, None
    if args.child in ("copy", "app_copy"):
        dsn = re.sub(r"^postgresql\+psycopg://", "postgresql://", args.database_url)
        sql = Path(args.sql_file).read_text()
        if args.child == "copy":
            settings, statement = "", f"COPY ({sql}) TO STDOUT (FORMAT csv)"
        else:
            settings, statement = Path(args.sql_file).with_suffix(".copy.sql").read_text().split(";\n")
        started = clock.perf_counter()
        with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
            if settings:
                cursor.execute(settings)
            with cursor.copy(statement) as copy:
                for block in copy:
                    if not size:
                        first_byte = clock.perf_counter() - started
                    size += len(block)
    elif args.child in ("report", "loe"):
        from bibnet.app import create_app
        from bibnet.extensions import db
        from bibnet.tenancy.models import Project
        from bibnet.tenants.funding_reports.report import build_project_report, loe_csv

        with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
            os.environ["BIBNET_INSTANCE_PATH"] = folder
            app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
            with app.test_request_context():
                started = clock.perf_counter()
                project = db.session.get(Project, args.project)
                report = build_project_report(project, project.reporting_periods[PERIOD - 1])
                if args.child == "loe":
                    started = clock.perf_counter()  # the LoE alone
                    loe = loe_csv(report)
                    try:
                        for chunk in loe:
                            if not size:
                                first_byte = clock.perf_counter() - started
                            size += len(chunk)
                    finally:
                        loe.close()
                else:
                    first_byte = clock.perf_counter() - started
    else:
        from bibnet.app import create_app

        with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
            os.environ["BIBNET_INSTANCE_PATH"] = folder
            app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
            client = app.test_client()
            url = f"/api/v1/projects/{args.project}/funding-report?format={args.child}&period={PERIOD}"
            started = clock.perf_counter()
            response = client.get(url, headers={"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"})
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}: {response.get_data(as_text=True)[:500]}")
            for chunk in response.iter_encoded():
                if not size and chunk:
                    first_byte = clock.perf_counter() - started
                size += len(chunk)
            response.close()
    print(json.dumps({"seconds": clock.perf_counter() - started, "first_byte": first_byte, "bytes": size, "peak_mb": peak_memory_mb()}))


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM). Not the parent's ru_maxrss of the child: on Linux that
    also counts the parent's memory the child had before it started this program."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def measured(kind: str, database_url: str, extra: list[str], env: dict) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--database-url", database_url, *extra]
    process = subprocess.run(command, stdout=subprocess.PIPE, env={**os.environ, **env}, text=True, check=False)
    if process.returncode != 0:
        raise SystemExit(f"the {kind} run failed ({process.returncode})")
    return json.loads(process.stdout.strip().splitlines()[-1])


# --- The run ------------------------------------------------------------------------------------------------

def machine_facts(database_url: str) -> str:
    with psycopg.connect(re.sub(r"^postgresql\+psycopg://", "postgresql://", database_url)) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return f"Machine: {os.cpu_count()} CPUs, PostgreSQL {server}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def run(database_url: str, args) -> int:
    from flask_migrate import upgrade
    import sqlalchemy as sa

    from bibnet.app import create_app
    from bibnet.extensions import db

    with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
        os.environ["BIBNET_INSTANCE_PATH"] = folder
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
        logging.getLogger().setLevel(logging.WARNING)
        with app.app_context():
            if sa.inspect(db.engine).has_table("alembic_version"):
                raise SystemExit("The database is not empty; give the benchmark an empty database (it writes test data).")
            upgrade()
            started = clock.perf_counter()
            project_id, token = build(args.partners, args.items, args.left_out)
            print(f"Loaded {args.partners * (args.items + args.left_out):,} items in {clock.perf_counter() - started:.1f} s", file=sys.stderr)
            sql_file = Path(folder) / "loe.sql"
            query, app_copy = loe_sql(app, project_id)
            sql_file.write_text(query)
            sql_file.with_suffix(".copy.sql").write_text(app_copy)
            db.engine.dispose()
        runs: dict[str, list[dict]] = {"copy": [], "csv": [], "app_copy": [], "report": [], "loe": [], "xlsx": []}
        kinds = ("copy", "csv", *(("app_copy", "report", "loe") if args.breakdown else ()), "xlsx")
        for repeat in range(args.repeats):
            for kind in kinds:
                if kind == "xlsx" and repeat >= args.xlsx_repeats:
                    continue
                print(f"Measuring {kind}, run {repeat + 1}", file=sys.stderr)
                result = measured(kind, database_url, ["--sql-file", str(sql_file), "--project", str(project_id)], {"BENCH_TOKEN": token})
                print(f"  {result['seconds']:.2f} s (first byte after {result['first_byte']:.2f} s), {result['peak_mb']:.0f} MB, {result['bytes'] / 1e6:.0f} MB out", file=sys.stderr)
                runs[kind].append(result)
    print(report(runs, args, machine_facts(database_url)))
    print("\n" + TARGETS)
    if runs["app_copy"]:
        same_copy = statistics.median(run["seconds"] for run in runs["app_copy"])
        print(f"The CSV export takes {statistics.median(run['seconds'] for run in runs['csv']) / same_copy:.2f}× the time of the COPY it sends, read alone.")
    copy_time = statistics.median(run["seconds"] for run in runs["copy"])
    csv_time = statistics.median(run["seconds"] for run in runs["csv"])
    peak = max(run["peak_mb"] for results in runs.values() for run in results)
    xlsx_met = all(run["seconds"] < 60 for run in runs["xlsx"]) or args.partners * args.items < 1_000_000
    return 0 if csv_time <= 1.5 * copy_time and xlsx_met and peak < 200 else 1


def report(runs: dict[str, list[dict]], args, facts: str) -> str:
    names = {
        "copy": "COPY (the LoE query) TO STDOUT, read by psycopg",
        "csv": "Consolidated CSV export (API, test client)",
        "app_copy": "COPY as the CSV export sends it (guard's criteria, quoted free text, jit off), read by psycopg",
        "report": "… of which the report without its LoE (summaries, indicators)",
        "loe": "… of which the LoE through the app's COPY (`loe_csv`, no HTTP)",
        "xlsx": "Consolidated XLSX export (API, test client)",
    }
    copy_time = statistics.median(run["seconds"] for run in runs["copy"])
    lines = [
        facts,
        f"Data: {args.partners * args.items:,} items in the report ({args.partners} partners × {args.items:,}) and {args.partners * args.left_out:,} left out; every tenth with an attachment",
        "",
        "| Work | Runs | Seconds (median) | Seconds (all runs) | × COPY | First byte after, s (median) | Peak memory MB (max) | Output MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, results in runs.items():
        if not results:
            continue
        seconds = [run["seconds"] for run in results]
        median = statistics.median(seconds)
        lines.append(
            f"| {names[kind]} | {len(results)} | {median:.2f} | {', '.join(f'{s:.2f}' for s in seconds)} | {median / copy_time:.2f} | "
            f"{statistics.median(run['first_byte'] for run in results):.2f} | "
            f"{max(run['peak_mb'] for run in results):.0f} | {results[0]['bytes'] / 1e6:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="an empty PostgreSQL database (default: start a throwaway cluster)")
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--items", type=int, default=20_000, help="reported items per partner in the report's period (default 20,000)")
    parser.add_argument("--left-out", type=int, default=1_000, help="items per partner the report must leave out (default 1,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of COPY and of the CSV export (default 3)")
    parser.add_argument("--xlsx-repeats", type=int, default=1, help="runs of the XLSX export, the slowest (default 1; 0 leaves it out)")
    parser.add_argument("--breakdown", action="store_true", help="also time the report alone and its LoE alone (no HTTP), to see where the CSV's time goes")
    parser.add_argument("--child", choices=("copy", "app_copy", "csv", "report", "loe", "xlsx"), help=argparse.SUPPRESS)
    parser.add_argument("--sql-file", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    if args.database_url:
        return run(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.database_url), args)
    if not throwaway_postgresql.available():
        raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl); install it or pass --database-url.")
    with throwaway_postgresql.throwaway_cluster() as database_url:
        return run(database_url, args)


if __name__ == "__main__":
    sys.exit(main())
