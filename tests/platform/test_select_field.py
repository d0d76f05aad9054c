"""The core's choice field writes the same markup as wtforms' own, only faster: values and labels escaped, the
chosen option marked, options with their own attributes written by wtforms."""
import wtforms
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from bibnet.web.fields import SelectField

CHOICES = [
    SelectChoice("", "All rooms"),
    SelectChoice("3", 'Room <b>"Rainbow"</b> & co'),
    SelectChoice(7, "A number"),
    SelectChoice(True, "Yes"),
    SelectChoice("x", ""),  # no label: the value is shown
    SelectChoice("off", "Closed", render_kw={"disabled": True}),
]


class Ours(Form):
    room = SelectField("Room", choices=CHOICES, validate_choice=False)


class Theirs(Form):
    room = wtforms.SelectField("Room", choices=CHOICES, validate_choice=False)


def test_the_core_select_writes_what_wtforms_writes():
    for data in ({}, {"room": "3"}, {"room": "off"}):
        assert Ours(data=data).room(class_="form-select", aria_describedby="room-hint") == Theirs(data=data).room(class_="form-select", aria_describedby="room-hint")


def test_labels_and_values_are_escaped_and_the_chosen_option_is_marked():
    html = Ours(data={"room": "3"}).room()
    assert '<option selected value="3">Room &lt;b&gt;&#34;Rainbow&#34;&lt;/b&gt; &amp; co</option>' in html
    assert '<option disabled value="off">Closed</option>' in html
    assert "<b>" not in html
