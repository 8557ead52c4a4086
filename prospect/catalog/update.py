"""The active NEA catalog, and replacing it by the MPC's newest file.

``prospect catalog update`` (:func:`update_catalog`) downloads
https://minorplanetcenter.net/Extended_Files/nea_extended.json.gz (or another
URL) into the user cache and makes it the active catalog:

1. download to a temporary file next to the active copy (urllib, with a
   timeout; the size must match the server's Content-Length);
2. parse it (any supported format; bad records are skipped and counted, but
   invalid JSON or a truncated gzip rejects the file);
3. check the record count is plausible: at least :data:`MIN_FRACTION` (90 %)
   of the shipped catalog's count, so a partial or wrong file (an error page,
   a subset) is never installed;
4. convert it and replace the active copy atomically (``os.replace``), then
   keep the downloaded file beside it.

Any failure raises :class:`prospect.errors.DownloadError` with one line and
leaves the previous catalog active.  ``reset_catalog`` removes the
downloaded copy (the shipped catalog becomes active again).
"""

from __future__ import annotations

import datetime as _dt
import http.client
import math
import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd

from prospect._version import __version__
from prospect.catalog import fast as _fast
from prospect.catalog.files import SHIPPED_FAST, SHIPPED_JSON, load_file, parse_bytes
from prospect.errors import CatalogFormatError, DownloadError, InputError

__all__ = [
    "DEFAULT_URL",
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
#: A downloaded catalog must hold at least this fraction of the shipped count.
MIN_FRACTION = 0.9
#: Largest download accepted, bytes (the NEA file is ~5 MB gzipped).
MAX_DOWNLOAD_BYTES = 512 * 1024**2
#: Largest unpacked size accepted, bytes (guards against gzip bombs).
MAX_UNPACKED_BYTES = 4 * 1024**3
#: Network timeout for connecting and for each read, s.
DEFAULT_TIMEOUT_S = 60.0

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
            df = _fast.read_fast(user)
        except CatalogFormatError as exc:
            df = _reconvert_user(exc)
        else:
            df = _rejoin_if_stale(df, user)
        df.attrs["active"] = "updated"
        return df
    shipped = catalog_path(SHIPPED_FAST)
    if shipped.is_file():
        try:
            df = _fast.read_fast(shipped)
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
    """Fewest records a downloaded catalog may hold: ceil(MIN_FRACTION * shipped count).

    Examples
    --------
    >>> default_min_records()  # 90 % of the shipped 40,874
    36787
    """
    from prospect._resources import catalog_path

    try:
        n = int(_fast.read_meta(catalog_path(SHIPPED_FAST))["n_objects"])
    except (CatalogFormatError, OSError, KeyError, TypeError, ValueError):
        return 1
    return math.ceil(MIN_FRACTION * n)


def describe_active() -> str:
    """'<source>, <N> objects' of the active catalog, for messages."""
    path = active_catalog_path()
    try:
        meta = _fast.read_meta(path)
        where = "updated" if path == _user_catalog_or_none() else "shipped"
        return f"{where} {meta.get('source', 'catalog')}, {int(meta['n_objects']):,} objects"
    except (CatalogFormatError, OSError, KeyError, TypeError, ValueError):
        return f"{path.name}"


def _download(url: str, out, *, timeout: float, max_bytes: int) -> int:
    """Stream ``url`` into the open binary file ``out``; return the byte count.

    Raises plain exceptions (caller words them); checks Content-Length.
    """
    req = urllib.request.Request(url, headers={"User-Agent": f"prospect/{__version__}"})
    total = 0
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        expected = resp.headers.get("Content-Length") if resp.headers else None
        while True:
            chunk = resp.read(1 << 16)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise ValueError(f"larger than {max_bytes:,} bytes")
            out.write(chunk)
    expected = (expected or "").strip()
    if expected.isascii() and expected.isdigit() and total != int(expected):
        raise ValueError(f"received {total:,} of {int(expected):,} bytes")
    return total


def update_catalog(
    url: str = DEFAULT_URL,
    *,
    min_records: int | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> pd.DataFrame:
    """Download a catalog and make it the active one, or leave everything as it was.

    Parameters
    ----------
    url : str
        http(s) or file URL of a catalog (default: the MPC's NEA extended JSON).
    min_records : int, optional
        Fewest objects accepted; default :func:`default_min_records` (90 % of
        the shipped catalog's count).
    timeout : float
        Seconds to wait for the connection and for each read.
    max_bytes : int
        Largest download accepted.

    Returns
    -------
    pandas.DataFrame
        The newly active table (``attrs``: ``url``, ``downloaded`` UTC time,
        ``skipped``).

    Raises
    ------
    prospect.errors.DownloadError
        Offline, HTTP error, timeout, short download, unreadable or
        implausibly small file: "could not download URL: reason; the current
        catalog (..., N objects) stays active".
    prospect.errors.InputError
        A URL that is not http, https or file.

    Examples
    --------
    >>> df = update_catalog()  # doctest: +SKIP
    >>> df.attrs["url"], len(df) > 40_000  # doctest: +SKIP
    ('https://minorplanetcenter.net/Extended_Files/nea_extended.json.gz', True)
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https", "file"):
        raise InputError(f"{url!r} is not an http, https or file URL", option="url")
    current = describe_active()

    def fail(verb: str, reason: str) -> DownloadError:
        return DownloadError(
            f"could not {verb} {url}: {reason}; the current catalog ({current}) stays active"
        )

    target = user_catalog_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_raw = tempfile.mkstemp(dir=target.parent, prefix=".download-", suffix=".part")
    except OSError as exc:
        raise fail("download", f"cannot write to the cache ({exc})") from None
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                _download(url, out, timeout=timeout, max_bytes=max_bytes)
        except urllib.error.HTTPError as exc:
            exc.close()  # the error is also the open response
            raise fail("download", f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                reason = f"no answer within {timeout:g} s"
            raise fail("download", str(reason)) from None
        except TimeoutError:
            raise fail("download", f"no answer within {timeout:g} s") from None
        except http.client.IncompleteRead as exc:
            raise fail(
                "download", f"connection closed early ({len(exc.partial):,} bytes)"
            ) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            raise fail("download", str(exc) or type(exc).__name__) from None

        raw = Path(tmp_raw).read_bytes()
        try:
            df = parse_bytes(raw, path=url, skip_bad=True, max_unpacked=MAX_UNPACKED_BYTES)
        except CatalogFormatError as exc:
            raise fail("use", exc.reason) from None
        need = default_min_records() if min_records is None else int(min_records)
        if len(df) < need:
            rule = (
                f"{MIN_FRACTION:.0%} of the shipped catalog's count"
                if min_records is None
                else "--min-records"
            )
            raise fail(
                "use", f"it holds {len(df):,} objects, fewer than the {need:,} required ({rule})"
            )
        df.attrs["url"] = url
        df.attrs["downloaded"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        suffix = "".join(Path(urllib.parse.urlsplit(url).path).suffixes[-2:])[:16]
        try:
            _fast.write_fast(df, target)  # atomic: temp file + os.replace
            for old in _raw_files():
                old.unlink(missing_ok=True)
            os.replace(tmp_raw, target.parent / f"{_RAW_NAME}{suffix}")
        except OSError as exc:
            raise fail("install", f"cannot write to the cache ({exc})") from None
    finally:
        if os.path.exists(tmp_raw):
            os.unlink(tmp_raw)
    df.attrs["path"] = str(target)
    df.attrs["active"] = "updated"
    return df


def reset_catalog() -> bool:
    """Remove the downloaded copy so the shipped catalog is active again.

    Returns
    -------
    bool
        Whether there was a downloaded copy.
    """
    had = user_catalog_path().is_file()
    user_catalog_path().unlink(missing_ok=True)
    for raw in _raw_files():
        raw.unlink(missing_ok=True)
    return had
