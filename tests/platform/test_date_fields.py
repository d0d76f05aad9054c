"""Every date field is the browser's native date input: it is shown and prefilled in ISO (the only value a date
input takes), and the server still reads typed ISO and unambiguous European dates, and refuses ambiguous ones."""
from datetime import date
import re

from flask_babel import force_locale
from flask_wtf import FlaskForm
from markupsafe import Markup
import pytest

from bibnet.web.fields import LocalDateField


class _Form(FlaskForm):
    class Meta:
        csrf = False

    day = LocalDateField("Day")


def _form(app, data=None, **defaults):
    from werkzeug.datastructures import MultiDict

    return _Form(formdata=MultiDict(data) if data is not None else None, **defaults)


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("locale", ["en", "lv", "lt"])
def test_a_date_field_is_a_native_date_input_prefilled_in_iso(app, request_context, locale):
    with force_locale(locale):
        html = Markup(_form(app, day=date(2027, 3, 31)).day())
    assert 'type="date"' in html and 'value="2027-03-31"' in html


@pytest.mark.parametrize(
    ("locale", "hint"),
    [("en", "For example {year}-03-31 or 31.03.{year}."), ("lv", "Piemēram, {year}-03-31 vai 31.03.{year}."), ("lt", "Pavyzdžiui, {year}-03-31 arba 31.03.{year}.")],
)
def test_the_hint_names_iso_and_the_dotted_european_date_never_an_american_one(app, request_context, locale, hint):
    with force_locale(locale):
        text = str(_form(app).day.description)
    assert text == hint.format(year=date.today().year)
    assert not re.search(r"\d/\d", text)


@pytest.mark.parametrize("locale", ["en", "lv", "lt"])
@pytest.mark.parametrize("typed", ["2027-03-31", "31.03.2027", "31.3.2027"])
def test_iso_from_the_browser_and_typed_european_dates_are_read_in_every_language(app, request_context, locale, typed):
    with force_locale(locale):
        form = _form(app, {"day": typed})
        assert form.validate(), form.errors
    assert form.day.data == date(2027, 3, 31)
    with force_locale(locale):
        assert 'value="2027-03-31"' in form.day()


@pytest.mark.parametrize("locale", ["en", "lv"])
def test_an_ambiguous_slash_date_is_still_refused_not_guessed(app, request_context, locale):
    with force_locale(locale):
        form = _form(app, {"day": "01/02/2027"})
        assert not form.validate()
    assert form.day.data is None and "2027-02-01" in " ".join(map(str, form.day.errors))


def test_an_impossible_dotted_date_is_refused(app, request_context):
    form = _form(app, {"day": "31.02.2027"})
    assert not form.validate() and form.day.data is None
