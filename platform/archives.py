"""Reading uploaded zip archives, which are hostile until proven otherwise.

`safe_members(archive)` checks every entry's header before anything is read: names that would leave the
folder they are unpacked into (`../`, an absolute path, a drive letter, a backslash), names that are not
UTF-8, symbolic links and other special files, encrypted entries, the same name twice, too many entries.
`read_member` then reads an entry's bytes in chunks and counts them itself, so an entry whose header
understates its size (a zip bomb) is stopped at the limit rather than unpacked: per entry, in total, and by
compression ratio. `parse_xml` parses XML with defusedxml and refuses any DTD, so neither entity expansion
(billion laughs) nor external entities can happen.

Every refusal is an `ArchiveRefused` (a `Refused` on the form's "file" field) whose message names the reason
and the entry; the caller reads and checks everything before it writes anything.
"""
from dataclasses import dataclass
import io
import re
import stat
from xml.etree.ElementTree import Element, ParseError
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l

from bibnet.refusals import Refused

MIB = 1024 * 1024
_CHUNK = 64 * 1024
_UTF8_NAMES = 0x800  # general purpose flag bit 11: the name is UTF-8
_ENCRYPTED = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 1000
    max_file_bytes: int = 50 * MIB
    max_total_bytes: int = 200 * MIB
    # Text compresses around 10:1 and real media hardly at all; a zip bomb's entries compress 1000:1 and more.
    max_ratio: int = 100
    # Below this size an entry may compress as well as it likes (a file of spaces): it cannot fill a disk.
    ratio_free_bytes: int = MIB


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(Refused):
    """The archive is refused; `message` names the reason and the entry."""

    def __init__(self, message):
        super().__init__({"file": [message]})
        self.message = message


def _refuse(message):
    raise ArchiveRefused(message)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive in `data`, or a refusal when it is not a zip file (or its names cannot be read)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError):
        raise ArchiveRefused(_l("This file is not a zip archive (or it is damaged).")) from None


def _name_problem(info: zipfile.ZipInfo):
    name = info.filename
    if not info.flag_bits & _UTF8_NAMES and not name.isascii():
        return _l("The archive was refused: the name of an entry is not UTF-8 (%(name)s). Pack it again with a tool that writes UTF-8 names.", name=name.encode("ascii", "replace").decode())
    if "\\" in name:
        return _l("The archive was refused: %(name)s has a backslash in its name.", name=name)
    if name.startswith("/") or _DRIVE.match(name):
        return _l("The archive was refused: %(name)s has an absolute path.", name=name)
    if ".." in name.split("/") or "\x00" in name or not name.strip("/"):
        return _l("The archive was refused: %(name)s points outside the archive's folder.", name=name)
    return None


def _is_special_file(info: zipfile.ZipInfo) -> bool:
    """A symbolic link, device or pipe, as Unix zip tools record it in the high bits of the external attributes."""
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the tool recorded permissions only, or nothing
    return kind not in (0, stat.S_IFREG, stat.S_IFDIR)


def safe_members(archive: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """The archive's files (folders left out), after checking every entry's header; refuses at the first problem."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        _refuse(_l("The archive was refused: it has %(count)d entries, at most %(max)d are accepted.", count=len(entries), max=limits.max_entries))
    seen: set[str] = set()
    files = []
    declared_total = 0
    for info in entries:
        problem = _name_problem(info)
        if problem is not None:
            raise ArchiveRefused(problem)
        if _is_special_file(info):
            _refuse(_l("The archive was refused: %(name)s is a symbolic link or another special file.", name=info.filename))
        if info.flag_bits & _ENCRYPTED:
            _refuse(_l("The archive was refused: %(name)s is encrypted.", name=info.filename))
        key = info.filename.rstrip("/").casefold()
        if key in seen:
            _refuse(_l("The archive was refused: %(name)s is in it twice.", name=info.filename))
        seen.add(key)
        if info.is_dir():
            continue
        # Headers can lie, so read_member counts again; an honest header that is too large is refused now.
        if info.file_size > limits.max_file_bytes:
            _refuse_file_size(info.filename, limits)
        declared_total += info.file_size
        if declared_total > limits.max_total_bytes:
            _refuse_total_size(limits)
        files.append(info)
    return files


def _refuse_file_size(name, limits):
    _refuse(_l("The archive was refused: %(name)s is larger than %(size)d MB.", name=name, size=max(1, limits.max_file_bytes // MIB)))


def _refuse_total_size(limits):
    _refuse(_l("The archive was refused: unpacked, it would be larger than %(size)d MB.", size=max(1, limits.max_total_bytes // MIB)))


class Reader:
    """Reads the entries of one archive, counting the unpacked bytes of all of them against the limits."""

    def __init__(self, archive: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS):
        self.archive, self.limits, self.total = archive, limits, 0

    def read(self, info: zipfile.ZipInfo) -> bytes:
        limits = self.limits
        parts, size = [], 0
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > limits.max_file_bytes:
                        _refuse_file_size(info.filename, limits)
                    if self.total > limits.max_total_bytes:
                        _refuse_total_size(limits)
                    if size > limits.ratio_free_bytes and size > limits.max_ratio * max(info.compress_size, 1):
                        _refuse(_l("The archive was refused: %(name)s unpacks to more than %(ratio)d times its packed size (a zip bomb?).", name=info.filename, ratio=limits.max_ratio))
                    parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError):
            _refuse(_l("The archive was refused: %(name)s cannot be unpacked (damaged, or packed in a way that is not supported).", name=info.filename))
        return b"".join(parts)


def parse_xml(data: bytes, name: str) -> Element:
    """The XML document's root; refused when it is not well-formed or has a DTD (so no entity can expand)."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        _refuse(_l("The archive was refused: %(name)s declares a DTD or entities, which are not accepted.", name=name))
    except (ParseError, ValueError):
        _refuse(_l("The archive was refused: %(name)s is not well-formed XML.", name=name))
