"""Co-financing to the cent: one implementation for budget plans and for reported amounts.

The rules, as the programme's monitoring system (Jems) applies them:

1. The fund's share (ERDF) is the partner total × the fund rate, **rounded down** to the cent
   (towards zero, so a credit note's share never exceeds the rate either).
2. The partner contribution is the **remainder**: total − fund share. It absorbs every rounding cent.
3. The contribution is split over its sources (state budget, municipal budget, …). Each source but the
   last gets its share of the contribution, rounded down to the cent; the **last source takes the
   remainder**, so the sources always add up to the contribution exactly.
4. A project's figures are the sums of its partners' rows, never recomputed from project percentages
   (80 % of a project total can differ by a cent from the sum of the partners' truncated shares).

Shares are exact fractions (`fractions.Fraction`), never floats: a source given as an amount of a plan
is the fraction amount ÷ planned contribution, so applying it to the plan gives the amount back exactly,
and applying it to a reported total splits that total in the plan's proportions.
"""
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class CoFinancingError(ValueError):
    """The sources ask for more than the partner contribution holds, or a figure is not a cent amount."""


def cents(value: Decimal) -> Decimal:
    """`value` if it is a whole number of cents; more decimals are refused, never rounded silently."""
    if value != value.quantize(CENT):
        raise CoFinancingError(f"{value} has more than two decimals")
    return value.quantize(CENT)


def cents_of_sum(value) -> Decimal:
    """A sum read from the database as a Decimal of cents; None (the sum of no rows) is 0.00.

    A sum of NUMERIC(17,2) amounts is exact already: this only gives it one type (the drivers return a
    Decimal, an int for a literal 0, or a float on SQLite) and two decimals.
    """
    return Decimal(0 if value is None else value).quantize(CENT)


def round_down(value: Fraction | Decimal) -> Decimal:
    """To the cent, towards zero: the rule for fund shares, source shares and line totals."""
    exact = Fraction(value)
    whole_cents = int(exact * 100)  # int() truncates towards zero
    return (Decimal(whole_cents) / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)


def round_half_up(value: Fraction | Decimal) -> Decimal:
    """To the cent, half away from zero: the rule for currency conversion and shown percentages."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Split:
    """A total split into the fund's share and the contribution's sources; the parts add up exactly."""

    total: Decimal
    fund: Decimal
    sources: tuple[Decimal, ...]

    @property
    def contribution(self) -> Decimal:
        return self.total - self.fund

    def __add__(self, other: "Split") -> "Split":
        """Project figures: partner rows summed, part by part, sources by position (the project's finance setup
        gives partners their sources in the same order). A partner with fewer sources adds nothing to the
        later ones, so the parts still add up to the total."""
        width = max(len(self.sources), len(other.sources))
        mine, theirs = (parts + (Decimal("0.00"),) * (width - len(parts)) for parts in (self.sources, other.sources))
        return Split(self.total + other.total, self.fund + other.fund, tuple(a + b for a, b in zip(mine, theirs, strict=True)))


def split(total: Decimal, fund_rate: Decimal, shares: list[Fraction]) -> Split:
    """Split `total` by the fund rate (a percentage, e.g. 80) and the sources' shares of the contribution.

    `shares` has one fraction per source but the last, which takes the remainder; with no shares the
    only source takes the whole contribution. The shares must not add up to more than 1.
    """
    total = cents(total)
    if not Decimal(0) <= fund_rate <= HUNDRED:
        raise CoFinancingError(f"a fund rate must be between 0 and 100, not {fund_rate}")
    if any(share < 0 for share in shares) or sum(shares, Fraction(0)) > 1:
        raise CoFinancingError("the sources' shares must be at least 0 and add up to at most the whole contribution")
    fund = round_down(Fraction(total) * Fraction(fund_rate) / 100)
    contribution = total - fund
    parts = [round_down(Fraction(contribution) * share) for share in shares]
    parts.append(contribution - sum(parts, Decimal("0.00")))
    return Split(total, fund, tuple(parts))


def share_of_contribution_for_percentage(percentage_of_total: Decimal, fund_rate: Decimal) -> Fraction:
    """A source given as a percentage of the partner total (10 % state budget at an 80 % fund rate) as its
    share of the contribution (10 / 20 = one half)."""
    rest = HUNDRED - fund_rate
    if rest <= 0:
        raise CoFinancingError("a fund rate of 100 % leaves no contribution to share")
    return Fraction(percentage_of_total) / Fraction(rest)


def share_of_contribution_for_amount(amount: Decimal, planned_contribution: Decimal) -> Fraction:
    """A source given as an amount of the plan, as its share of the planned contribution."""
    if planned_contribution == 0:
        return Fraction(0)
    return Fraction(cents(amount)) / Fraction(planned_contribution)


def spread(total: Decimal, weights: list[Fraction]) -> list[Decimal]:
    """Split an amount over periods (or any parts) by weights; each part but the last is rounded down
    and the last takes the remainder, so the parts add up to `total` exactly."""
    total = cents(total)
    whole = sum(weights, Fraction(0))
    if not weights or whole <= 0:
        raise CoFinancingError("at least one part with a positive weight is needed")
    parts = [round_down(Fraction(total) * weight / whole) for weight in weights[:-1]]
    return [*parts, total - sum(parts, Decimal("0.00"))]
