"""Hostile zip archives are refused, each with a message that names the reason and the entry. The archives are
crafted here, byte by byte where a tool would not write them."""
import io
import stat
import zipfile

import pytest

from bibnet.archives import DEFAULT_LIMITS, ArchiveLimits, ArchiveRefused, Reader, open_zip, parse_xml, safe_members


def archive(*entries, compression=zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    """A zip of (name or ZipInfo, bytes) entries, reopened for reading."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as writer:
        for name, data in entries:
            writer.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def refusal(call) -> str:
    with pytest.raises(ArchiveRefused) as refused:
        call()
    return str(refused.value.message)


def read_all(opened, limits=DEFAULT_LIMITS):
    reader = Reader(opened, limits)
    return {info.filename: reader.read(info) for info in safe_members(opened, limits)}


def test_a_well_formed_archive_is_read_whole():
    opened = archive(("course.yaml", b"format: 1\n"), ("lessons/", b""), ("lessons/01-01.en.md", "Ā text".encode()))
    assert read_all(opened) == {"course.yaml": b"format: 1\n", "lessons/01-01.en.md": "Ā text".encode()}


@pytest.mark.parametrize(("name", "reason"), [
    ("../evil.txt", "points outside"),
    ("lessons/../../evil.txt", "points outside"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/evil.dll", "absolute path"),
    ("lessons\\..\\evil.txt", "backslash"),
])
def test_a_name_that_would_leave_the_folder_is_refused(name, reason):
    message = refusal(lambda: safe_members(archive((name, b"x"))))
    assert reason in message and name in message


def test_a_symbolic_link_is_refused():
    link = zipfile.ZipInfo("lessons/passwd")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    message = refusal(lambda: safe_members(archive((link, b"/etc/passwd"))))
    assert "symbolic link" in message and "lessons/passwd" in message


def test_a_name_that_is_not_utf8_is_refused():
    entry = zipfile.ZipInfo("lessons/caf\u00e9.md")  # written as UTF-8 with the flag: take the flag away
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as writer:
        writer.writestr(entry, b"x")
    data = buffer.getvalue().replace(b"\x00\x08", b"\x00\x00")  # general purpose flags: bit 11 (UTF-8) off
    message = refusal(lambda: safe_members(open_zip(data)))
    assert "not UTF-8" in message


def test_the_same_name_twice_is_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        opened = archive(("a.md", b"1"), ("a.md", b"2"))
    assert "a.md is in it twice" in refusal(lambda: safe_members(opened))


def test_names_that_differ_only_in_case_are_the_same_name():
    assert "is in it twice" in refusal(lambda: safe_members(archive(("A.md", b"1"), ("a.md", b"2"))))


def test_an_encrypted_entry_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as writer:
        writer.writestr("secret.md", b"x")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the central directory's general purpose flags: bit 0, encrypted
    message = refusal(lambda: safe_members(open_zip(bytes(data))))
    assert "secret.md is encrypted" in message


def test_too_many_entries_are_refused():
    opened = archive(*((f"f{number}.md", b"x") for number in range(11)))
    assert "11 entries, at most 10" in refusal(lambda: safe_members(opened, ArchiveLimits(max_entries=10)))


def test_a_file_too_large_by_its_header_is_refused_before_reading():
    opened = archive(("big.mp4", b"x" * 2000))
    message = refusal(lambda: safe_members(opened, ArchiveLimits(max_file_bytes=1000)))
    assert "big.mp4 is larger than" in message


def test_too_much_in_total_is_refused():
    opened = archive(("a.bin", b"x" * 600), ("b.bin", b"x" * 600))
    assert "unpacked, it would be larger" in refusal(lambda: safe_members(opened, ArchiveLimits(max_total_bytes=1000)))


def _lying_header(data: bytes, name: str, claimed: int) -> bytes:
    """The archive with `name`'s uncompressed size in both headers set to `claimed`."""
    opened = zipfile.ZipFile(io.BytesIO(data))
    info = opened.getinfo(name)
    true_size = info.file_size.to_bytes(4, "little")
    return data.replace(info.CRC.to_bytes(4, "little") + info.compress_size.to_bytes(4, "little") + true_size,
                        info.CRC.to_bytes(4, "little") + info.compress_size.to_bytes(4, "little") + claimed.to_bytes(4, "little"))


def test_a_zip_bomb_whose_header_understates_its_size_is_refused_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as writer:
        writer.writestr("bomb.txt", b"\0" * (20 * 1024 * 1024))
    data = _lying_header(buffer.getvalue(), "bomb.txt", 10)
    opened = open_zip(data)
    assert opened.getinfo("bomb.txt").file_size == 10  # the header claims ten bytes
    files = safe_members(opened)
    message = refusal(lambda: Reader(opened).read(files[0]))
    assert "bomb.txt cannot be unpacked" in message


def test_the_ratio_limit_applies_to_honest_headers_too():
    opened = archive(("zeros.bin", b"\0" * (3 * 1024 * 1024)))
    assert "zeros.bin unpacks to more than" in refusal(lambda: read_all(opened))


def test_the_sizes_read_count_whatever_the_headers_say():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as writer:
        writer.writestr("a.bin", b"x" * 2000)
    opened = open_zip(_lying_header(buffer.getvalue(), "a.bin", 10))
    message = refusal(lambda: read_all(opened, ArchiveLimits(max_file_bytes=1000)))
    assert "a.bin is larger than" in message or "cannot be unpacked" in message


def test_a_file_that_is_no_zip_is_refused():
    assert "not a zip archive" in refusal(lambda: open_zip(b"PDF-1.7 not a zip"))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<manifest>&lol2;</manifest>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<manifest>&secret;</manifest>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_xml_with_entities_is_refused(document):
    assert "imsmanifest.xml declares a DTD or entities" in refusal(lambda: parse_xml(document, "imsmanifest.xml"))


def test_xml_that_is_not_well_formed_is_refused():
    assert "imsmanifest.xml is not well-formed XML" in refusal(lambda: parse_xml(b"<manifest>", "imsmanifest.xml"))
