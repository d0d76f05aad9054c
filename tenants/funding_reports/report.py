"""What a funding report holds, whatever its format: its title, the partner (or every partner of the project),
the reporting period, the summaries by source and by cost category, the indicators, and the list of
expenditure (LoE) as a query streamed in batches.

The summaries come from `figures.py` (the project's rows are its partners' rows summed, never recomputed).
The LoE lists the reported items of the period (submitted or verified, not deleted); a credit note is a
negative amount. Its columns are Jems's, in Jems's order and with Jems's English headers, so that rows can
be re-keyed into Jems as they are; our own columns follow them.

Every text a report shows is translated when the report is built (`build_partner_report` /
`build_project_report`), before the first byte of a download is sent.
"""
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.models import StoredFile
from bibnet.tenancy import rls
from bibnet.tenancy.context import partners_of
from bibnet.tenancy.guard import filtered_to_scope
from bibnet.tenancy.models import Partner, PartnerRole, Project, ReportingPeriod, Tenant
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.finance import sources_by_tenant
from bibnet.tenants.budgets.labels import LEGAL_STATUS_LABELS
from bibnet.tenants.budgets.models import JEMS_CATEGORY_LABELS, CostCategory, LegalStatus
from bibnet.tenants.expenditure.labels import STATUS_LABELS
from bibnet.tenants.expenditure.models import REPORTED, Expenditure, ExpenditureAttachment
from bibnet.tenants.funding_reports import indicators
from bibnet.tenants.funding_reports.figures import Figures, partner_figures, percent_used, project_figures
from bibnet.tenants.funding_reports.programme_indicators.services import IndicatorRow
from bibnet.tenants.funding_reports.programme_indicators.services import rows_of as programme_indicator_rows
from bibnet.web.downloads import CHUNK_BYTES, FORMULA_STARTS

# Rows fetched per round trip from the server-side cursor; measured in bench/funding_export.py.
BATCH_ROWS = 5000
# Typed rows are about 25 Python objects each: a smaller batch keeps a worker's peak memory down (5,000 took
# 15 MB at a time and left 37 MB more RSS after 100,000 rows; bench/funding_export.py).
TYPED_BATCH_ROWS = 1000

# The LoE columns of Jems (funding.md §4), in Jems's order and in Jems's English: never translated.
JEMS_COLUMNS = (
    "ID", "Sensitive (GDPR)", "Unit cost / Lump sum", "Cost category", "Investment no.", "Procurement",
    "Internal reference no.", "Invoice no.", "Invoice date", "Date of payment", "Description", "Comment",
    "Total invoice value", "VAT", "No. of units", "Price per unit", "Declared amount", "Currency",
    "Conversion rate", "Declared amount in EUR", "Attachment file name",
)
# Which LoE columns hold what, for the formats: money with two decimals, the rate with six, dates, free text.
MONEY_COLUMNS = frozenset({"Total invoice value", "VAT", "Declared amount", "Declared amount in EUR"})
RATE_COLUMNS = frozenset({"Conversion rate"})
DATE_COLUMNS = frozenset({"Invoice date", "Date of payment"})


def legal_status_label(status: LegalStatus | None) -> str:
    return str(LEGAL_STATUS_LABELS[status]) if status in LEGAL_STATUS_LABELS else ""


@dataclass(frozen=True)
class SummaryRow:
    """One row of a summary table: a source of funding or a cost category, and its amounts for the period."""

    label: str
    legal_status: str
    planned: Decimal
    previously: Decimal
    this_period: Decimal
    is_total: bool = False
    # A part of the row above it ("of which", the partner contribution's sources): never summed with it.
    is_part: bool = False
    # The label as the formats show it ("of which State budget"), translated when the report is built.
    part_label: str = ""

    @property
    def level(self) -> int:
        """0 the total, 1 a row that adds up to the total, 2 a part of the level-1 row above it."""
        return 0 if self.is_total else 2 if self.is_part else 1

    @property
    def shown_label(self) -> str:
        return self.part_label or self.label

    @property
    def cumulative(self) -> Decimal:
        return self.previously + self.this_period

    @property
    def used(self) -> Decimal | None:
        """% of the budget reported so far, half-up to two decimals; None when nothing was planned."""
        return percent_used(self.cumulative, self.planned)

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.cumulative


@dataclass(frozen=True)
class Report:
    """A partner's report (`partners` is that one partner) or the project's (every partner, `is_project`)."""

    project: Project
    period: ReportingPeriod
    partners: tuple[Partner, ...]
    is_project: bool
    title: str
    sources: list[SummaryRow]
    categories: list[SummaryRow]
    indicators: indicators.Indicators
    # The project's programme indicators (its report only: they belong to the project, not to a partner).
    programme_indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        """Like Jems's `Report_export_{projectId}_{LP1}_R{n}`; the project's roll-up says `project`."""
        who = "project" if self.is_project else self.partners[0].code
        return f"Report_export_{self.project.id}_{who}_R{self.period.number}"

    @property
    def tenant_ids(self) -> list[int]:
        return [partner.tenant_id for partner in self.partners]

    def programme_indicator_header(self) -> list[str]:
        """The columns of the programme indicators, as Jems's project report lists them."""
        return [
            _("Code"), _("Indicator"), _("Measurement unit"), _("Target"), _("Previously reported"), _("This report"),
            _("Cumulative"), _("Per cent of target"), _("Evidence"),
        ]

    def programme_indicator_lines(self) -> list[list]:
        """One line per indicator: text, then numbers (int for counts, Decimal otherwise; None: no target), evidence."""
        return [
            [
                row.indicator.code, row.indicator.name, row.indicator.unit, row.shown(row.indicator.target), row.shown(row.previously),
                row.shown(row.this_report), row.shown(row.cumulative), row.percent_of_target,
                "; ".join(f"{item.description} ({item.filename})" for item in row.evidence),
            ]
            for row in self.programme_indicators
        ]

    def loe_header(self) -> list[str]:
        """Jems's columns, then ours: the partner (in the project's report), the supplier and the status."""
        ours = [_("Partner")] if self.is_project else []
        return [*JEMS_COLUMNS, *ours, _("Supplier"), _("Status")]


def _row(label, status, plan, now, so_far, is_total=False, is_part=False) -> SummaryRow:
    part_label = _("of which %(source)s", source=label) if is_part else ""
    return SummaryRow(label, status, plan, so_far - now, now, is_total, is_part, part_label)


def _source_rows(figures: Figures, fund_name: str, sources: list[tuple[str, str]], each_partners: list[tuple[str, Figures, list[tuple[str, str]]]] | None = None) -> list[SummaryRow]:
    """The fund, the partner contribution with each of its sources (name, legal status) as an "of which"
    part of it, and the total: the fund and the contribution add up to the total, the sources to the contribution.

    `each_partners` (code, figures, sources) replaces the summed source rows by every partner's own: for a
    project whose partners do not have the same sources in the same order, where summing by position would
    put one partner's municipal budget under another's state budget.
    """
    planned, current, cumulative = figures.planned_split, figures.this_period_split, figures.cumulative_split
    rows = [
        _row(fund_name, "", planned.fund, current.fund, cumulative.fund),
        _row(_("Partner contribution"), "", planned.contribution, current.contribution, cumulative.contribution),
    ]
    if each_partners is None:
        each_partners = [("", figures, sources)]
    for code, partner, named in each_partners:
        for index, (name, status) in enumerate(named):
            label = f"{code} {name}".strip()
            rows.append(_row(label, status, partner.planned_split.sources[index], partner.this_period_split.sources[index], partner.cumulative_split.sources[index], is_part=True))
    rows.append(_row(_("Total eligible budget"), "", planned.total, current.total, cumulative.total, is_total=True))
    return rows


def _category_rows(figures: Figures) -> list[SummaryRow]:
    rows = [
        SummaryRow(JEMS_CATEGORY_LABELS[category], "", figures.planned[category], figures.cumulative[category] - figures.this_period[category], figures.this_period[category])
        for category in CostCategory
    ]
    planned, now, so_far = (sum(values.values(), Decimal("0.00")) for values in (figures.planned, figures.this_period, figures.cumulative))
    rows.append(SummaryRow(_("Total"), "", planned, so_far - now, now, is_total=True))
    return rows


def _names_and_statuses(sources) -> list[tuple[str, LegalStatus]]:
    return [(source.name, source.legal_status) for source in sources]


def _named_sources(per_partner: list[list[tuple[str, LegalStatus]]], count: int) -> list[tuple[str, str]]:
    """The sources by position, for rows that sum the partners': each distinct name once (partners may name
    the same source in their own language), and the legal status when all partners agree on it."""
    named = []
    for position in range(count):
        names, statuses = [], set()
        for sources in per_partner:
            if position < len(sources):
                name, status = sources[position]
                if name not in names:
                    names.append(name)
                statuses.add(status)
        status = legal_status_label(statuses.pop()) if len(statuses) == 1 else ""
        named.append((" / ".join(names) or _("Source %(number)d", number=position + 1), status))
    return named


def period_of(project: Project, number: int | None) -> ReportingPeriod | None:
    return next((period for period in project.reporting_periods if period.number == number), None)


def _no_report(refusal: Refused) -> Refused:
    """A partner's sources that ask for more than its contribution (after a finance setup change): no report
    can be split, and the refusal says why."""
    return Refused(refusal.errors, title=_l("The report cannot be made"))


def build_partner_report(project: Project, period: ReportingPeriod, tenant: Tenant) -> Report:
    """The current tenant's report (the request's tenant: the guard limits every read to it)."""
    partner = next(partner for partner in project.partners if partner.tenant_id == tenant.id)
    try:
        figures = partner_figures(project, period.number)
    except Refused as refusal:
        raise _no_report(refusal) from None
    setup = budgets.setup_of(project)
    sources = _named_sources([_names_and_statuses(budgets.sources_of(project))], len(figures.planned_split.sources))
    return Report(
        project=project,
        period=period,
        partners=(partner,),
        is_project=False,
        title=_("Funding report %(project)s, %(partner)s %(name)s, reporting period %(number)d", project=project.acronym, partner=partner.code, name=tenant.name, number=period.number),
        sources=_source_rows(figures, setup.fund_name, sources),
        categories=_category_rows(figures),
        indicators=indicators.of_partner(tenant, period),
    )


def build_project_report(project: Project, period: ReportingPeriod) -> Report:
    """The project's report: every partner's rows summed (who may see it is decided by the caller)."""
    try:
        by_tenant, figures = project_figures(project, period.number)
    except Refused as refusal:
        raise _no_report(refusal) from None
    setup = budgets.setup_of(project)
    sources = sources_by_tenant(project)  # one query across the partners, not one per partner
    per_partner = [_names_and_statuses(sources.get(partner.tenant_id, [])) for partner in project.partners]
    count = len(figures.planned_split.sources) if figures is not None else 0
    each_partners = None
    if len({tuple(status for _name, status in sources) for sources in per_partner}) > 1:
        each_partners = [
            (partner.code, by_tenant[partner.tenant_id], _named_sources([sources], len(by_tenant[partner.tenant_id].planned_split.sources)))
            for partner, sources in zip(project.partners, per_partner, strict=True)
        ]
    return Report(
        project=project,
        period=period,
        partners=tuple(project.partners),
        is_project=True,
        title=_("Funding report %(project)s, all partners, reporting period %(number)d", project=project.acronym, number=period.number),
        sources=_source_rows(figures, setup.fund_name, _named_sources(per_partner, count), each_partners) if figures is not None else [],
        categories=_category_rows(figures) if figures is not None else [],
        indicators=indicators.of_project(project, period),
        programme_indicators=programme_indicator_rows(project, period),
    )


# --- the list of expenditure, streamed ------------------------------------------------------------------------


class decimal_text(FunctionElement):
    """A NUMERIC column as text with its decimals ("1234.50", "-12.00"), formatted by the database so that
    the CSV export creates no Python Decimal per cell. NULL stays NULL."""

    type = sa.String()
    inherit_cache = True
    name = "decimal_text"

    def __init__(self, column, places: int):
        self.places = places
        super().__init__(column)


@compiles(decimal_text, "postgresql")
def _decimal_text_on_postgresql(element, compiler, **kw):
    # NUMERIC(p, s) prints with exactly its scale.
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(decimal_text, "sqlite")
def _decimal_text_on_sqlite(element, compiler, **kw):
    # SQLite keeps NUMERIC as a REAL; printf rounds it back to its cents (exact up to 15 significant digits).
    column = compiler.process(element.clauses, **kw)
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE printf('%.{int(element.places)}f', {column}) END"


def _neutralised_text(column):
    """Text a spreadsheet would run as a formula gets a leading apostrophe, in the database (CSV only)."""
    return sa.case((sa.func.substr(column, 1, 1).in_(FORMULA_STARTS), sa.literal("'") + column), else_=column)


def _attachment_names():
    """The file names of each item's attachments, joined by "; ", as one grouped subquery."""
    return (
        sa.select(ExpenditureAttachment.expenditure_id, sa.func.aggregate_strings(StoredFile.filename, "; ").label("names"))
        .join(StoredFile, StoredFile.id == ExpenditureAttachment.file_id)
        .group_by(ExpenditureAttachment.expenditure_id)
        .subquery()
    )


# How the database writes a column as text: free text (neutralised, and quoted in a CSV line), an amount
# with its decimals, a date, or a value that needs neither (ids, codes, fixed words).
TEXT, MONEY, RATE, DAY, PLAIN = "text", "money", "rate", "day", "plain"
QUOTE, COMMA = sa.literal_column("'\"'", sa.String), sa.literal_column("','", sa.String)


def _as_text(column, kind: str):
    if kind == TEXT:
        return _neutralised_text(column)
    if kind in (MONEY, RATE):
        return decimal_text(column, 6 if kind == RATE else 2)
    return sa.cast(column, sa.String) if kind in (DAY, PLAIN) else column


def _csv_field(column, kind: str):
    """One field of a CSV line: free text always in double quotes (inner quotes doubled), NULL empty."""
    text = sa.func.coalesce(_as_text(column, kind), "")
    if kind == TEXT:
        return QUOTE + sa.func.replace(text, '"', '""') + QUOTE
    return text


def _loe_columns(report: Report, attachments) -> list[tuple]:
    """(column, kind) in `report.loe_header()` order."""
    category = sa.case({category.value: label for category, label in JEMS_CATEGORY_LABELS.items()}, value=Expenditure.category)
    sensitive = sa.case((Expenditure.category == CostCategory.STAFF, "Yes"), else_="No")  # Jems forces GDPR on staff costs
    status = sa.case({status.value: str(STATUS_LABELS[status]) for status in REPORTED}, value=Expenditure.status, else_="")
    partner_code = sa.case((Partner.role == PartnerRole.LEAD, "LP"), else_="PP") + sa.cast(Partner.number, sa.String)
    blank = (sa.null(), PLAIN)
    return [
        (Expenditure.id, PLAIN), (sensitive, PLAIN), blank, (category, TEXT), blank, (Expenditure.procurement_reference, TEXT),
        (Expenditure.internal_reference, TEXT), (Expenditure.invoice_number, TEXT), (Expenditure.invoice_date, DAY), (Expenditure.payment_date, DAY),
        (Expenditure.description, TEXT), (Expenditure.comment, TEXT),
        (Expenditure.invoice_total, MONEY), (Expenditure.vat, MONEY), blank, blank, (Expenditure.declared_amount, MONEY), (Expenditure.currency, PLAIN),
        (Expenditure.conversion_rate, RATE), (Expenditure.declared_eur, MONEY), (attachments.c.names, TEXT),
        *([(partner_code, PLAIN)] if report.is_project else []), (Expenditure.supplier, TEXT), (status, TEXT),
    ]


# The shapes of the LoE query: typed values (XLSX, PDF), each column as text (the CSV export on PostgreSQL,
# through COPY), or one CSV line per item written by the database (the CSV export elsewhere: Python only
# joins the lines).
TYPED, COLUMNS_AS_TEXT, CSV_LINES = "typed", "columns as text", "csv lines"


def _text_column_name(position: int) -> str:
    """The name of a column of the COLUMNS_AS_TEXT shape (COPY's FORCE_QUOTE names the free-text ones)."""
    return f"column_{position}"


def loe_statement(report: Report, shape: str = TYPED) -> sa.Select:
    """The LoE query: one row per reported item of the period, partner by partner, then by item id."""
    attachments = _attachment_names()
    columns = _loe_columns(report, attachments)
    if shape == TYPED:
        selected = [column for column, _kind in columns]
    elif shape == COLUMNS_AS_TEXT:
        selected = [_as_text(column, kind).label(_text_column_name(position)) for position, (column, kind) in enumerate(columns)]
    else:
        line = _csv_field(*columns[0])
        for column, kind in columns[1:]:
            line = line + COMMA + _csv_field(column, kind)
        selected = [line.label("line")]
    return (
        sa.select(*selected)
        .select_from(Expenditure)
        .join(Partner, sa.and_(Partner.project_id == Expenditure.project_id, Partner.tenant_id == Expenditure.tenant_id))
        .outerjoin(attachments, attachments.c.expenditure_id == Expenditure.id)
        .where(
            Expenditure.project_id == report.project.id,
            # The guard limits the rows to the scope as well; the report names its partners explicitly.
            Expenditure.tenant_id.in_(report.tenant_ids),
            Expenditure.period_number == report.period.number,
            Expenditure.status.in_(REPORTED),
            Expenditure.deleted_at.is_(None),
        )
        .order_by(Partner.number, Expenditure.id)
    )


def _scope_of(report: Report):
    """The project's report reads every partner's rows (read-only); a partner's is the request's tenant."""
    if report.is_project:
        return partners_of(report.project, reason=f"funding report of period {report.period.number}, list of expenditure")
    return nullcontext()


class LoeRows:
    """The LoE rows of a report in batches (BATCH_ROWS lines of CSV, TYPED_BATCH_ROWS typed rows), from a database session of their own.

    The query runs when this is made (so the tenant scope of the report applies); the batches are fetched
    while the caller iterates, from a server-side cursor on PostgreSQL. The session is the caller's to
    close (`close()`): a download streams after the request's own session has ended, and fetching needs no
    application or request context.
    """

    def __init__(self, report: Report, shape: str = TYPED, limit: int | None = None):
        statement = loe_statement(report, shape)
        if limit is not None:
            statement = statement.limit(limit)
        self._session = db.session.session_factory()
        try:
            if self._session.get_bind().dialect.name == "postgresql":
                # A cursor is planned for its first rows by default (cursor_tuple_fraction 0.1): index
                # scans that take twice as long over all rows. The export reads all of them. JIT
                # compilation costs more than it saves on this query (both measured in the benchmark).
                self._session.execute(sa.text("SET LOCAL cursor_tuple_fraction = 1.0"))
                self._session.execute(sa.text("SET LOCAL jit = off"))
            with _scope_of(report):
                batch_rows = BATCH_ROWS if shape == CSV_LINES else TYPED_BATCH_ROWS
                result = self._session.execute(statement, execution_options={"yield_per": batch_rows})
        except BaseException:
            self._session.close()
            raise
        # The rows are plain columns (no entity): they are read from the statement's cursor result (the guard
        # has already filtered the statement, and the columns' types still convert the values), without the
        # ORM's per-row work (a third of the CSV's time, and of the XLSX's).
        self._batches = result.raw.partitions(batch_rows)

    def __iter__(self) -> Iterator[list]:
        return self._batches

    def close(self) -> None:
        self._session.close()


class _LoeLines:
    """The LoE lines of the CSV (CSV_LINES) joined into chunks of bytes: the cursor path, for SQLite."""

    def __init__(self, report: Report):
        self._rows = LoeRows(report, CSV_LINES)

    def __iter__(self) -> Iterator[bytes]:
        for rows in self._rows:
            yield "".join([row[0] + "\n" for row in rows]).encode()

    def close(self) -> None:
        self._rows.close()


class _LoeCopy:
    """The LoE lines of the CSV as PostgreSQL's `COPY (…) TO STDOUT (FORMAT csv)` writes them, in chunks of
    bytes, from a database session of their own.

    COPY runs the query in parallel where a cursor never is, and its bytes go out as they come (measured
    in bench/funding_export.py). It bypasses the session's events, so the statement gets the guard's
    criteria (`loe_copy_sql`), and the transaction the scope's row-level security settings
    (`rls.apply_scope`), both in the report's scope, before COPY starts in that same transaction. The
    statement is compiled with its values inlined by the connection's own dialect (COPY takes no
    parameters); all of them are the app's own (ids, fixed words and labels), none is typed by a user.

    The scope is set and the statement compiled when this is made (in the request); COPY starts when the
    caller iterates, after the file's head has gone out: PostgreSQL sends nothing, not even that COPY has
    begun, until its sort is done (about 4 s for 1,000,000 rows). A COPY that did not run to its end (a
    download broken off, an error) leaves the connection unable to run anything else: it is closed,
    never returned to the pool.
    """

    def __init__(self, report: Report):
        self._session = db.session.session_factory()
        self._connection = None
        self._finished = False
        try:
            with _scope_of(report):
                rls.apply_scope(self._session)  # begins the transaction
                self._connection = self._session.connection()
                self._connection.exec_driver_sql(COPY_SETTINGS)
                self._sql = _copy_sql_in_scope(report, self._connection.dialect)
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[bytes]:
        self._cursor = self._connection.connection.driver_connection.cursor()
        # Kept here, not in a `with`: a COPY broken off is not drained (close() closes its connection).
        self._copying = self._cursor.copy(self._sql)
        buffer = bytearray()
        for line in self._copying.__enter__():  # psycopg hands over one line at a time
            buffer += line
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        self._copying.__exit__(None, None, None)  # COPY has ended; the transaction is idle again
        self._cursor.close()
        self._finished = True
        if buffer:
            yield bytes(buffer)

    def close(self) -> None:
        connection, self._connection = self._connection, None  # a download's body may be closed twice
        try:
            if connection is not None and not self._finished:
                connection.invalidate()
        finally:
            self._session.close()


# JIT compilation costs more than it saves on this query: its COPY of 1,000,000 rows took 7.4 s with it and
# 4.9 s without (medians of 3, alternately, on bench/funding_export.py's data). COPY writes in the client's
# encoding, and the file is UTF-8.
COPY_SETTINGS = "SET LOCAL jit = off; SET LOCAL client_encoding = 'UTF8'"


def loe_copy_sql(report: Report, dialect) -> str:
    """`COPY (the LoE query) TO STDOUT (FORMAT csv)` for the report, with the guard's criteria of its scope."""
    with _scope_of(report):
        return _copy_sql_in_scope(report, dialect)


def _copy_sql_in_scope(report: Report, dialect) -> str:
    statement = filtered_to_scope(loe_statement(report, COLUMNS_AS_TEXT), "Expenditure")
    select = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return f"COPY ({select}) TO STDOUT (FORMAT csv, FORCE_QUOTE ({_free_text_column_names(report)}))"


def _free_text_column_names(report: Report) -> str:
    """The COLUMNS_AS_TEXT columns that hold free text: always in double quotes, as in CSV_LINES."""
    kinds = [kind for _column, kind in _loe_columns(report, _attachment_names())]
    return ", ".join(_text_column_name(position) for position, kind in enumerate(kinds) if kind == TEXT)


def loe_csv(report: Report) -> _LoeCopy | _LoeLines:
    """The LoE lines of the report's CSV file (each item one line ending in a line feed, free text in double quotes,
    NULL an empty cell), as chunks of UTF-8 bytes, from a session of their own that `close()` ends.

    PostgreSQL writes them with COPY; elsewhere the database writes each line (CSV_LINES). Both give the
    same cells (tests/funding_reports/test_report_csv_cells.py).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return _LoeCopy(report)
    return _LoeLines(report)
