"""One organisation however its name is written: `organisation_key` ignores quotes, case, spacing,
punctuation and legal-form words, and nothing else (issue 10: "UAB „Testas“" and "UAB Testas" were two
suppliers). `folded` matches typed labels without case, spacing or diacritics."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from bibnet.names import LEGAL_FORMS, folded, organisation_key

LETTERS = "abcdefghijklmnopqrstuvwxyzāčēģīķļņšūžąęėįųõäöüßéñ" + "ABCDEFGHIJKLMNOPRSTUVZĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲÕÄÖÜÉ"
words = st.text(alphabet=LETTERS, min_size=2, max_size=12).filter(lambda word: word.casefold() not in LEGAL_FORMS)
names = st.lists(words, min_size=1, max_size=4)
# The machine running the suite is shared: slow generation is the machine's, not the strategy's.
shared_machine = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
QUOTE_PAIRS = [("„", "“"), ("«", "»"), ('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("‹", "›"), ("‚", "‘"), ("「", "」")]
LEGAL_FORM_SPELLINGS = ["UAB", "AB", "MB", "IĮ", "VšĮ", "SIA", "AS", "IK", "Ltd", "Ltd.", "GmbH", "OÜ", "S.I.A.", "GmbH & Co. KG", "sp. z o.o."]


@shared_machine
@given(
    names,
    st.sampled_from(QUOTE_PAIRS),
    st.sampled_from(LEGAL_FORM_SPELLINGS),
    st.sampled_from(["before", "after", "after a comma", "none"]),
    st.sampled_from([" ", "  ", "\t", " - ", ", "]),
    st.sampled_from([str.upper, str.lower, str.title, str]),
)
def test_quotes_legal_forms_case_spacing_and_punctuation_do_not_change_the_key(parts, quotes, legal_form, where, between, case):
    plain = " ".join(parts)
    written = quotes[0] + between.join(parts) + quotes[1]
    written = {"before": f"{legal_form} {written}", "after": f"{written} {legal_form}", "after a comma": f"{written}, {legal_form}", "none": written}[where]
    assert organisation_key(case(written)) == organisation_key(plain)


@shared_machine
@given(names, names)
def test_different_names_keep_different_keys(first, second):
    if [word.casefold() for word in first] != [word.casefold() for word in second]:
        assert organisation_key(" ".join(first)) != organisation_key(" ".join(second))


@shared_machine
@given(st.text(alphabet=LETTERS + " .,;:-&'\"„“«»", max_size=40))
def test_the_key_of_a_key_is_itself(name):
    assert organisation_key(organisation_key(name)) == organisation_key(name)


@pytest.mark.parametrize(
    ("first", "second"),
    [("UAB „Testas“", "UAB Testas"), ("UAB „Testas“", "Testas, UAB"), ("VšĮ «Šviesa»", "šviesa"), ("SIA 'Ķekavas Gaisma'", "Ķekavas gaisma SIA"), ("Müller GmbH & Co. KG", "MÜLLER")],
)
def test_the_issues_examples_are_one_supplier(first, second):
    assert organisation_key(first) == organisation_key(second)


def test_diacritics_are_kept_a_marked_letter_is_another_letter():
    assert organisation_key("Šaltinis") != organisation_key("Saltinis")


def test_a_name_of_legal_form_words_only_keeps_them():
    assert organisation_key("S.I.A.") == "sia" and organisation_key("UAB") != organisation_key("SIA")


@shared_machine
@given(st.text(alphabet=LETTERS + " ", max_size=30))
def test_folded_ignores_case_spacing_and_diacritics(text):
    assert folded(f"  {text.upper()}  ") == folded(text)


@pytest.mark.parametrize(("typed", "label"), [("  aprikojums ", "Aprīkojums"), ("IRANGA", "Įranga"), ("Isores  ekspertu", "Išorės ekspertų")])
def test_folded_matches_a_label_typed_without_accents(typed, label):
    assert folded(typed) == folded(label)
