"""Reading catalog files: gzip, format detection, text decoding."""

from __future__ import annotations

import gzip
import os
import zlib
from os import PathLike
from pathlib import Path

from prospect.errors import CatalogFormatError

__all__ = [
    "FORMATS",
    "MAX_UNPACKED_DEFAULT",
    "UNPACKED_ENV",
    "decompress",
    "detect_format",
    "read_raw",
    "unpack_limit",
]

#: Format key -> human name.
FORMATS = {
    "mpc-json": "MPC extended JSON (nea_extended.json)",
    "mpcorb": "MPC one-line orbit format (MPCORB.DAT / NEA.txt)",
    "sbdb-csv": "JPL SBDB CSV export",
}

_GZIP_MAGIC = b"\x1f\x8b"

#: Default cap on the bytes one gzip catalog may unpack to: 512 MiB, 20 times the
#: MPC NEA extended JSON (25.8 MB unpacked, 2025-11, the shipped catalog) and 1.7
#: times the MPC's full MPCORB.DAT (about 1.5 million 203-byte lines, ~300 MB),
#: the largest catalog prospect reads.  A gzip bomb of 2 MB used to unpack to 4 GB.
MAX_UNPACKED_DEFAULT = 512 * 1024**2

#: Environment variable that overrides :data:`MAX_UNPACKED_DEFAULT` (bytes).
UNPACKED_ENV = "PROSPECT_MAX_UNPACKED_BYTES"


def unpack_limit(max_bytes: int | None = None) -> int:
    """The cap on unpacked bytes: ``max_bytes`` if given, else ``$PROSPECT_MAX_UNPACKED_BYTES``,
    else :data:`MAX_UNPACKED_DEFAULT`.

    Parameters
    ----------
    max_bytes : int, optional
        Explicit cap, bytes (> 0).

    Returns
    -------
    int
        The cap, bytes.

    Raises
    ------
    prospect.errors.InputError
        A cap (argument or environment variable) that is not a positive whole number.

    Examples
    --------
    >>> unpack_limit(1000)
    1000
    """
    from prospect.errors import InputError

    if max_bytes is not None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise InputError(
                f"must be a positive number of bytes, got {max_bytes!r}", option="max_unpacked"
            )
        return max_bytes
    text = os.environ.get(UNPACKED_ENV, "").strip()
    if not text:
        return MAX_UNPACKED_DEFAULT
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"must be a positive number of bytes, got {text!r}", option=UNPACKED_ENV)
    return value


def read_raw(path: str | PathLike) -> bytes:
    """Bytes of a file as stored (OSError propagates: missing/unreadable file)."""
    return Path(path).read_bytes()


def decompress(raw: bytes, path, *, max_bytes: int | None = None) -> bytes:
    """Gunzip ``raw`` if it is gzip data (by its magic number), else return it.

    Never inflates more than the cap plus one byte: zlib's ``max_length`` bounds
    each step, so a gzip bomb costs at most the cap in memory.

    Parameters
    ----------
    raw : bytes
        The file as stored.
    path : str or PathLike
        File name for messages.
    max_bytes : int, optional
        Cap on the unpacked size, bytes; default :func:`unpack_limit` (the
        environment variable ``PROSPECT_MAX_UNPACKED_BYTES``, else 512 MiB).

    Raises
    ------
    CatalogFormatError
        Truncated or corrupt gzip data, or more than the cap once unpacked.
    """
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    max_bytes = unpack_limit(max_bytes)
    out = bytearray()
    data = raw
    try:
        while data:  # concatenated gzip members are legal
            d = zlib.decompressobj(wbits=31)
            out += d.decompress(data, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                raise CatalogFormatError(
                    f"unpacks to more than {max_bytes:,} bytes; refusing it (raise the cap "
                    f"with {UNPACKED_ENV} or max_unpacked=)",
                    path=path,
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
