"""Survey results as downloads for the partners' own analysis: CSV (UTF-8) and XLSX, in two kinds.

The results (`result_rows`, `project_rows`): the suppressed figures exactly as the pages show them, a hidden
figure marked "suppressed" (one mark, whatever the reason, see `results`). Safe to pass on.

The anonymous answers (`answer_rows`), for the library's coordinator only, of its own runs: one row per rating,
with an export-local response number, the run's code and phase, the channel, the month received (the stored day
is left out: with the days of the sessions it could point at who answered), the outcome area, the item's key and
the value (empty: "I don't know" or not answered). A matched participant's before and after rows carry the same
pair number, counted in this file only: the stored hash of their code never leaves the database, and numbers of
two downloads cannot be joined. Decision on small groups: a run with fewer than 5 responses gives no rows (a
note row says so), as its results are suppressed on every page: staff who know who came to a small session
could otherwise read each person's answers. Both runs of a before/after pair come in one file, so that pairs can
be analysed.

Cells that a spreadsheet would run as a formula are neutralised (`bibnet.web.downloads`); every text is
translated and every row read before the first byte is sent.
"""
from collections.abc import Iterable, Iterator
import csv
import io
import tempfile

from flask import Response
from flask_babel import gettext as _
import sqlalchemy as sa
from werkzeug.utils import secure_filename

from bibnet.extensions import db
from bibnet.tenants.surveys.models import SurveyAnswer, SurveyItem, SurveyResponse, SurveyRun
from bibnet.tenants.surveys.results import MIN_RESPONSES, SUPPRESSED, ProjectResults, RunResults, Shown
from bibnet.web.downloads import XLSX_TYPE, file_chunks, neutralised, sheet_title


def _figure_cells(figure: Shown) -> list:
    return [figure.n_or_mark(), figure.percent_or_mark()]


def result_rows(shown: RunResults) -> tuple[list[str], list[list]]:
    """One row per area and per item of the run; an after run's area rows also carry the change against its
    before run and the matched change."""
    header = [
        _("Run"), _("Outcome area"), _("Item"), _("Responses (n)"), _("% agreeing"),
        _("Change against before (percentage points)"), _("Matched pairs"), _("Mean matched change"),
    ]
    comparisons = {comparison.outcome: comparison for comparison in shown.comparisons or ()}
    rows = [[shown.run.code, "", "", SUPPRESSED if shown.responses_hidden else shown.responses, "", "", "", ""]]
    for area in shown.outcomes:
        comparison = comparisons.get(area.outcome)
        change = ["", "", ""]
        if comparison is not None:
            change = [
                SUPPRESSED if comparison.change_hidden else comparison.change,
                SUPPRESSED if comparison.matched_hidden else comparison.pairs,
                SUPPRESSED if comparison.matched_hidden else comparison.matched_change,
            ]
        rows.append([shown.run.code, area.outcome.value, "", *_figure_cells(area.figure), *change])
        rows.extend([shown.run.code, area.outcome.value, item.key, *_figure_cells(item.figure), "", "", ""] for item in area.items)
    return header, rows


def project_rows(shown: ProjectResults) -> tuple[list[str], list[list]]:
    """One row per partner and one for all partners: responses, then n and % agreeing per area."""
    header = [_("Partner"), _("Library"), _("Responses")]
    for outcome in shown.areas:
        header += [f"{outcome.value} n", f"{outcome.value} %"]

    def counted(value):
        return SUPPRESSED if value is None else value

    rows = [
        [row.code, row.name, counted(row.responses), *(cell for outcome in shown.areas for cell in _figure_cells(row.outcomes[outcome]))]
        for row in shown.partners
    ]
    rows.append(["", _("All partners"), counted(shown.responses), *(cell for outcome in shown.areas for cell in _figure_cells(shown.outcomes[outcome]))])
    return header, rows


def runs_of_pair(run: SurveyRun) -> list[int]:
    """The run, with its before run or its after runs: matched pairs are numbered across them."""
    found = {run.id} | ({run.before_run_id} if run.before_run_id else set())
    found |= set(db.session.scalars(sa.select(SurveyRun.id).where(SurveyRun.before_run_id == run.id)))
    return sorted(found)


def answer_rows(run: SurveyRun) -> tuple[list[str], list[list]]:
    """The anonymous answers of `run` (and of its before or after runs); runs under 5 responses give none."""
    header = [
        _("Response number"), _("Run code"), _("Phase"), _("Channel"), _("Month received"), _("Pair number"),
        _("Outcome area"), _("Item"), _("Value (1-5, empty: don't know)"),
    ]
    run_ids = runs_of_pair(run)
    counts = dict(
        db.session.execute(
            sa.select(SurveyResponse.run_id, sa.func.count(SurveyResponse.id)).where(SurveyResponse.run_id.in_(run_ids)).group_by(SurveyResponse.run_id)
        ).all()
    )
    exported = [run_id for run_id in run_ids if counts.get(run_id, 0) >= MIN_RESPONSES]
    statement = (
        sa.select(
            SurveyResponse.id, SurveyRun.code, SurveyRun.phase, SurveyResponse.channel, SurveyResponse.received_on,
            SurveyResponse.match_key, SurveyItem.outcome, SurveyItem.key, SurveyAnswer.value,
        )
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyRun, SurveyRun.id == SurveyResponse.run_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(SurveyResponse.run_id.in_(exported))
        .order_by(SurveyRun.id, SurveyResponse.id, SurveyItem.position, SurveyItem.key)
    )
    response_numbers: dict[int, int] = {}
    pair_numbers: dict[str, int] = {}
    rows = []
    for response_id, code, phase, channel, received_on, match_key, outcome, item_key, value in db.session.execute(statement):
        number = response_numbers.setdefault(response_id, len(response_numbers) + 1)
        pair = pair_numbers.setdefault(match_key, len(pair_numbers) + 1) if match_key else ""
        rows.append([number, code, phase.value, channel.value, received_on.strftime("%Y-%m"), pair, outcome.value, item_key, value])
    for run_id in run_ids:
        if run_id not in exported and counts.get(run_id, 0):
            code = db.session.scalar(sa.select(SurveyRun.code).where(SurveyRun.id == run_id))
            rows.append(["", code, "", "", "", "", "", "", _("Fewer than %(count)d responses: not exported.", count=MIN_RESPONSES)])
    return header, rows


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # the byte order mark: spreadsheet programs then read the file as UTF-8
    for row in [header, *rows]:
        writer.writerow(["" if cell is None else neutralised(cell) if isinstance(cell, str) else cell for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _text_cell(sheet, text: str, font=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    return cell


def _xlsx_chunks(title: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    # openpyxl is imported on the first workbook, not at start: about 8 MB per worker (bench/worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title, "Survey"))
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, label, bold) for label in header])
    for row in rows:
        sheet.append([_text_cell(sheet, cell) if isinstance(cell, str) else WriteOnlyCell(sheet, value=cell) for cell in row])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        yield from file_chunks(file)


def response(file_format: str, header: list[str], rows: list[list], name: str, title: str) -> Response:
    """`rows` as a CSV or an XLSX download."""
    filename = f"{secure_filename(name) or 'survey'}.{file_format}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if file_format == "csv":
        return Response(_csv_lines(header, rows), mimetype="text/csv", headers=disposition)
    return Response(_xlsx_chunks(title, header, rows), mimetype=XLSX_TYPE, headers=disposition)
