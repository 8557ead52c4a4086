"""Reading catalog files: gzip, format detection, text decoding."""

from __future__ import annotations

import gzip
import zlib
from os import PathLike
from pathlib import Path

from prospect.errors import CatalogFormatError

__all__ = ["FORMATS", "decompress", "detect_format", "read_raw"]

#: Format key -> human name.
FORMATS = {
    "mpc-json": "MPC extended JSON (nea_extended.json)",
    "mpcorb": "MPC one-line orbit format (MPCORB.DAT / NEA.txt)",
    "sbdb-csv": "JPL SBDB CSV export",
}

_GZIP_MAGIC = b"\x1f\x8b"


def read_raw(path: str | PathLike) -> bytes:
    """Bytes of a file as stored (OSError propagates: missing/unreadable file)."""
    return Path(path).read_bytes()


def decompress(raw: bytes, path, *, max_bytes: int | None = None) -> bytes:
    """Gunzip ``raw`` if it is gzip data (by its magic number), else return it.

    Raises
    ------
    CatalogFormatError
        Truncated or corrupt gzip data, or more than ``max_bytes`` once unpacked.
    """
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    out = bytearray()
    data = raw
    try:
        while data:  # concatenated gzip members are legal
            d = zlib.decompressobj(wbits=31)
            out += d.decompress(data, 0 if max_bytes is None else max_bytes + 1 - len(out))
            if max_bytes is not None and len(out) > max_bytes:
                raise CatalogFormatError(
                    f"unpacks to more than {max_bytes:,} bytes; refusing it", path=path
                )
            if not d.eof:
                raise CatalogFormatError(
                    "gzip data is truncated (the file ends before the compressed stream does)",
                    path=path,
                )
            data = d.unused_data.lstrip(b"\x00")
            if data and not data.startswith(_GZIP_MAGIC):
                break  # trailing garbage after a complete member: gzip ignores it too
    except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
        raise CatalogFormatError(f"corrupt gzip data ({exc})", path=path) from None
    return bytes(out)


def _first_lines(data: bytes, n: int = 60) -> list[bytes]:
    return data[:65536].splitlines()[:n]


def detect_format(data: bytes, name: str = "") -> str:
    """Which catalog format ``data`` (already unpacked) holds, by content then by name.

    Returns
    -------
    str
        A key of :data:`FORMATS`.

    Raises
    ------
    CatalogFormatError
        If neither content nor file name say which.
    """
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "mpc-json"
    lines = _first_lines(head)
    if lines:
        first = lines[0].decode("latin-1").lower()
        cols = {c.strip().strip('"').strip() for c in first.split(",")}
        if "," in first and "e" in cols and ("a" in cols or "q" in cols) and "i" in cols:
            return "sbdb-csv"
    for raw in lines:
        line = raw.decode("latin-1")
        if line.startswith("-----"):
            return "mpcorb"
        if len(line) >= 103 and _looks_like_mpcorb(line):
            return "mpcorb"
    lower = str(name).lower()
    for suffix in (".gz", ".gzip"):
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    if lower.endswith(".json"):
        return "mpc-json"
    if lower.endswith(".csv"):
        return "sbdb-csv"
    if lower.endswith((".dat", ".txt")):
        return "mpcorb"
    raise CatalogFormatError(
        "not a recognized NEA catalog (expected MPC extended JSON, MPCORB.DAT/NEA.txt "
        "or a JPL SBDB CSV export)",
        path=name or None,
    )


def _looks_like_mpcorb(line: str) -> bool:
    """Blank separator columns where the MPC one-line format has them, packed epoch."""
    seps = (7, 13, 19, 25, 35, 36, 46, 47, 57, 58, 68, 69, 79, 91)
    return all(line[i] == " " for i in seps) and line[20] in "IJK" and line[21:23].isdigit()


def decode_text(data: bytes, path) -> str:
    """UTF-8 text (latin-1 fallback for old files); NUL bytes are an error."""
    if b"\x00" in data:
        raise CatalogFormatError("binary data (NUL bytes) in a text catalog", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
