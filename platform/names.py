"""Comparing what people type as the same name: labels, codes and organisations' names.

`folded` is for matching a typed word against a short list of known values (a category's code or label in any
language): case, spacing and diacritics do not matter. `organisation_key` is for recognising one organisation
written two ways ("UAB „Testas“", "Testas, UAB", "testas"): quotes, case, spacing, punctuation and the
legal-form words of the countries BibNet serves do not matter. It keeps diacritics: in Latvian and
Lithuanian a letter with a mark is another letter, and two suppliers may differ by it.
"""
import re
import unicodedata

# Every kind of quotation mark and apostrophe: Unicode's quotation punctuation (Pi, Pf), the ASCII ones and
# the look-alikes accounting exports use for them (prime, grave and acute accents, the low-9 quotes…).
_QUOTES = frozenset("\"'`´‘’‚‛“”„‟‹›«»′″‵‶「」『』〝〞〟＂＇")

# Legal forms, as words once quotes and punctuation are gone and the name is case-folded.
LEGAL_FORMS = frozenset(
    {
        # Lithuania
        "uab", "ab", "mb", "iį", "ii", "všį", "vsi", "vši", "tūb", "tub", "kūb", "kub", "žūb", "zub", "ūb", "ub",
        # Latvia
        "sia", "as", "ik", "ps", "ks", "biedrība", "nodibinājums",
        # Estonia
        "oü", "ou", "mtü", "mtu",
        # English, German, French, Nordic, Polish and others met on invoices
        "ltd", "limited", "plc", "llc", "llp", "inc", "corp", "co", "gmbh", "ag", "kg", "ohg", "ug", "ev", "gbr",
        "mbh", "sarl", "sa", "sas", "bv", "nv", "oy", "oyj", "aps", "asa", "spzoo",
    }
)
# Legal forms of several words, as word sequences (Polish "sp. z o.o." is "sp", "z", "oo" once its initials are joined).
LEGAL_FORM_PHRASES = (("sp", "z", "oo"), ("sp", "zoo"))


def folded(text: str) -> str:
    """`text` without case, diacritics and extra spacing: "  Iekārtas " and "iekartas" are equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(without_marks.split())


def _words(name: str) -> list[str]:
    """The name's words, case-folded, without quotes (removed: O'Brien is OBrien) or other punctuation (a space)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join("" if character in _QUOTES or unicodedata.category(character) in ("Pi", "Pf") else character for character in text)
    text = "".join(" " if unicodedata.category(character)[0] in "PS" else character for character in text)
    return text.split()


def organisation_key(name: str) -> str:
    """The organisation's name as compared for sameness: `organisation_key("UAB „Testas“") == organisation_key("testas, uab")`.

    Legal-form words are dropped wherever they stand; a name that is nothing but legal-form words keeps them
    (otherwise every "SIA" would be the same supplier). Initials written with dots ("S.I.A.") are joined first.
    """
    words = _words(_joined_initials(name))
    kept = _without_phrases(words)
    kept = [word for word in kept if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def _without_phrases(words: list[str]) -> list[str]:
    kept, index = [], 0
    while index < len(words):
        phrase = next((phrase for phrase in LEGAL_FORM_PHRASES if tuple(words[index:index + len(phrase)]) == phrase), None)
        if phrase:
            index += len(phrase)
        else:
            kept.append(words[index])
            index += 1
    return kept


_INITIALS = re.compile(r"\b(?:\w\.){2,}(?!\w)")


def _joined_initials(name: str) -> str:
    return _INITIALS.sub(lambda match: match.group(0).replace(".", ""), name)
