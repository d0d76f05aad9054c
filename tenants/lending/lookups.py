"""The borrower, loan and reservation a page or API call names (`borrower_id`, `loan_id`, `reservation_id` in the
URL), loaded by the core before the view runs (`bibnet.loading`) through the tenant guard: another tenant's, or
none, is a 404 whatever the request body holds."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.lending.models import Borrower, Loan, Reservation


def visible_borrower(borrower_id: int) -> Borrower:
    return get_or_404(Borrower, borrower_id)


def visible_loan(loan_id: int) -> Loan:
    """With its item, borrower and staff member, which its pages show."""
    return get_or_404(Loan, loan_id, joinedload(Loan.item), joinedload(Loan.borrower), joinedload(Loan.staff), joinedload(Loan.acceptance_file))


def visible_reservation(reservation_id: int) -> Reservation:
    return get_or_404(Reservation, reservation_id, joinedload(Reservation.item), joinedload(Reservation.borrower))


register_loader("borrower_id", "borrower", visible_borrower)
register_loader("loan_id", "loan", visible_loan)
register_loader("reservation_id", "reservation", visible_reservation)
