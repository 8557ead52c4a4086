"""The active NEA catalog, and replacing it by the MPC's newest file.

``prospect catalog update`` (:func:`update_catalog`) downloads
https://minorplanetcenter.net/Extended_Files/nea_extended.json.gz (or another
URL) into the user cache and makes it the active catalog:

1. download to a ``.part`` file next to the active copy
   (:func:`prospect.catalog.download.fetch`: a per-read timeout, a
   whole-download deadline, a size cap, the declared ``Content-Length``
   checked; ``.part`` files of killed runs are removed first);
2. check the body is whole by its format's own end (gzip trailer and CRC,
   JSON that closes, a last line that ends), unpacking no further than the
   cap of :func:`prospect.catalog._io.unpack_limit` (``max_unpacked``, else
   ``$PROSPECT_MAX_UNPACKED_BYTES``, else 512 MiB: a gzip bomb stops there);
3. parse it (any supported format; bad records are skipped and counted);
4. check the record count: at least :data:`MIN_FRACTION` (99 %) of the active
   catalog's count, so a partial or wrong file (an error page, a subset, a
   body cut at a line end) is never installed;
5. convert it and replace the active copy atomically (``os.replace``), then
   keep the downloaded file beside it.

Any failure raises :class:`prospect.errors.DownloadError` with one line naming
the URL and the check, and leaves the previous catalog active, byte for byte.
``reset_catalog`` removes the downloaded copy (the shipped catalog becomes
active again).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import urllib.parse
from pathlib import Path

import pandas as pd

from prospect.catalog import fast as _fast
from prospect.catalog.download import (
    DEFAULT_DEADLINE_S,
    DEFAULT_TIMEOUT_S,
    MAX_DOWNLOAD_BYTES,
    FetchError,
    fetch,
    part_file,
    remove_stale_parts,
)
from prospect.catalog.files import SHIPPED_FAST, SHIPPED_JSON, load_file, parse_bytes
from prospect.errors import CatalogFormatError, DownloadError, InputError

__all__ = [
    "DEFAULT_DEADLINE_S",
    "DEFAULT_TIMEOUT_S",
    "DEFAULT_URL",
    "MAX_DOWNLOAD_BYTES",
    "MIN_FRACTION",
    "active_catalog_path",
    "default_min_records",
    "load_active",
    "reset_catalog",
    "update_catalog",
    "user_catalog_path",
]

#: The MPC's NEA file (the live copy of the shipped catalog).
DEFAULT_URL = "https://minorplanetcenter.net/Extended_Files/nea_extended.json.gz"
#: A download must hold at least this fraction of the active catalog's count.
#: The NEA lists only grow between two files: the shipped MPC file holds 3,121
#: NEAs first designated in 2024 and 3,217 in 2025 (by principal designation),
#: +0.6 % of its 40,874 a month.  1 % (409 objects, ~6 weeks of discoveries)
#: leaves room for identifications and orbits revised out of the NEA region and
#: for switching between the MPC's and JPL's lists; a smaller file needs
#: ``min_records``.
MIN_FRACTION = 0.99


_RAW_NAME = "downloaded"


def _user_dir() -> Path:
    from prospect._resources import user_cache_dir

    return user_cache_dir() / "catalog"


def user_catalog_path() -> Path:
    """Where ``prospect catalog update`` keeps the converted active copy."""
    return _user_dir() / SHIPPED_FAST


def _raw_files() -> list[Path]:
    d = _user_dir()
    return sorted(d.glob(f"{_RAW_NAME}*")) if d.is_dir() else []


def _user_catalog_or_none() -> Path | None:
    """The user's copy if it exists (None also when the cache is not usable)."""
    try:
        user = user_catalog_path()
        return user if user.is_file() else None
    except OSError:
        return None


def active_catalog_path() -> Path:
    """The file :func:`prospect.catalog.load_neas` reads without a path."""
    from prospect._resources import catalog_path

    user = _user_catalog_or_none()
    if user is not None:
        return user
    shipped = catalog_path(SHIPPED_FAST)
    return shipped if shipped.is_file() else catalog_path(SHIPPED_JSON)


def load_active() -> pd.DataFrame:
    """The active catalog (user's updated copy, else the shipped one)."""
    from prospect._resources import catalog_path

    user = _user_catalog_or_none()
    if user is not None:
        try:
            df = _fast.read_fast(user, require_seal=True)  # prospect wrote it: sealed
        except CatalogFormatError as exc:
            df = _reconvert_user(exc)
        else:
            df = _rejoin_if_stale(df, user)
        df.attrs["active"] = "updated"
        return df
    shipped = catalog_path(SHIPPED_FAST)
    if shipped.is_file():
        try:
            df = _fast.read_fast(shipped, require_seal=True)  # made by the build script
        except CatalogFormatError as exc:
            raise CatalogFormatError(
                f"{exc.reason}; rebuild it with scripts/build_nea_catalog.py", path=shipped
            ) from None
    else:  # a source tree without the converted file: parse (and cache) the JSON
        df = load_file(catalog_path(SHIPPED_JSON))
    df.attrs["active"] = "shipped"
    return df


def _rejoin_if_stale(df: pd.DataFrame, user: Path) -> pd.DataFrame:
    """Convert the download again when the shipped physical table changed since."""
    from prospect.catalog.physical import physical_digest

    if df.attrs.get("physical_digest") == physical_digest() or not _raw_files():
        return df
    stale = CatalogFormatError("joined to an older physical table", path=user)
    return _reconvert_user(stale)


def _reconvert_user(exc: CatalogFormatError) -> pd.DataFrame:
    """The user's copy was written by another prospect version: convert its download again."""
    user = user_catalog_path()
    raws = _raw_files()
    if not raws:
        raise CatalogFormatError(
            f"{exc.reason}; run `prospect catalog update` (or `prospect catalog reset`)",
            path=user,
        ) from None
    try:
        old = _fast.read_meta(user)
    except CatalogFormatError:
        old = {}
    df = parse_bytes(raws[0].read_bytes(), path=old.get("url") or str(raws[0]), skip_bad=True)
    for k in ("url", "downloaded"):
        if k in old:
            df.attrs[k] = old[k]
    try:
        _fast.write_fast(df, user)
    except OSError:
        pass
    df.attrs["path"] = str(user)
    return df


def default_min_records() -> int:
    """Fewest records a download may hold: ceil(MIN_FRACTION * the active catalog's count).

    Examples
    --------
    >>> default_min_records()  # 99 % of the shipped 40,874 (no update installed)
    40466
    """
    return max(1, math.ceil(MIN_FRACTION * _active_count()))


def _active_count() -> int:
    """Objects in the active catalog (the shipped one's if the active file is unreadable)."""
    from prospect._resources import catalog_path

    for path in (active_catalog_path(), catalog_path(SHIPPED_FAST)):
        try:
            return int(_fast.read_meta(path)["n_objects"])
        except (CatalogFormatError, OSError, KeyError, TypeError, ValueError):
            continue
    try:
        return len(load_active())
    except CatalogFormatError:
        return 1  # nothing readable to compare with: min_records is the only floor


def describe_active() -> str:
    """'<source>, <N> objects' of the active catalog, for messages."""
    path = active_catalog_path()
    try:
        meta = _fast.read_meta(path)
        where = "updated" if path == _user_catalog_or_none() else "shipped"
        return f"{where} {meta.get('source', 'catalog')}, {int(meta['n_objects']):,} objects"
    except (CatalogFormatError, OSError, KeyError, TypeError, ValueError):
        return f"{path.name}"


def _verify_complete(raw: bytes, url: str, max_unpacked: int | None) -> None:
    """Refuse a body that is not whole by its format's own end.

    gzip: the trailer's CRC-32 and length (zlib checks both), unpacked through
    :func:`_inflate` so a bomb stops at ``max_unpacked``.  MPC JSON: the parser
    refuses text that does not close (``json.loads``).  MPCORB / SBDB CSV: the
    last line must end with a line break (both publishers end every line with
    one), so a body cut mid-line is refused; one cut at a line end is left to
    the record floor.

    Raises
    ------
    CatalogFormatError
        Naming the check that failed.
    """
    from prospect.catalog._io import FORMATS, detect_format

    data = _inflate(raw, url, max_unpacked)
    fmt = detect_format(data, url)
    if fmt != "mpc-json" and not data.endswith((b"\n", b"\r")):
        name = FORMATS[fmt].split(" (")[0]
        raise CatalogFormatError(
            f"the last line is incomplete (every line of the {name} format ends with a "
            "line break): the file was cut short",
            path=url,
        )


def _inflate(raw: bytes, url: str, max_unpacked: int | None) -> bytes:
    """``raw`` unpacked if gzipped, never past the cap (``max_unpacked``, else
    :func:`prospect.catalog._io.unpack_limit`): zlib stops there, so a 5 GiB bomb
    costs the cap in memory, not 5 GiB."""
    from prospect.catalog._io import decompress

    return decompress(raw, url, max_bytes=max_unpacked)


def _check_floor(df: pd.DataFrame, need: int, min_records: int | None) -> str | None:
    """Why ``df`` is too small to replace the active catalog, or None."""
    if len(df) >= need:
        return None
    rule = (
        f"{MIN_FRACTION:.0%} of the active catalog's {_active_count():,}"
        if min_records is None
        else "min_records"
    )
    return f"it holds {len(df):,} objects, fewer than the {need:,} required ({rule})"


def _check_limits(**values) -> None:
    """Refuse limits that are not positive finite numbers (naming the parameter)."""
    for name, value in values.items():
        if value is None:
            continue
        try:
            ok = math.isfinite(float(value)) and float(value) > 0
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise InputError(f"must be a positive number, not {value!r}", option=name)


def check_min_records(min_records, max_bytes: float = MAX_DOWNLOAD_BYTES) -> None:
    """Refuse a record floor that no download under the size cap could meet.

    Every record takes more than one byte, so more records than ``max_bytes``
    can never arrive (``--min-records 1e23`` used to be accepted and fail only
    after the download).

    Examples
    --------
    >>> check_min_records(40_000)
    >>> check_min_records(10**23)
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: min_records: 100000000000000000000000 records can never arrive ...
    """
    if min_records is not None and float(min_records) > max_bytes:
        raise InputError(
            f"{min_records!r} records can never arrive in a download capped at "
            f"{max_bytes:,.0f} bytes: every record takes more than one byte",
            option="min_records",
        )


def check_url(url: str) -> None:
    """Refuse a URL that is not http, https or file, or that cannot be parsed.

    Raises
    ------
    InputError
        Names ``url``.

    Examples
    --------
    >>> check_url("http://[::1")
    Traceback (most recent call last):
    ...
    prospect.errors.InputError: url: 'http://[::1' is not a valid URL (Invalid IPv6 URL)
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - a bad port is only found when read
    except ValueError as exc:
        raise InputError(f"{url!r} is not a valid URL ({exc})", option="url") from None
    if parts.scheme.lower() not in ("http", "https", "file"):
        raise InputError(f"{url!r} is not an http, https or file URL", option="url")


def update_catalog(
    url: str = DEFAULT_URL,
    *,
    min_records: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    deadline: float = DEFAULT_DEADLINE_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_unpacked: int | None = None,
) -> pd.DataFrame:
    """Download a catalog and make it the active one, or leave everything as it was.

    Parameters
    ----------
    url : str
        http(s) or file URL of a catalog (default: the MPC's NEA extended JSON).
    min_records : int, optional
        Fewest objects accepted; default :func:`default_min_records`
        (:data:`MIN_FRACTION` of the active catalog's count).
    timeout : float
        Seconds to wait for the connection and for each read.
    deadline : float
        Seconds the whole download may take (default :data:`DEFAULT_DEADLINE_S`).
    max_bytes : int
        Largest download accepted, bytes.
    max_unpacked : int, optional
        Largest size a gzipped download may unpack to, bytes; unpacking stops
        there.  Default ``$PROSPECT_MAX_UNPACKED_BYTES``, else 512 MiB
        (:data:`prospect.catalog._io.MAX_UNPACKED_DEFAULT`).

    Returns
    -------
    pandas.DataFrame
        The newly active table (``attrs``: ``url``, ``downloaded`` UTC time,
        ``skipped``).

    Raises
    ------
    prospect.errors.DownloadError
        Offline, HTTP error, timeout, deadline, short download (declared
        length or the format's own end), too large, unreadable or implausibly
        small file: "could not download URL: reason; the current catalog
        (..., N objects) stays active".
    prospect.errors.InputError
        A URL that is not http, https or file; a limit that is not a positive
        number (names the parameter).

    Examples
    --------
    >>> df = update_catalog()  # doctest: +SKIP
    >>> df.attrs["url"], len(df) > 40_000  # doctest: +SKIP
    ('https://minorplanetcenter.net/Extended_Files/nea_extended.json.gz', True)
    """
    check_url(url)
    _check_limits(
        min_records=min_records,
        timeout=timeout,
        deadline=deadline,
        max_bytes=max_bytes,
        max_unpacked=max_unpacked,
    )
    max_bytes = math.ceil(max_bytes)
    max_unpacked = None if max_unpacked is None else math.ceil(max_unpacked)
    check_min_records(min_records, max_bytes)
    current = describe_active()
    need = default_min_records() if min_records is None else int(min_records)

    def fail(verb: str, reason: str) -> DownloadError:
        return DownloadError(
            f"could not {verb} {url}: {reason}; the current catalog ({current}) stays active"
        )

    target = user_catalog_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with part_file(target.parent) as (part, out):
            try:
                fetch(url, out, timeout=timeout, deadline=deadline, max_bytes=max_bytes)
                out.flush()
            except FetchError as exc:
                raise fail("download", str(exc)) from None
            df = _checked_table(part.read_bytes(), url, max_unpacked, need, min_records, fail)
            out.close()  # Windows renames no open file; the pid in its name keeps it ours
            _install(df, part, url, fail)
    except OSError as exc:
        raise fail("download", f"cannot write to the cache ({exc})") from None
    return df


def _checked_table(raw: bytes, url: str, max_unpacked, need: int, min_records, fail):
    """The downloaded table once it passed every check (else ``fail``'s error)."""
    try:
        _verify_complete(raw, url, max_unpacked)
        df = parse_bytes(raw, path=url, skip_bad=True, max_unpacked=max_unpacked)
    except CatalogFormatError as exc:
        raise fail("use", exc.reason) from None
    too_few = _check_floor(df, need, min_records)
    if too_few:
        raise fail("use", too_few)
    return df


def _install(df: pd.DataFrame, part: Path, url: str, fail) -> None:
    """Make ``df`` the active catalog and keep the download (``part``) beside it."""
    target = user_catalog_path()
    df.attrs["url"] = url
    df.attrs["downloaded"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    suffix = "".join(Path(urllib.parse.urlsplit(url).path).suffixes[-2:])[:16]
    try:
        _fast.write_fast(df, target)  # atomic: temp file + os.replace
        for old in _raw_files():
            old.unlink(missing_ok=True)
        os.replace(part, target.parent / f"{_RAW_NAME}{suffix}")
    except OSError as exc:
        raise fail("install", f"cannot write to the cache ({exc})") from None
    df.attrs["path"] = str(target)
    df.attrs["active"] = "updated"


def reset_catalog() -> bool:
    """Remove the downloaded copy so the shipped catalog is active again (and the
    ``.part`` files of killed downloads; never one a live update is writing).

    Returns
    -------
    bool
        Whether there was a downloaded copy.
    """
    had = user_catalog_path().is_file()
    user_catalog_path().unlink(missing_ok=True)
    for raw in _raw_files():
        raw.unlink(missing_ok=True)
    remove_stale_parts(_user_dir())
    return had
