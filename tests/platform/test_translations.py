"""The interface translations: English, Latvian and Lithuanian.

The catalogs live in platform/translations/<lang>/LC_MESSAGES/messages.po, with the compiled messages.mo next
to them. They are kept up to date with `bibnet translate extract` (template messages.pot, then pybabel update)
and `bibnet translate compile`. These tests read the files; they need no application.

Plural forms. The catalogs follow CLDR's plural rules exactly as the locked Babel (constraints.txt) writes them
into a Plural-Forms header, because `pybabel init` writes that rule and every translator's tool expects it.
The rule only says which msgstr[n] a number picks; that each form reads right is the grammar below:

- Latvian (Babel 2.19 / CLDR): [0] "zero", [1] "one", [2] "other". CLDR's "zero" is not only 0: it is every
  number ending in 0 or in 11-19 (0, 10-20, 30, ..., 100, 111). After these (nulle is a noun; desmit,
  vienpadsmit ... divdesmit are indeclinable) Latvian puts the counted noun in the genitive plural:
  "10 lietotāju", "111 nodarbību". "One" (1, 21, 101, not 11) takes the singular: "21 lietotājs"; "other"
  (2-9, 22-29, 102) the nominative plural: "22 lietotāji". Where the sentence itself governs a case
  ("līdz 10 dienām", "reizi 10 dienās", "visas 10 nodarbības"), the noun keeps that case, which is also
  correct after an indeclinable numeral. A sentence whose zero form would need a verb to agree with a
  genitive count names the count after a colon instead: "Apstiprināto nodarbību: 10."
  Babel 2.18 and older had GNU's rule (one, other, and a form for 0 alone): with it "10 lietotāji" and
  "11 lietotāji" came out, where the genitive is the better Latvian, and msgstr[0..2] were in another order.
- Lithuanian: [0] "one" (1, 21, 101, not 11): singular; [1] "few" (2-9, 22-29, 102): nominative plural;
  [2] "other" (0, 10-20, 30, ..., 100, 111): genitive plural, with a neuter participle ("Atšaukta 10
  užsiėmimų"). CLDR's "many" is for fractions only, which ngettext never gets. Babel 2.19 writes this rule
  differently from 2.18; for whole numbers the two are the same.

Two tests keep this honest, and they fail for different reasons: one says a catalog's header is exactly the
agreed rule (a broken or hand-edited catalog fails there), the other compares the agreed rule with the
installed Babel's CLDR data (a Babel upgrade that changes a rule fails there, not the catalogs).
"""
import gettext
from io import BytesIO
from pathlib import Path
import re

import babel
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
import pytest

TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("en", "lv", "lt")

# The agreed Plural-Forms header per language (CLDR's rule as Babel writes it; see the module docstring).
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "lv": "nplurals=3; plural=(n % 10 == 0 || n % 100 >= 11 && n % 100 <= 19 ? 0 : n % 10 == 1 && n % 100 != 11 ? 1 : 2);",
    "lt": "nplurals=3; plural=n % 10 == 1 && (n % 100 < 11 || n % 100 > 19) ? 0 : n % 10 >= 2 && n % 10 <= 9 && (n % 100 < 11 || n % 100 > 19) ? 1 : 2;",
}

# What msgstr[0], [1], [2] hold in each language under the agreed rule.
FORM_OF_INDEX = {
    "en": ("singular", "plural"),
    "lv": ("genitive plural", "singular", "nominative plural"),
    "lt": ("singular", "nominative plural", "genitive plural"),
}

# The numbers where the languages' rules differ from each other and from older rules.
NUMBERS = (0, 1, 2, 10, 11, 12, 19, 20, 21, 22, 100, 101, 111)

# What the grammar needs after each number: written from the grammar, not from any plural rule.
SINGULAR, NOMINATIVE_PLURAL, GENITIVE_PLURAL = "singular", "nominative plural", "genitive plural"
BALTIC_FORM_FOR_NUMBER = {
    0: GENITIVE_PLURAL, 1: SINGULAR, 2: NOMINATIVE_PLURAL, 10: GENITIVE_PLURAL, 11: GENITIVE_PLURAL,
    12: GENITIVE_PLURAL, 19: GENITIVE_PLURAL, 20: GENITIVE_PLURAL, 21: SINGULAR, 22: NOMINATIVE_PLURAL,
    100: GENITIVE_PLURAL, 101: SINGULAR, 111: GENITIVE_PLURAL,
}
FORM_FOR_NUMBER = {
    "en": {n: "singular" if n == 1 else "plural" for n in NUMBERS},
    # Latvian and Lithuanian happen to agree on every number here; their msgstr order differs.
    "lv": BALTIC_FORM_FOR_NUMBER,
    "lt": BALTIC_FORM_FOR_NUMBER,
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


def index_for(language, n):
    """The msgstr index that holds the form the grammar needs after n."""
    return FORM_OF_INDEX[language].index(FORM_FOR_NUMBER[language][n])


def plural_function(plural_forms):
    nplurals, expression = re.fullmatch(r"nplurals=(\d+); plural=(.*?);?", plural_forms).groups()
    return int(nplurals), gettext.c2py(expression)


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
    """Fails when the installed Babel's CLDR data changed a rule, whatever the catalogs say."""
    babel_rule = get_plural(language).plural_forms
    agreed_count, agreed = plural_function(PLURAL_FORMS[language])
    babel_count, babel_picks = plural_function(babel_rule)
    differs = [n for n in range(1000) if agreed(n) != babel_picks(n)]
    assert babel_count == agreed_count and not differs, (
        f"Babel {babel.__version__} gives {language!r} the rule {babel_rule!r}, but the catalogs follow "
        f"{PLURAL_FORMS[language]!r} (first numbers that differ: {differs[:8]}). This is a Babel change, not a "
        "broken catalog. First check that the install used the lock (make test, pip install -c constraints.txt): "
        "an unlocked Babel is the usual cause. To move to the new rule, do it deliberately: agree on the grammar, "
        "update PLURAL_FORMS, FORM_OF_INDEX and the module docstring here, the Plural-Forms header and every plural "
        "msgstr of the language, run `bibnet translate compile`, then `make lock` so the lock holds that Babel."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_chooses_the_form_the_grammar_needs(language):
    translations = compiled(language)
    assert translations.info()["plural-forms"] == PLURAL_FORMS[language]
    picked = {n: FORM_OF_INDEX[language][translations.plural(n)] for n in NUMBERS}
    assert picked == FORM_FOR_NUMBER[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_ngettext_returns_the_text_of_the_right_plural_form_for_every_plural_message(language):
    translations = compiled(language)
    plural_messages = [message for message in messages(catalog(language)) if message.pluralizable]
    assert plural_messages
    for message in plural_messages:
        singular, plural = message.id
        for n in NUMBERS:
            expected = message.string[index_for(language, n)]
            assert translations.ngettext(singular, plural, n) == expected, (language, singular, n)


# Whole sentences as a reader sees them, for the numbers where Latvian and Lithuanian differ from English.
SENTENCES = {
    "lv": {
        ("%(num)d user", "%(num)d users"): {
            0: "0 lietotāju", 1: "1 lietotājs", 2: "2 lietotāji", 10: "10 lietotāju", 11: "11 lietotāju",
            12: "12 lietotāju", 19: "19 lietotāju", 20: "20 lietotāju", 21: "21 lietotājs", 22: "22 lietotāji",
            100: "100 lietotāju", 101: "101 lietotājs", 111: "111 lietotāju",
        },
        ("%(num)d room", "%(num)d rooms"): {
            0: "0 telpu", 1: "1 telpa", 2: "2 telpas", 10: "10 telpu", 11: "11 telpu", 12: "12 telpu",
            19: "19 telpu", 20: "20 telpu", 21: "21 telpa", 22: "22 telpas", 100: "100 telpu", 101: "101 telpa",
            111: "111 telpu",
        },
        ("%(num)d session", "%(num)d sessions"): {
            0: "0 nodarbību", 1: "1 nodarbība", 2: "2 nodarbības", 10: "10 nodarbību", 11: "11 nodarbību",
            12: "12 nodarbību", 19: "19 nodarbību", 20: "20 nodarbību", 21: "21 nodarbība", 22: "22 nodarbības",
            100: "100 nodarbību", 101: "101 nodarbība", 111: "111 nodarbību",
        },
        ("%(num)d future session is cancelled.", "%(num)d future sessions are cancelled."): {
            1: "1 turpmākā nodarbība ir atcelta.", 21: "21 turpmākā nodarbība ir atcelta.",
            2: "2 turpmākās nodarbības ir atceltas.", 22: "22 turpmākās nodarbības ir atceltas.",
            10: "Atcelto turpmāko nodarbību: 10.", 11: "Atcelto turpmāko nodarbību: 11.",
            111: "Atcelto turpmāko nodarbību: 111.",
        },
        ("up to %(num)d day ahead", "up to %(num)d days ahead"): {
            1: "līdz 1 dienai iepriekš", 21: "līdz 21 dienai iepriekš", 2: "līdz 2 dienām iepriekš",
            10: "līdz 10 dienām iepriekš", 11: "līdz 11 dienām iepriekš", 100: "līdz 100 dienām iepriekš",
        },
    },
    "lt": {
        ("%(num)d user", "%(num)d users"): {
            0: "0 naudotojų", 1: "1 naudotojas", 2: "2 naudotojai", 10: "10 naudotojų", 11: "11 naudotojų",
            12: "12 naudotojų", 19: "19 naudotojų", 20: "20 naudotojų", 21: "21 naudotojas", 22: "22 naudotojai",
            100: "100 naudotojų", 101: "101 naudotojas", 111: "111 naudotojų",
        },
        ("%(num)d room", "%(num)d rooms"): {
            0: "0 patalpų", 1: "1 patalpa", 2: "2 patalpos", 10: "10 patalpų", 11: "11 patalpų", 12: "12 patalpų",
            19: "19 patalpų", 20: "20 patalpų", 21: "21 patalpa", 22: "22 patalpos", 100: "100 patalpų",
            101: "101 patalpa", 111: "111 patalpų",
        },
        ("%(num)d session", "%(num)d sessions"): {
            0: "0 užsiėmimų", 1: "1 užsiėmimas", 2: "2 užsiėmimai", 10: "10 užsiėmimų", 11: "11 užsiėmimų",
            12: "12 užsiėmimų", 19: "19 užsiėmimų", 20: "20 užsiėmimų", 21: "21 užsiėmimas", 22: "22 užsiėmimai",
            100: "100 užsiėmimų", 101: "101 užsiėmimas", 111: "111 užsiėmimų",
        },
        ("%(num)d future session is cancelled.", "%(num)d future sessions are cancelled."): {
            1: "Atšauktas 1 būsimas užsiėmimas.", 21: "Atšauktas 21 būsimas užsiėmimas.",
            2: "Atšaukti 2 būsimi užsiėmimai.", 22: "Atšaukti 22 būsimi užsiėmimai.",
            10: "Atšaukta 10 būsimų užsiėmimų.", 11: "Atšaukta 11 būsimų užsiėmimų.",
            111: "Atšaukta 111 būsimų užsiėmimų.",
        },
        ("up to %(num)d day ahead", "up to %(num)d days ahead"): {
            1: "iki 1 dienos iš anksto", 21: "iki 21 dienos iš anksto", 2: "iki 2 dienų iš anksto",
            10: "iki 10 dienų iš anksto", 11: "iki 11 dienų iš anksto", 100: "iki 100 dienų iš anksto",
        },
    },
}


@pytest.mark.parametrize("language", ["lv", "lt"])
def test_counted_sentences_read_right_for_every_number(language):
    translations = compiled(language)
    for (singular, plural), expected in SENTENCES[language].items():
        rendered = {n: translations.ngettext(singular, plural, n) % {"num": n} for n in expected}
        assert rendered == expected, (language, singular)


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
