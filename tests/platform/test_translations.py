"""The interface translations: English, Latvian and Lithuanian.

The catalogs live in platform/translations/<lang>/LC_MESSAGES/messages.po, with the compiled messages.mo next
to them. They are kept up to date with `bibnet translate extract` (template messages.pot, then pybabel update)
and `bibnet translate compile`. These tests read the files; they need no application.
"""
import gettext
from io import BytesIO
from pathlib import Path
import re

import pytest
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("en", "lv", "lt")

# One Plural-Forms header per language; msgstr[n] follows the index these expressions return.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    # GNU/Babel convention for Latvian: form 2 is the zero form.
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
}

# n -> the msgstr index each language must pick.
PLURAL_INDEX = {
    "en": {0: 1, 1: 0, 2: 1, 11: 1, 21: 1},
    "lv": {0: 2, 1: 0, 21: 0, 101: 0, 2: 1, 5: 1, 10: 1, 11: 1, 12: 1, 111: 1},
    "lt": {1: 0, 21: 0, 101: 0, 2: 1, 9: 1, 22: 1, 0: 2, 10: 2, 11: 2, 15: 2, 20: 2, 111: 2},
}

# Python %-placeholders: %(name)s, %(num)d, %s, %.2f ...; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
NAMED_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def po_path(language):
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def mo_path(language):
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"


def catalog(language):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def template():
    with TEMPLATE.open("rb") as handle:
        return read_po(handle)


def compiled(language):
    with mo_path(language).open("rb") as handle:
        return gettext.GNUTranslations(handle)


def messages(cat):
    return [message for message in cat if message.id]


def forms(message):
    return list(message.string) if message.pluralizable else [message.string]


def placeholders(text):
    return {match for match in PLACEHOLDER.findall(text) if match != "%%"}


def header_lines(language):
    """The lines of the raw header entry (msgid "") as written in the .po file, before any parser merges them."""
    text = po_path(language).read_text(encoding="utf-8")
    header = re.search(r'^msgid ""\nmsgstr ((?:".*"\n)+)', text, re.MULTILINE)
    assert header, f"{language}: no header entry"
    joined = "".join(re.findall(r'^"(.*)"$', header.group(1), re.MULTILINE))
    return joined.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8").split("\n")


def test_there_is_a_catalog_and_a_compiled_catalog_for_every_language():
    assert TEMPLATE.is_file()
    for language in LANGUAGES:
        assert po_path(language).is_file(), language
        assert mo_path(language).is_file(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_empty_or_fuzzy(language):
    cat = catalog(language)
    assert not cat.fuzzy, f"{language}: the header is marked fuzzy"
    empty = [message.id for message in messages(cat) if not all(form.strip() for form in forms(message))]
    fuzzy = [message.id for message in messages(cat) if message.fuzzy]
    assert not empty, f"{language}: untranslated (or a plural form missing): {empty}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_message_has_one_text_per_plural_form(language):
    cat = catalog(language)
    for message in messages(cat):
        if message.pluralizable:
            assert len(message.string) == cat.num_plurals, (language, message.id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_is_up_to_date_with_the_template(language):
    expected = {(tuple(m.id) if m.pluralizable else m.id) for m in messages(template())}
    actual = {(tuple(m.id) if m.pluralizable else m.id) for m in messages(catalog(language))}
    assert not expected - actual, f"{language}: missing, run `bibnet translate extract`: {sorted(map(str, expected - actual))}"
    assert not actual - expected, f"{language}: no longer used, run `bibnet translate extract`: {sorted(map(str, actual - expected))}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_has_exactly_the_placeholders_of_the_original(language):
    wrong = []
    for message in messages(catalog(language)):
        if "python-format" in message.flags:
            originals = [placeholders(text) for text in (message.id if message.pluralizable else [message.id])]
            expected = set().union(*originals)
            got = [placeholders(form) for form in forms(message)]
        else:  # no formatting happens, so a translation must not invent a placeholder either
            expected = set()
            got = [set(NAMED_PLACEHOLDER.findall(form)) for form in forms(message)]
        wrong += [(message.id, found) for found in got if found != expected]
    assert not wrong, f"{language}: placeholders differ from the original: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_babel_finds_no_error_in_the_catalog(language):
    errors = [(message.id, [str(error) for error in found]) for message, found in catalog(language).check()]
    assert not errors, f"{language}: {errors}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_has_exactly_one_plural_forms_header_with_the_agreed_rule(language):
    declared = [line for line in header_lines(language) if line.lower().startswith("plural-forms:")]
    assert declared == [f"Plural-Forms: {PLURAL_FORMS[language]}"], (
        f"{language}: the header comment at the top of the .po says how to restore it"
    )
    assert catalog(language).plural_forms == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_agreed_rule_is_the_one_babel_uses_for_the_language(language):
    # pybabel init writes Babel's rule; if Babel ever changes it, new catalogs would disagree with ours.
    assert get_plural(language).plural_forms == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_chooses_the_right_plural_form(language):
    translations = compiled(language)
    assert translations.info()["plural-forms"] == PLURAL_FORMS[language]
    for n, index in PLURAL_INDEX[language].items():
        assert translations.plural(n) == index, (language, n)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ngettext_returns_the_text_of_the_right_plural_form(language):
    translations = compiled(language)
    plural_messages = [message for message in messages(catalog(language)) if message.pluralizable]
    for message in plural_messages:
        singular, plural = message.id
        for n, index in PLURAL_INDEX[language].items():
            assert translations.ngettext(singular, plural, n) == message.string[index], (language, singular, n)


def test_latvian_uses_the_zero_form_for_0_the_singular_for_1_and_21_and_the_plural_for_2_and_11():
    users = compiled("lv")
    assert users.ngettext("%(num)d user", "%(num)d users", 0) % {"num": 0} == "0 lietotāju"
    assert users.ngettext("%(num)d user", "%(num)d users", 1) % {"num": 1} == "1 lietotājs"
    assert users.ngettext("%(num)d user", "%(num)d users", 21) % {"num": 21} == "21 lietotājs"
    assert users.ngettext("%(num)d user", "%(num)d users", 2) % {"num": 2} == "2 lietotāji"
    assert users.ngettext("%(num)d user", "%(num)d users", 11) % {"num": 11} == "11 lietotāji"


def test_lithuanian_uses_the_singular_for_1_and_21_few_for_2_and_22_and_many_for_0_and_11():
    users = compiled("lt")
    assert users.ngettext("%(num)d user", "%(num)d users", 1) % {"num": 1} == "1 naudotojas"
    assert users.ngettext("%(num)d user", "%(num)d users", 21) % {"num": 21} == "21 naudotojas"
    assert users.ngettext("%(num)d user", "%(num)d users", 2) % {"num": 2} == "2 naudotojai"
    assert users.ngettext("%(num)d user", "%(num)d users", 22) % {"num": 22} == "22 naudotojai"
    assert users.ngettext("%(num)d user", "%(num)d users", 0) % {"num": 0} == "0 naudotojų"
    assert users.ngettext("%(num)d user", "%(num)d users", 11) % {"num": 11} == "11 naudotojų"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language):
    """A stale messages.mo fails here: run `bibnet translate compile`."""
    fresh = BytesIO()
    write_mo(fresh, catalog(language))
    fresh.seek(0)
    expected = gettext.GNUTranslations(fresh)
    committed = compiled(language)
    # The header entry ("") carries the Babel version that compiled it; compare the messages and the plural rule.
    expected_messages = {key: text for key, text in expected._catalog.items() if key != ""}
    committed_messages = {key: text for key, text in committed._catalog.items() if key != ""}
    assert committed_messages == expected_messages, f"{language}: messages.mo is stale, run `bibnet translate compile`"
    assert committed.info().get("plural-forms") == expected.info().get("plural-forms")
    assert committed.info().get("language") == expected.info().get("language")
