"""Short text and notebook (HTML) displays of result objects.

Result objects (:class:`prospect.scan.porkchop.PorkchopResult`,
:class:`prospect.scan.roundtrip.RoundTripResult`, :class:`prospect.targets.Target`
...) print as one line (``__repr__``) and show in a notebook as a small table
(``_repr_html_``, the IPython display protocol) built here, never as their
arrays.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

__all__ = [
    "fmt",
    "html_table",
    "porkchop_html",
    "porkchop_repr",
    "record_html",
    "round_trip_html",
    "round_trip_repr",
    "round_trip_result_html",
    "round_trip_result_repr",
    "transfer_html",
    "transfer_repr",
]


def fmt(value, spec: str = ".3f", unit: str = "") -> str:
    """``value`` formatted with ``spec`` and ``unit``; "-" for None/NaN.

    Examples
    --------
    >>> fmt(3.14159, ".2f", " km/s"), fmt(float("nan")), fmt("S")
    ('3.14 km/s', '-', 'S')
    """
    if value is None:
        return "-"
    if isinstance(value, str):
        return value or "-"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "-"
    return f"{x:{spec}}{unit}"


def html_table(title: str, rows: Iterable[tuple[str, object]]) -> str:
    """A two-column HTML table with a caption (values escaped).

    Examples
    --------
    >>> html_table("Eros", [("a", "1.458 au")])[:37]
    '<table><caption><b>Eros</b></caption>'
    """
    body = "".join(
        f'<tr><th style="text-align:left">{html.escape(str(k))}</th>'
        f'<td style="text-align:left">{html.escape(str(v))}</td></tr>'
        for k, v in rows
    )
    return f"<table><caption><b>{html.escape(title)}</b></caption>{body}</table>"


def _iso(seconds) -> str:
    """UTC ``YYYY-MM-DD`` of TDB seconds since J2000."""
    import numpy as np

    from prospect.epochs import utc_datetimes

    return str(np.datetime_as_string(utc_datetimes(float(seconds)), unit="D"))


def record_html(title: str, record: dict) -> str:
    """HTML table of a flat record (an ``as_dict()``), numbers to 4 significant digits."""
    rows = [(k, v if isinstance(v, str) else fmt(v, ".4g")) for k, v in record.items()]
    return html_table(title, [(k, v) for k, v in rows if k != "target"])


def transfer_html(t) -> str:
    """Notebook table of a :class:`prospect.scan.porkchop.Transfer`."""
    return record_html(f"Transfer to {t.target}", t.as_dict())


def round_trip_html(rt) -> str:
    """Notebook table of a :class:`prospect.scan.roundtrip.RoundTrip`."""
    return record_html(f"Round trip to {rt.target}", rt.as_dict())


def transfer_repr(t) -> str:
    """One line for a :class:`prospect.scan.porkchop.Transfer`."""
    return (
        f"Transfer({t.target!r}, {t.mode}: depart {t.departure}, {t.tof_days:.1f} d, "
        f"arrive {t.arrival}; dv {t.dv_total_km_s:.3f} km/s, C3 {t.c3_km2_s2:.2f} km^2/s^2)"
    )


def _porkchop_rows(pc) -> list[tuple[str, str]]:
    nd, nt = pc.shape
    dep = pc.departure
    span = f"{dep[0]} to {dep[-1]}" if nd else "-"
    if nd > 1:
        span += f" (every {(pc.departure_s[1] - pc.departure_s[0]) / 86400.0:g} d)"
    best = pc.best() if nd and nt else None
    rows = [
        ("grid", f"{nd} departures x {nt} flight times"),
        ("departures", span),
        ("flight times", f"{pc.tof_days[0]:g} to {pc.tof_days[-1]:g} d" if nt else "-"),
        ("C3 limit", fmt(pc.max_c3_km2_s2, ".1f", " km^2/s^2")),
        ("feasible cells", f"{int(pc.feasible().sum()):,}"),
        (
            "best",
            "no feasible cell"
            if best is None
            else f"dv {best.dv_total_km_s:.3f} km/s: depart {best.departure}, "
            f"{best.tof_days:g} d, C3 {best.c3_km2_s2:.2f} km^2/s^2",
        ),
    ]
    return rows


def porkchop_repr(pc) -> str:
    """One line for a :class:`prospect.scan.porkchop.PorkchopResult` (no arrays)."""
    s = dict(_porkchop_rows(pc))
    return (
        f"PorkchopResult({pc.target!r}, {pc.mode}, {s['grid']}, departures {s['departures']}, "
        f"flight times {s['flight times']}; best {s['best']})"
    )


def porkchop_html(pc) -> str:
    """Notebook table of a :class:`prospect.scan.porkchop.PorkchopResult`."""
    return html_table(f"Pork-chop grid: {pc.target} ({pc.mode})", _porkchop_rows(pc))


def round_trip_repr(rt) -> str:
    """One line for a :class:`prospect.scan.roundtrip.RoundTrip`."""
    return (
        f"RoundTrip({rt.target!r}: depart {_iso(rt.departure_s)}, {rt.tof_out_days:.0f} d out, "
        f"stay {rt.stay_days:.0f} d, {rt.tof_back_days:.0f} d back, return "
        f"{_iso(rt.return_s)}; {rt.duration_days:.0f} d, dv {rt.dv_total_km_s:.3f} km/s)"
    )


def _round_trip_rows(res) -> list[tuple[str, str]]:
    def one(rt) -> str:
        if rt is None:
            return "none feasible"
        return (
            f"{rt.dv_total_km_s:.3f} km/s over {rt.duration_days:.0f} d "
            f"(depart {_iso(rt.departure_s)}, stay {rt.stay_days:.0f} d)"
        )

    return [("least delta-v", one(res.min_dv)), ("shortest", one(res.min_duration))]


def round_trip_result_repr(res) -> str:
    """One line for a :class:`prospect.scan.roundtrip.RoundTripResult`."""
    s = dict(_round_trip_rows(res))
    return (
        f"RoundTripResult({res.target!r}, least delta-v {s['least delta-v']}; "
        f"shortest {s['shortest']})"
    )


def round_trip_result_html(res) -> str:
    """Notebook table of a :class:`prospect.scan.roundtrip.RoundTripResult`."""
    rows = _round_trip_rows(res)
    rows += [(k, fmt(v, ".4g")) for k, v in res.limits.items() if not isinstance(v, dict)]
    return html_table(f"Round trips to {res.target}", rows)
