"""What an uploaded file really is, by its first bytes, and the text of a text file in whatever encoding.

A file's name says little: accounting exports are renamed, and a `.csv` may be an old Excel workbook or a
PDF. `kind_of` reads the magic bytes; `decode_text` reads a text file's encoding:

1. a byte order mark decides: UTF-8, UTF-16 (LE or BE);
2. without one, NUL bytes in every other position mean UTF-16 (ASCII letters have a zero high byte);
3. then strict UTF-8: text in a single-byte encoding with any letter beyond ASCII almost never passes;
4. else Windows-1257 (Baltic) or Windows-1252 (Western), which both read almost any byte: each reading is
   split into words, and a word with letters beyond ASCII is plausible when all of them belong to one
   alphabet that the encoding serves (Latvian, Lithuanian, Estonian; German, French, Spanish, Italian,
   Portuguese, Dutch, the Nordic languages but Icelandic). The reading with more plausible words, less the
   implausible ones, wins; a tie goes to Windows-1257, the encoding of the Baltic accounting software
   BibNet's partners use (the two readings of a tie are mostly the same text, as with German's ä, ö, ü).

   So "Piegādātājs" in Windows-1257 is read as Windows-1252 "Piegâdâtâjs" and "Šiaulių" as "Ðiauliø": the
   second has Icelandic "Ð" and Danish "ø" in one word, which no Western alphabet holds, and "Straße" or
   "Crédit" read as Windows-1257 keep "ß" and "é", which no Baltic alphabet holds.
"""
import codecs
from enum import Enum


class FileKind(Enum):
    TEXT = "text"
    XLSX = "xlsx"  # or any other ZIP container but the ones below
    ODS = "ods"
    OLD_OFFICE = "old-office"  # .xls (and .doc): the OLE2 compound file of Office 97–2003
    PDF = "pdf"
    BINARY = "binary"  # an image, an archive, a program…: not text


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
# Images, archives and programs that are sometimes uploaded by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"MZ", b"\x7fELF", b"II*\x00", b"MM\x00*")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def kind_of(data: bytes) -> FileKind:
    head = data[:512]
    if head.startswith(_OLE2):
        return FileKind.OLD_OFFICE
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return FileKind.ODS if _ODS_MIMETYPE in head else FileKind.XLSX
    if any(head.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(head):
        return FileKind.TEXT
    if head.startswith(_BINARY_MAGIC) or sum(byte < 9 or 13 < byte < 27 or 27 < byte < 32 for byte in head) > len(head) // 10:
        return FileKind.BINARY
    return FileKind.TEXT  # a stray control character is the reader's to name, with its place


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when every other byte is NUL, as in UTF-16 text that is mostly ASCII."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= len(odd) * 0.8 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.8 and odd.count(0) == 0:
        return "utf-16-be"
    return None


_BALTIC_ALPHABETS = {
    "lv": "āčēģīķļņšūž",
    "lt": "ąčęėįšųūž",
    "et": "äöõüšž",
}
_WESTERN_ALPHABETS = {
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "es": "áéíñóúü",
    "it": "àèéìíîòóùú",
    "pt": "áâãàçéêíóôõú",
    "nl": "áéèëíïóöúü",
    "nordic": "åäæöøéü",
}
SINGLE_BYTE_CANDIDATES = {"cp1257": _BALTIC_ALPHABETS, "cp1252": _WESTERN_ALPHABETS}


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read in (see the module's rules).

    Raises UnicodeDecodeError when no rule reads it (a BOM that lies, bytes no candidate defines)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    without_bom = _utf16_without_bom(data[:512])
    if without_bom:
        return data.decode(without_bom), without_bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as not_utf8:
        readings = {}
        for encoding in SINGLE_BYTE_CANDIDATES:
            try:
                readings[encoding] = data.decode(encoding)
            except UnicodeDecodeError:
                continue
        if not readings:
            raise not_utf8
        best = max(readings, key=lambda encoding: plausibility(readings[encoding], SINGLE_BYTE_CANDIDATES[encoding]))
        return readings[best], best  # max keeps the first of equals: Windows-1257


def plausibility(text: str, alphabets: dict[str, str]) -> int:
    """Words whose letters beyond ASCII all belong to one of `alphabets`, less the words whose do not."""
    score = 0
    for word in _words_with_non_ascii_letters(text):
        letters = {character for character in word.lower() if not character.isascii()}  # lower: casefold makes ß "ss"
        score += 1 if any(letters <= set(alphabet) for alphabet in alphabets.values()) else -1
    return score


def _words_with_non_ascii_letters(text: str):
    word = []
    for character in text + " ":
        if character.isalpha():
            word.append(character)
            continue
        if word and not all(letter.isascii() for letter in word):
            yield "".join(word)
        word = []
