"""`bibnet bookings …`: the daily jobs (reminders, erasing organiser contacts). Run `bibnet bookings daily`
once a day from cron; each job can run again the same day without doing anything twice."""
import click
from flask import current_app
from flask.cli import AppGroup

from bibnet.tenants.bookings import privacy, reminders

bookings = AppGroup("bookings", help="Daily jobs of the room bookings.")


@bookings.command("send-reminders")
def send_reminders() -> None:
    """E-mail the organisers of tomorrow's confirmed sessions (once per session)."""
    count = reminders.send_reminders()
    click.echo(f"Sent {count} reminder(s) for tomorrow's sessions.")


@bookings.command("erase-contacts")
def erase_contacts() -> None:
    """Erase organiser names and contacts of bookings whose last session is past the retention period."""
    count = privacy.erase_contacts()
    days = current_app.config["BOOKING_CONTACT_RETENTION_DAYS"]
    click.echo(f"Erased the organiser contact of {count} booking(s) whose last session ended more than {days} days ago.")


@bookings.command("daily")
@click.pass_context
def daily(ctx) -> None:
    """Run every daily job: send-reminders, then erase-contacts."""
    ctx.invoke(send_reminders)
    ctx.invoke(erase_contacts)
