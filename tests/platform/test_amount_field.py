"""Amounts typed by hand: a comma or a point as the decimal mark, never an ambiguous amount taken silently."""
from decimal import Decimal

import pytest

from bibnet.web.fields import parse_amount, parse_whole_number


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1250.50", "1250.50"),
        ("1250,50", "1250.50"),
        ("1 250,50", "1250.50"),
        ("1\u00a0250,50 €", "1250.50"),
        ("1.250,50", "1250.50"),
        ("1,250.50", "1250.50"),
        ("-40,00", "-40.00"),
        ("\u221240,00", "-40.00"),
        ("7", "7"),
    ],
)
def test_an_amount_is_read_with_either_decimal_mark(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


def test_a_thousands_separator_alone_reads_as_three_decimals_which_amount_fields_refuse():
    assert parse_amount("1,234") == Decimal("1.234")


@pytest.mark.parametrize("typed", ["", "abc", "1..2", "12-", "1e5", "NaN", "Infinity", "²", "١٢", "9" * 30, "1." + "0" * 30])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


@pytest.mark.parametrize(("typed", "number"), [("4", 4), (" 12 ", 12), ("²", None), ("-1", None), ("1.0", None), ("", None), (None, None), ("9" * 11, None)])
def test_a_whole_number_in_a_url_or_form_is_ascii_digits_only(typed, number):
    assert parse_whole_number(typed) == number


@pytest.mark.parametrize("typed", ["-0", "-0,00", "\u22120.00", "-0.0"])
def test_minus_zero_is_zero(typed):
    """Decimal keeps the sign of a zero: "-0" was stored and shown back as "-0"."""
    assert str(parse_amount(typed)).lstrip("0.") == "" and not str(parse_amount(typed)).startswith("-")


@pytest.mark.parametrize("sent", ["-0", "-0.00", -0.0])
def test_the_apis_money_fields_read_minus_zero_as_zero(sent):
    from bibnet.api.schemas import DecimalString
    from bibnet.tenants.expenditure.schemas import Amount

    for field in (DecimalString(2), Amount()):
        assert not str(field.deserialize(sent)).startswith("-")
