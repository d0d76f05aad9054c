"""Helpers of the stock-take tests: the inventory's item makers (tests/inventory/inventory_items.py) and a tiny PNG."""
import struct
import zlib

from inventory_items import make_item, shared_category

__all__ = ["make_item", "shared_category", "tiny_png"]


def tiny_png() -> bytes:
    """A real 1×1 PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80\xc0\xff")) + chunk(b"IEND", b"")
