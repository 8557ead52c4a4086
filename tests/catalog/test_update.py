"""`update_catalog` against a local HTTP server (127.0.0.1 only; never the network)."""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from typing import ClassVar

import pandas as pd
import pytest

from prospect.catalog import load_neas
from prospect.catalog.update import (
    DEFAULT_URL,
    MIN_FRACTION,
    default_min_records,
    update_catalog,
    user_catalog_path,
)
from prospect.errors import DownloadError, InputError


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        status, body, headers, delay = route
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def server(data_dir):
    good = gzip.compress((data_dir / "nea_small.json").read_bytes())
    routes = {
        "/good.json.gz": (200, good, {}, 0),
        "/plain.json": (200, (data_dir / "nea_small.json").read_bytes(), {}, 0),
        "/nea.txt": (200, (data_dir / "nea_small.txt").read_bytes(), {}, 0),
        "/truncated.json.gz": (200, good[: len(good) // 2], {}, 0),
        "/garbage": (200, bytes(range(256)) * 20, {}, 0),
        "/html": (200, b"<html><body>Service unavailable</body></html>", {}, 0),
        "/short": (200, good[:100], {"Content-Length": str(len(good))}, 0),
        "/slow": (200, good, {}, 3.0),
        "/error": (500, b"oops", {}, 0),
    }
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _install_good(server):
    return update_catalog(f"{server}/good.json.gz", min_records=3, timeout=5)


def test_good_download_becomes_active(server, own_cache, data_dir):
    df = _install_good(server)
    assert df.attrs["url"] == f"{server}/good.json.gz"
    assert df.attrs["active"] == "updated" and df.attrs["downloaded"]
    active = load_neas()
    assert active.attrs["active"] == "updated"
    assert active.attrs["url"] == f"{server}/good.json.gz"
    pd.testing.assert_frame_equal(active, load_neas(data_dir / "nea_small.json"))
    assert (user_catalog_path().parent / "downloaded.json.gz").is_file()
    assert not list(user_catalog_path().parent.glob(".*"))  # no temp files left


@pytest.mark.parametrize("route", ["/plain.json", "/nea.txt"])
def test_other_formats_are_accepted(server, own_cache, route):
    df = update_catalog(server + route, min_records=3, timeout=5)
    assert len(df) == 16 and load_neas().attrs["active"] == "updated"


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("/missing.json.gz", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/truncated.json.gz", "gzip data is truncated"),
        ("/garbage", "not a recognized NEA catalog"),
        ("/html", "not a recognized NEA catalog"),
        ("/short", "received 100 of"),
    ],
)
def test_failures_leave_the_good_catalog_active(server, own_cache, route, reason):
    _install_good(server)
    before = user_catalog_path().read_bytes()
    with pytest.raises(DownloadError) as info:
        update_catalog(server + route, min_records=3, timeout=5)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"could not download {server}{route}") or msg.startswith(
        f"could not use {server}{route}"
    )
    assert reason in msg
    assert msg.endswith("the current catalog (updated MPC extended JSON, 16 objects) stays active")
    assert user_catalog_path().read_bytes() == before
    assert not list(user_catalog_path().parent.glob(".*"))


def test_failure_with_shipped_catalog_active(server, own_cache):
    with pytest.raises(DownloadError) as info:
        update_catalog(f"{server}/missing", timeout=5)
    assert "(shipped MPC extended JSON, 40,874 objects) stays active" in str(info.value)
    assert not user_catalog_path().exists()
    assert load_neas().attrs["active"] == "shipped"


def test_too_few_records_is_rejected_by_default(server, own_cache):
    need = default_min_records()
    assert need == -(-40_874 * 99 // 100) == 40_466  # ceil(0.99 * shipped count)
    assert MIN_FRACTION == 0.99
    with pytest.raises(DownloadError) as info:
        update_catalog(f"{server}/good.json.gz", timeout=5)
    msg = str(info.value)
    assert (
        "holds 16 objects, fewer than the 40,466 required (99% of the active catalog's 40,874)"
        in msg
    )
    assert not user_catalog_path().exists()


def test_offline_is_a_download_error(own_cache):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError) as info:
        update_catalog(f"http://127.0.0.1:{port}/nea.json.gz", timeout=2)
    assert "refused" in str(info.value).lower()


def test_timeout_is_a_download_error(server, own_cache):
    t0 = time.monotonic()
    with pytest.raises(DownloadError) as info:
        update_catalog(f"{server}/slow", min_records=3, timeout=0.5)
    assert time.monotonic() - t0 < 2.9
    assert "no answer within 0.5 s" in str(info.value) or "timed out" in str(info.value)


def test_file_url_and_bad_scheme(data_dir, own_cache):
    df = update_catalog((data_dir / "nea_small.json").as_uri(), min_records=3)
    assert len(df) == 16
    with pytest.raises(InputError) as info:
        update_catalog("ftp://example.invalid/nea.json.gz")
    assert info.value.option == "url"
    assert DEFAULT_URL.startswith("https://minorplanetcenter.net/")


def test_oversized_download_is_refused(server, own_cache):
    with pytest.raises(DownloadError, match="larger than 1,000 bytes"):
        update_catalog(f"{server}/good.json.gz", min_records=3, timeout=5, max_bytes=1000)


def test_downloaded_catalog_gets_the_measured_physical_data(server, own_cache):
    """A newly downloaded MPC file (no physical fields) is joined to the shipped
    physical table like the shipped catalog: Eros 16.84 km (JPL SBDB), Bennu B."""
    _install_good(server)
    active = load_neas()
    eros = active.set_index("label").loc["433 Eros"]
    assert eros["diameter_km"] == 16.84 and eros["diameter_source"].startswith("SBDB")
    bennu = active.set_index("label").loc["101955 Bennu"]
    assert (bennu["spec_b"], bennu["spec_mahlke"], bennu["albedo"]) == ("B", "B", 0.044)


def test_update_is_joined_again_when_the_physical_table_changes(server, own_cache):
    """A download joined to an older nea_physical.csv is re-converted on load."""
    from prospect.catalog.fast import read_fast, write_fast
    from prospect.catalog.physical import physical_digest

    _install_good(server)
    old = read_fast(user_catalog_path())
    old["diameter_km"] = 1.0  # what an older join might have said
    old.attrs["physical_digest"] = "an older table"
    write_fast(old, user_catalog_path())
    active = load_neas()
    assert active.attrs["physical_digest"] == physical_digest()
    assert active.set_index("label").loc["433 Eros", "diameter_km"] == 16.84
