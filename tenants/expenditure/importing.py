"""Importing expenditure from an accounting system's CSV or XLSX export: all rows or none.

The partner maps the file's columns to our fields once (the mapping is remembered in FinanceSettings);
`read_rows` reads every row, `check_rows` checks each with the same rules as a typed item and lists each
problem with its row, column and reason, and `save` writes the rows only when there is no problem at all.

Reading the file, parsing cells and the all-or-none save are the core's (`bibnet.imports`), shared with the
equipment register's import.
A category cell holds a code or a label in any of the interface's languages (`category_spellings`); the
period and the category may be set once for every row (DEFAULTABLE); duplicates are found by the supplier's
`organisation_key`, within the file and against the list.
"""
from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from bibnet.imports import rows as import_rows
from bibnet.imports.rows import BAD_AMOUNT, BAD_DATE, Preview, RowProblem, parse_amount, parse_date, spelling_parser
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.labels import CATEGORY_LABELS
from bibnet.tenants.budgets.models import JEMS_CATEGORY_LABELS, CostCategory
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.services import ExpenditureInput

# Our fields an import can fill, in the order of the mapping form; the first six are required.
REQUIRED = ("period_number", "category", "invoice_date", "supplier", "description", "invoice_total")
OPTIONAL = ("declared_amount", "internal_reference", "invoice_number", "payment_date", "comment", "vat", "currency", "conversion_rate", "procurement_reference")
FIELDS = REQUIRED + OPTIONAL
# Fields the partner may set once for every row instead of (or besides) a column: a row's own non-empty cell
# wins, and the value set once fills the rows whose cell is empty (or every row when no column is chosen).
DEFAULTABLE = ("period_number", "category")


PARSERS: dict[str, tuple[Callable, object]] = {
    "period_number": (lambda value: int(parse_amount(value)), _l("Enter the reporting period's number, like 1.")),
    "invoice_date": (parse_date, BAD_DATE),
    "payment_date": (parse_date, BAD_DATE),
    "invoice_total": (parse_amount, BAD_AMOUNT),
    "declared_amount": (parse_amount, BAD_AMOUNT),
    "vat": (parse_amount, BAD_AMOUNT),
    "conversion_rate": (parse_amount, _l("Enter the rate as a number, like 11.4615.")),
}


def category_spellings() -> dict[str, str]:
    """Every way a cell may name a cost category, folded (see `bibnet.names.folded`), and the category's code:
    the code (`equipment`), Jems's English name and the label the pages show in each language. A spelling
    that two categories share would be a guess, so it names neither."""
    codes_of: dict[str, set[str]] = {}
    for category in CostCategory:
        spellings = {category.value, JEMS_CATEGORY_LABELS[category]}
        for locale in current_app.config["LOCALES"]:
            with force_locale(locale):
                spellings.add(str(CATEGORY_LABELS[category]))
        for spelling in spellings:
            codes_of.setdefault(folded(spelling), set()).add(category.value)
    return {spelling: codes.pop() for spelling, codes in codes_of.items() if len(codes) == 1}


def category_choices() -> list[tuple[str, str]]:
    """(code, label in the user's language) of every cost category, in the budget's order."""
    return [(category.value, str(CATEGORY_LABELS[category])) for category in CostCategory]


def category_list() -> str:
    """The cost categories as messages list them: "Equipment (equipment); …", in the user's language."""
    return "; ".join(f"{label} ({code})" for code, label in category_choices())


class _CategoryList:
    """`category_list()` in the language of the moment a lazy message is shown, not of its creation."""

    def __str__(self) -> str:
        return category_list()


BAD_CATEGORY = _l("Enter a cost category by its name in English, Latvian or Lithuanian, or by its code: %(categories)s.", categories=_CategoryList())


def check_mapping(mapping: dict[str, str], header: list[str], defaults: dict | None = None) -> dict[str, list]:
    return import_rows.check_mapping(mapping, header, FIELDS, REQUIRED, defaults, DEFAULTABLE)


def check_rows(
    header: list[str],
    rows: list[list],
    mapping: dict[str, str],
    project: Project,
    progress: Callable[[int], None] | None = None,
    defaults: dict | None = None,
) -> Preview:
    """Check every row against the rules of a typed item and against the list, in one query whatever the
    number of rows; nothing is written. Problems name the file's column headers; `progress(1)` is called
    after each row. `defaults` holds the values set once for every row (see DEFAULTABLE)."""
    result = Preview(header)
    defaults = {name: value for name, value in (defaults or {}).items() if value is not None}
    mapping_errors = check_mapping(mapping, header, defaults)
    if mapping_errors:
        raise Refused(mapping_errors)
    position = import_rows.column_positions(mapping, header)
    parsers = {**PARSERS, "category": (spelling_parser(category_spellings()), BAD_CATEGORY)}
    known_invoices = services.invoices_in_list(project)
    seen: dict[tuple[str, str], int] = {}

    def row_problems(number: int, row: list) -> list[RowProblem]:
        """The row's problems; a good row is added to `result.items`."""
        values, problems = import_rows.read_cells(number, row, position, mapping, parsers, REQUIRED, defaults)
        if problems:
            return problems
        values.setdefault("declared_amount", values["invoice_total"])
        values["currency"] = (values.get("currency") or "EUR").upper()
        values["invoice_number"] = values.get("invoice_number") or None
        item = ExpenditureInput(**values)
        for name, messages in services.check(item, project, known_invoices=known_invoices).items():
            column = mapping.get(name) or name
            problems += [RowProblem(number, column, message) for message in messages]
        key = (services.supplier_key(item.supplier), item.invoice_number or "")
        if item.invoice_number and key in seen:
            problems.append(RowProblem(number, mapping.get("invoice_number", "invoice_number"), _l("The same invoice is on row %(row)d too.", row=seen[key])))
        seen.setdefault(key, number)
        if not problems:
            result.items.append(item)
        return problems

    return import_rows.check_table(result, rows, row_problems, progress)


SAVED_PER_STATEMENT = 1000


def save(result: Preview, project: Project, by=None, progress: Callable[[int], None] | None = None, source: str = "") -> int:
    """Write every item of a preview without problems as drafts, in one transaction; the caller commits.

    Many rows per INSERT, an audit entry per row and one for the import; `progress(n)` after each n rows written.
    """
    saved = import_rows.save_all(result, lambda chunk: services.insert_checked(chunk, project, by), SAVED_PER_STATEMENT, progress)
    services.record_import(project, saved, source, by)
    return saved
