"""`bibnet surveys bank`: write the shared item bank into the database (idempotent; run on set-up and after an
upgrade that changes its wording). Pages and the demo also write it on first use."""
import click
from flask.cli import AppGroup

from bibnet.extensions import db
from bibnet.tenants.surveys.bank import ensure_bank

surveys = AppGroup("surveys", help="Impact surveys.")


@surveys.command("bank")
def bank():
    """Add the bank's missing statements and bring changed wordings up to date."""
    changed = ensure_bank()
    db.session.commit()
    click.echo(f"item bank in step ({changed} statement(s) added or updated)")
