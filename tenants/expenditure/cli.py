"""`bibnet expenditure import`: a partner's accounting export imported from the command line, all rows or none.

The columns are mapped as the partner last mapped them on the import page, or with `--map field=header`;
`--period` and `--category` set a value for every row, as on the mapping page (a row's own cell wins).
Every bad row is printed with its row, column and reason, and the exit code is 1; nothing is written then.
"""
from pathlib import Path

import click
from flask.cli import AppGroup
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.imports.tables import ENCODINGS, ImportRefused, read_rows
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Partner, Project, Tenant
from bibnet.tenants.expenditure import importing, services

expenditure = AppGroup("expenditure", help="Expenditure items of the partners.")


def _mapping(options: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for option in options:
        name, separator, header = option.partition("=")
        if not separator or name.strip() not in importing.FIELDS:
            raise click.BadParameter(f"{option!r}: use field=header with a field among {', '.join(importing.FIELDS)}", param_hint="--map")
        mapping[name.strip()] = header.strip()
    return mapping


def _category_code(text: str) -> str:
    code = importing.category_spellings().get(folded(text))
    if code is None:
        raise click.BadParameter(f"{text!r}: use one of {importing.category_list()}", param_hint="--category")
    return code


@expenditure.command("import")
@click.option("--tenant", "slug", required=True, help="The partner's slug, like jelgava.")
@click.option("--project", "acronym", required=True, help="The project's acronym, like InclusiveLibraries.")
@click.option("--map", "mapping_options", multiple=True, metavar="FIELD=HEADER", help="Which column holds a field; overrides the remembered mapping. Repeat for each field.")
@click.option("--period", "period_number", type=int, help="The reporting period of every row whose period cell is empty (or of every row, without a period column).")
@click.option("--category", help="The cost category of every row whose category cell is empty, by its code or name (like equipment).")
@click.option("--encoding", type=click.Choice(list(ENCODINGS)), help="The CSV file's encoding; by default it is found from the file's content.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_file(slug: str, acronym: str, mapping_options: tuple[str, ...], period_number: int | None, category: str | None, encoding: str | None, file: Path) -> None:
    """Import FILE (CSV or XLSX) as draft items of the partner in the project."""
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    project = db.session.scalar(sa.select(Project).join(Partner).where(Project.acronym == acronym, Partner.tenant_id == tenant.id))
    if project is None:
        raise click.ClickException(f"{slug} is no partner of a project {acronym!r}")
    defaults = {"period_number": period_number, "category": _category_code(category) if category else None}
    with tenant_scope(tenant):
        mapping = {**(services.settings_of_tenant().import_mapping or {}), **_mapping(mapping_options)}
        try:
            header, rows = read_rows(file.read_bytes(), file.name, encoding)
            with click.progressbar(length=len(rows), label="Checking the rows") as bar:
                result = importing.check_rows(header, rows, mapping, project, progress=bar.update, defaults=defaults)
        except ImportRefused as refused:
            raise click.ClickException(str(refused.message)) from None
        except Refused as refused:
            for name, messages in refused.errors.items():
                click.echo(f"--map {name}: {' '.join(str(message) for message in messages)}", err=True)
            raise click.ClickException("the column mapping is incomplete: nothing was imported") from None
        if not result.ok:
            for problem in result.problems:
                click.echo(f"row {problem.row}, column {problem.column}: {problem.message}", err=True)
            raise click.ClickException(f"{result.bad_rows} of {result.rows_read} rows cannot be imported: nothing was imported")
        with click.progressbar(length=len(result.items), label="Saving the rows") as bar:
            saved = importing.save(result, project, progress=bar.update, source=file.name)
        db.session.commit()
    click.echo(f"Imported {saved} item(s) as drafts for {tenant.name} in {project.acronym}.")
