"""When a funded item's durability ends: the programme's rule is that equipment stays owned and in use for N
years (the project's `durability_years`, 5 by default) after the final payment to the project.

- Paid: the end is the final payment date plus N years; 29 February, in a year without one, becomes
  28 February (the period may end a day early, never a day late).
- Not paid yet: the durability has not started. The earliest it can end is the project's last day plus
  N years, which pages show as an estimate, labelled so, never as the end itself.
"""
from dataclasses import dataclass
from datetime import date


def years_after(day: date, years: int) -> date:
    """`day` moved `years` years on; 29 February lands on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # only 29 February has no same day in another year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Durability:
    """`ends_on` when the final payment is known; else `earliest_end`, an estimate from the project's last day."""

    ends_on: date | None
    earliest_end: date

    @property
    def started(self) -> bool:
        return self.ends_on is not None

    def running_on(self, day: date) -> bool:
        """Whether the item is still bound on `day`: before a known end, and always before the payment is known."""
        return self.ends_on is None or day < self.ends_on


def durability_of(project) -> Durability:
    years = project.durability_years or 5
    ends_on = years_after(project.final_payment_on, years) if project.final_payment_on is not None else None
    return Durability(ends_on, years_after(project.ends_on, years))
