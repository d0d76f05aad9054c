"""What an upload is, by its bytes, and the encoding of a text file (the rules are in `bibnet.filetypes`):
issue 10's CSVs in Windows-1257, Windows-1252 and UTF-16 were refused, and an .xls or a PDF got the
message of a damaged CSV."""
import pytest

from bibnet.filetypes import FileKind, decode_text, kind_of

LATVIAN = ["Piegādātājs", "Rēķina datums", "Kredītrēķins", "SIA Pieejamība", "Burbuļu kolonna", "Ķekava", "Ģērbtuve", "Ņuja", "Aprīkojums"]
LITHUANIAN = ["Tiekėjas", "Sąskaitos data", "UAB Šiaulių žiburys", "Viešoji įstaiga", "Ąžuolas", "Įranga", "Išorės ekspertų paslaugos", "Kelionės išlaidos"]
GERMAN = ["Straße", "Größe", "Müller & Söhne GmbH", "Gebühr für Büromöbel", "Rechnungsübersicht"]
WESTERN = ["Crédit à côté", "Société générale", "Fundación García", "Señor Muñoz", "Prêt à porter", "Smörgåsbord"]


@pytest.mark.parametrize("text", LATVIAN + LITHUANIAN + ["; ".join(LATVIAN), "; ".join(LITHUANIAN)])
def test_latvian_and_lithuanian_in_windows_1257_are_read_as_windows_1257(text):
    assert decode_text(text.encode("cp1257")) == (text, "cp1257")


@pytest.mark.parametrize("text", GERMAN + WESTERN + ["; ".join(GERMAN), "; ".join(WESTERN)])
def test_german_french_spanish_and_nordic_words_in_windows_1252_keep_their_letters(text):
    decoded, encoding = decode_text(text.encode("cp1252"))
    assert decoded == text
    assert encoding == "cp1252" or text.encode("cp1252") == text.encode("cp1257", errors="replace")  # the same bytes and letters in both


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_files_are_read_with_or_without_a_byte_order_mark(encoding):
    text = "Periods;Piegādātājs;Tiekėjas\n1;SIA „Ķekava“;UAB Šiauliai\n"
    assert decode_text(text.encode(encoding))[0] == text


def test_bytes_no_candidate_defines_are_refused():
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"Caf\x81\x8d")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), FileKind.OLD_OFFICE),
        (b"%PDF-1.7\n", FileKind.PDF),
        (b"PK\x03\x04" + bytes(26) + b"[Content_Types].xml", FileKind.XLSX),
        (b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", FileKind.ODS),
        (b"\x89PNG\r\n\x1a\n", FileKind.BINARY),
        (bytes(range(32)) * 4, FileKind.BINARY),
        ("a;b\n1;2\n".encode("utf-16"), FileKind.TEXT),
        ("a;b\n1;2\n".encode("utf-16-le"), FileKind.TEXT),
        (b"Periods;Supplier\n1;SIA Sens\x00orika\n", FileKind.TEXT),  # a stray NUL is the CSV reader's to name, with its row
    ],
)
def test_a_files_kind_comes_from_its_first_bytes(data, kind):
    assert kind_of(data) is kind
