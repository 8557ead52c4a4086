"""MPC designations and dates: packed <-> unpacked, and looking a target up by name.

Packed forms follow the Minor Planet Center's "Packed Provisional and Permanent
Designations" (https://minorplanetcenter.net/iau/info/PackedDes.html, now also
https://docs.minorplanetcenter.net/mpc-ops-docs/designations/packed-designations)
and "Packed Dates" (https://minorplanetcenter.net/iau/info/PackedDates.html):

* permanent numbers, 5 characters: ``"03202"`` = 3202; ``"A0345"`` = 100345
  (the first character counts ten-thousands in base 62: A = 10 ... Z = 35,
  a = 36 ... z = 61); ``"~0000"`` = 620000 (a tilde and four base-62 digits
  of ``number - 620000``, up to ``"~zzzz"`` = 15396335);
* provisional designations, 7 characters: ``"J95X00A"`` = 1995 XA,
  ``"K07Tf8A"`` = 2007 TA418 (century letter I/J/K = 18/19/20, year, half-month
  letter, two-character cycle count, second letter); the extended form for
  cycle counts of 620 and more, ``"_QC0000"`` = 2026 CA620; the survey
  designations ``"PLS2040"`` = 2040 P-L, ``"T1S3138"`` = 3138 T-1;
* dates, 5 characters: ``"K25BL"`` = 2025 November 21 (century letter, year,
  month 1-9/A-C, day 1-9/A-V), optionally followed by the decimal fraction of
  the day (``"J981I73"`` = 1998 January 18.73).

:func:`find_target` resolves what a user types ("433", "Eros", "(433) Eros",
"2000SG344", "K00SY4G", ...) to a row of an NEA table.
"""

from __future__ import annotations

import difflib
import math
import re
import weakref
from collections.abc import Hashable

import numpy as np

from prospect.errors import UnknownNameError

__all__ = [
    "calendar_to_jd",
    "find_target",
    "jd_to_calendar",
    "pack_designation",
    "pack_epoch",
    "pack_number",
    "pack_provisional",
    "unpack_designation",
    "unpack_epoch",
    "unpack_epoch_jd",
    "unpack_number",
    "unpack_provisional",
]

#: Base-62 digits of the MPC packed forms (0-9, A-Z, a-z).
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_VALUE = {c: i for i, c in enumerate(B62)}

#: The 25 letters used as second letter of a provisional designation ("I" is skipped).
_SECOND_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
#: Half-month letters: A = Jan 1-15 ... Y = Dec 16-31 ("I" skipped, "Z" unused).
_HALF_MONTH_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXY"

#: Century letters of packed years and dates (MPC: I = 18, J = 19, K = 20).
_CENTURY = {"I": 18, "J": 19, "K": 20}
_CENTURY_LETTER = {v: k for k, v in _CENTURY.items()}

#: Survey codes of the packed survey designations (2040 P-L = PLS2040 ...).
_SURVEYS = {"P-L": "PL", "T-1": "T1", "T-2": "T2", "T-3": "T3"}
_SURVEY_CODES = {v: k for k, v in _SURVEYS.items()}

#: Largest number the 5-character packed form can hold ("~zzzz").
MAX_PACKED_NUMBER = 620_000 + 62**4 - 1

_PROV_RE = re.compile(r"^(\d{4}) ([A-HJ-Y])([A-HJ-Z])(\d*)$")
_SURVEY_RE = re.compile(r"^(\d{4}) (P-L|T-[123])$")


# --------------------------------------------------------------------------- numbers
def pack_number(number: int) -> str:
    """Pack a minor-planet number into the MPC's 5-character form.

    Parameters
    ----------
    number : int
        Permanent number, 1 <= number <= 15396335.

    Returns
    -------
    str
        ``"00433"``, ``"A0345"`` (100345), ``"~0000"`` (620000) ...

    Raises
    ------
    ValueError
        If the number is out of the packable range.

    Examples
    --------
    >>> pack_number(433), pack_number(100345), pack_number(620061)
    ('00433', 'A0345', '~000z')
    """
    n = int(number)
    if n < 1 or n > MAX_PACKED_NUMBER:
        raise ValueError(f"minor-planet number {number} cannot be packed (1..{MAX_PACKED_NUMBER})")
    if n < 100_000:
        return f"{n:05d}"
    if n < 620_000:
        return B62[n // 10_000] + f"{n % 10_000:04d}"
    x = n - 620_000
    digits = []
    for _ in range(4):
        x, r = divmod(x, 62)
        digits.append(B62[r])
    return "~" + "".join(reversed(digits))


def unpack_number(packed: str) -> int:
    """Unpack a 5-character packed minor-planet number.

    Examples
    --------
    >>> unpack_number("00433"), unpack_number("a0017"), unpack_number("~AZaz")
    (433, 360017, 3140113)
    """
    s = packed
    if not isinstance(s, str) or len(s) != 5:
        raise ValueError(f"packed number {packed!r} is not 5 characters")
    if s.isdigit() and s.isascii():
        n = int(s)
    elif s[0] == "~":
        if any(c not in _B62_VALUE for c in s[1:]):
            raise ValueError(f"packed number {packed!r}: '~' must be followed by base-62 digits")
        n = 620_000
        x = 0
        for c in s[1:]:
            x = x * 62 + _B62_VALUE[c]
        n += x
    elif s[0] in _B62_VALUE and s[0].isalpha() and s[1:].isdigit() and s[1:].isascii():
        n = _B62_VALUE[s[0]] * 10_000 + int(s[1:])
    else:
        raise ValueError(f"{packed!r} is not a packed minor-planet number")
    if n < 1:
        raise ValueError(f"packed number {packed!r} is zero")
    return n


# --------------------------------------------------------------------- provisional
def _cycle_letter(cycle: int) -> str:
    return B62[cycle // 10] + str(cycle % 10)


def pack_provisional(designation: str) -> str:
    """Pack a provisional (or survey) designation into the MPC's 7-character form.

    Parameters
    ----------
    designation : str
        ``"2000 SG344"``, ``"1995 XA"``, ``"2040 P-L"`` ... (1800-2099; the
        extended ``_`` form is used for cycle counts of 620 and more, years
        2000-2061).

    Raises
    ------
    ValueError
        If the text is not a provisional designation that can be packed
        (e.g. the pre-1925 form ``"A898 PA"``, which has no packed form here).

    Examples
    --------
    >>> pack_provisional("2000 SG344"), pack_provisional("2007 TA418")
    ('K00SY4G', 'K07Tf8A')
    >>> pack_provisional("2040 P-L"), pack_provisional("2026 CA620")
    ('PLS2040', '_QC0000')
    """
    if not isinstance(designation, str):
        raise ValueError(f"designation {designation!r} is not text")
    text = " ".join(designation.split())
    m = _SURVEY_RE.match(text)
    if m:
        return _SURVEYS[m.group(2)] + "S" + m.group(1)
    m = _PROV_RE.match(text)
    if not m:
        raise ValueError(f"{designation!r} is not a packable provisional designation")
    year = int(m.group(1))
    half, second, cycle_txt = m.group(2), m.group(3), m.group(4)
    if cycle_txt.startswith("0"):
        raise ValueError(f"{designation!r}: the cycle count has a leading zero")
    cycle = int(cycle_txt) if cycle_txt else 0
    century = year // 100
    if century not in _CENTURY_LETTER:
        raise ValueError(f"{designation!r}: year {year} outside 1800-2099")
    if cycle < 620:
        return _CENTURY_LETTER[century] + f"{year % 100:02d}" + half + _cycle_letter(cycle) + second
    if not 2000 <= year <= 2061:
        raise ValueError(f"{designation!r}: extended packing covers years 2000-2061")
    x = cycle * 25 + _SECOND_LETTERS.index(second) - 620 * 25
    if x >= 62**4:
        raise ValueError(f"{designation!r}: cycle count too large to pack")
    digits = []
    for _ in range(4):
        x, r = divmod(x, 62)
        digits.append(B62[r])
    return "_" + B62[year - 2000] + half + "".join(reversed(digits))


def unpack_provisional(packed: str) -> str:
    """Unpack a 7-character packed provisional or survey designation.

    Examples
    --------
    >>> unpack_provisional("K00SY4G"), unpack_provisional("J98SA8Q")
    ('2000 SG344', '1998 SQ108')
    >>> unpack_provisional("T3S4101"), unpack_provisional("_QC0aEM")
    ('4101 T-3', '2026 CZ6190')
    """
    s = packed
    if not isinstance(s, str) or len(s) != 7:
        raise ValueError(f"packed designation {packed!r} is not 7 characters")
    if s[2] == "S" and s[:2] in _SURVEY_CODES and s[3:].isdigit() and s[3:].isascii():
        return f"{s[3:]} {_SURVEY_CODES[s[:2]]}"
    if s[0] == "_":
        if s[1] not in _B62_VALUE or s[2] not in _HALF_MONTH_LETTERS:
            raise ValueError(f"{packed!r} is not an extended packed designation")
        if any(c not in _B62_VALUE for c in s[3:]):
            raise ValueError(f"{packed!r}: invalid base-62 digits")
        x = 0
        for c in s[3:]:
            x = x * 62 + _B62_VALUE[c]
        x += 620 * 25
        cycle, letter = divmod(x, 25)
        return f"{2000 + _B62_VALUE[s[1]]} {s[2]}{_SECOND_LETTERS[letter]}{cycle}"
    if (
        s[0] not in _CENTURY
        or not (s[1:3].isdigit() and s[1:3].isascii())
        or s[3] not in _HALF_MONTH_LETTERS
        or s[4] not in _B62_VALUE
        or not (s[5].isdigit() and s[5].isascii())
        or s[6] not in _SECOND_LETTERS
    ):
        raise ValueError(f"{packed!r} is not a packed provisional designation")
    year = _CENTURY[s[0]] * 100 + int(s[1:3])
    cycle = _B62_VALUE[s[4]] * 10 + int(s[5])
    return f"{year} {s[3]}{s[6]}{cycle if cycle else ''}"


def pack_designation(designation: str | int) -> str:
    """Pack a number (``433``, ``"433"``, ``"(433)"``) or a provisional designation.

    Examples
    --------
    >>> pack_designation("(433)"), pack_designation("2000 SG344")
    ('00433', 'K00SY4G')
    """
    if isinstance(designation, (int, np.integer)):
        return pack_number(int(designation))
    text = str(designation).strip()
    inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
    if inner.isdigit() and inner.isascii():
        return pack_number(int(inner))
    return pack_provisional(text)


def unpack_designation(packed: str) -> str:
    """Unpack a 5-character number or 7-character provisional designation to text.

    Examples
    --------
    >>> unpack_designation("A0345"), unpack_designation("J95X00A")
    ('100345', '1995 XA')
    """
    if isinstance(packed, str) and len(packed.strip()) == 5:
        return str(unpack_number(packed.strip()))
    if isinstance(packed, str) and len(packed.strip()) == 7:
        return unpack_provisional(packed.strip())
    raise ValueError(f"{packed!r} is not a packed designation (5 or 7 characters)")


# ---------------------------------------------------------------------------- dates
def calendar_to_jd(year: int, month: int, day: float) -> float:
    """Julian date of a Gregorian calendar date (day may carry a fraction).

    Meeus, *Astronomical Algorithms*, 2nd ed. (1998), ch. 7, eq. 7.1, for
    dates after 1582 October 15.

    Examples
    --------
    >>> calendar_to_jd(2000, 1, 1.5), calendar_to_jd(2025, 11, 21)
    (2451545.0, 2461000.5)
    """
    y, m = int(year), int(month)
    if m <= 2:
        y -= 1
        m += 12
    a = y // 100
    b = 2 - a + a // 4
    return math.floor(365.25 * (y + 4716)) + math.floor(30.6001 * (m + 1)) + day + b - 1524.5


def jd_to_calendar(jd: float) -> tuple[int, int, float]:
    """Gregorian (year, month, day with fraction) of a Julian date (Meeus ch. 7).

    Examples
    --------
    >>> jd_to_calendar(2461000.5)
    (2025, 11, 21.0)
    """
    z = math.floor(jd + 0.5)
    f = jd + 0.5 - z
    alpha = math.floor((z - 1_867_216.25) / 36_524.25)
    a = z + 1 + alpha - alpha // 4
    b = a + 1524
    c = math.floor((b - 122.1) / 365.25)
    d = math.floor(365.25 * c)
    e = math.floor((b - d) / 30.6001)
    day = b - d - math.floor(30.6001 * e) + f
    month = e - 1 if e < 14 else e - 13
    year = c - 4716 if month > 2 else c - 4715
    return int(year), int(month), float(day)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def unpack_epoch(packed: str) -> tuple[int, int, float]:
    """Unpack an MPC packed date to (year, month, day); the day may carry a fraction.

    Raises
    ------
    ValueError
        If the text is not a packed date or names an impossible day.

    Examples
    --------
    >>> unpack_epoch("K25BL"), unpack_epoch("J969U"), unpack_epoch("J981I73")
    ((2025, 11, 21.0), (1996, 9, 30.0), (1998, 1, 18.73))
    """
    s = packed
    if not isinstance(s, str) or len(s) < 5:
        raise ValueError(f"packed date {packed!r} is shorter than 5 characters")
    if s[0] not in _CENTURY or not (s[1:3].isdigit() and s[1:3].isascii()):
        raise ValueError(f"packed date {packed!r}: bad century letter or year")
    year = _CENTURY[s[0]] * 100 + int(s[1:3])
    month = _B62_VALUE.get(s[3], 0)
    day = _B62_VALUE.get(s[4], 0)
    if not 1 <= month <= 12:
        raise ValueError(f"packed date {packed!r}: bad month character {s[3]!r}")
    if not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"packed date {packed!r}: bad day character {s[4]!r}")
    frac = s[5:]
    if frac and not (frac.isdigit() and frac.isascii()):
        raise ValueError(f"packed date {packed!r}: the day fraction must be digits")
    return year, month, float(f"{day}.{frac}") if frac else float(day)


def unpack_epoch_jd(packed: str) -> float:
    """Julian date (TT, as the MPC's epochs) of a packed date: ``"K25BL"`` -> 2461000.5.

    Examples
    --------
    >>> unpack_epoch_jd("K25BL")
    2461000.5
    """
    return calendar_to_jd(*unpack_epoch(packed))


def pack_epoch(year: int, month: int, day: int) -> str:
    """Pack a calendar date (integral day) into the MPC's 5-character form.

    Examples
    --------
    >>> pack_epoch(2025, 11, 21), pack_epoch(2001, 10, 22)
    ('K25BL', 'K01AM')
    """
    century, yy = divmod(int(year), 100)
    if century not in _CENTURY_LETTER:
        raise ValueError(f"year {year} outside 1800-2099")
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        raise ValueError(f"{year}-{month}-{day} is not a calendar date")
    return f"{_CENTURY_LETTER[century]}{yy:02d}{B62[month]}{B62[day]}"


# ----------------------------------------------------------------------- find_target
_NOSPACE_DESIG = re.compile(r"^(\d{4})\s*([a-z]{2}\d*)$")
_NOSPACE_SURVEY = re.compile(r"^(\d{4})\s*(p-l|t-[123])$")
_PAREN_NUMBER = re.compile(r"^\((\d+)\)\s*(.*)$")
_NUMBER_NAME = re.compile(r"^(\d+)\s+(.+)$")
_TRAILING_PAREN = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


#: Apostrophe-like marks a name lookup ignores: ASCII ' and `, the Hawaiian okina
#: (U+02BB), modifier apostrophe (U+02BC), typographic quotes (U+2018/9), acute
#: accent and prime.  The MPC writes (469219) as "Kamo`oalewa"; users type
#: "Kamo'oalewa" or "Kamoʻoalewa".
_MARKS = str.maketrans("", "", "'`\u02bb\u02bc\u2018\u2019\u00b4\u2032")


def _unmarked(key: str) -> str:
    """``key`` without apostrophe-like marks."""
    return key.translate(_MARKS)


def _norm(text: str) -> str:
    """Lower-case, single-spaced key; '2000SG344' -> '2000 sg344'."""
    key = " ".join(str(text).split()).lower()
    m = _NOSPACE_DESIG.match(key) or _NOSPACE_SURVEY.match(key)
    if m:
        key = f"{m.group(1)} {m.group(2)}"
    return key


class _TargetIndex:
    """Lookup tables over one NEA table, built once per DataFrame."""

    def __init__(self, df):
        self.n = len(df)
        self.positions: dict[str, int] = {}
        self.packed: dict[str, int] = {}
        self.numbers: dict[int, int] = {}
        numbers = df["number"].to_numpy(dtype="float64", na_value=np.nan)
        for pos, num in enumerate(numbers):
            if num == num:  # not NaN
                self.numbers.setdefault(int(num), pos)
        for pos, p in enumerate(df["packed"].tolist()):
            if isinstance(p, str):
                self.packed.setdefault(p, pos)
        # priority: designation, label, name, other designations.  Catalog values are
        # single-spaced by the parsers, so lower-casing gives the same key as _norm().
        for col in ("designation", "label", "name", "other_designations"):
            if col not in df.columns:
                continue
            keys = df[col].str.lower().tolist()
            if col == "other_designations":
                for pos, val in enumerate(keys):
                    if isinstance(val, str):
                        for part in val.split(", "):
                            self.positions.setdefault(part, pos)
                continue
            new = {k: pos for pos, k in enumerate(keys) if isinstance(k, str) and k}
            for k, pos in new.items():
                self.positions.setdefault(k, pos)
        # names with an apostrophe or okina, also found without it (or with another)
        self.unmarked = {
            _unmarked(k): pos for k, pos in self.positions.items() if _unmarked(k) != k
        }
        self.labels = df["label"].tolist()
        self.names = [n for n in df["name"].tolist() if isinstance(n, str)]
        self._choices_by_year: dict[str, list[str]] | None = None

    def lookup(self, query: str) -> int | None:
        q = " ".join(str(query).split())
        if not q:
            return None
        m = _PAREN_NUMBER.match(q)
        if m:  # "(433)" or "(433) Eros"
            pos = self.numbers.get(int(m.group(1)))
            if pos is not None and (not m.group(2) or self._name_ok(pos, m.group(2))):
                return pos
        if q.isdigit() and q.isascii():
            pos = self.numbers.get(int(q))
            if pos is not None:
                return pos
        if len(q) in (5, 7) and q in self.packed:  # packed forms are case-sensitive
            return self.packed[q]
        pos = self._key_pos(_norm(q))
        if pos is not None:
            return pos
        m = _NUMBER_NAME.match(q)
        if m:  # "433 Eros", "433 eros", "101955 1999 RQ36"
            pos = self.numbers.get(int(m.group(1)))
            if pos is not None and self._name_ok(pos, m.group(2)):
                return pos
        m = _TRAILING_PAREN.match(q)
        if m and m.group(1):  # JPL full names: "433 Eros (A898 PA)"
            pos = self.lookup(m.group(1))
            if pos is not None:
                return pos
        if len(q) == 7:  # packed provisional typed in another case ("k00sy4g")
            found = set()
            for mid in {q[4], q[4].upper(), q[4].lower()}:
                cand = q[:4].upper() + mid + q[5] + q[6].upper()
                try:
                    pos = self.positions.get(_norm(unpack_provisional(cand)))
                except ValueError:
                    continue
                if pos is not None:
                    found.add(pos)
            if len(found) == 1:  # the cycle letter's case matters: accept only if unique
                return found.pop()
        return None

    def _name_ok(self, pos: int, rest: str) -> bool:
        """Whether ``rest`` (a name or designation) belongs to the row at ``pos``."""
        return self._key_pos(_norm(rest)) == pos

    def _key_pos(self, key: str) -> int | None:
        """Row of a normalised key, ignoring apostrophes and okinas in names."""
        pos = self.positions.get(key)
        if pos is None and self.unmarked:
            pos = self.unmarked.get(_unmarked(key))
        return pos

    def suggestions(self, query: str, n: int = 5) -> list[str]:
        """Up to ``n`` labels close to ``query`` (difflib ratio >= 0.6)."""
        key = _norm(query)
        designation_like = bool(_NOSPACE_DESIG.match(key) or _NOSPACE_SURVEY.match(key))
        m = _PAREN_NUMBER.match(key) or _NUMBER_NAME.match(key)
        if m and m.group(2) and not designation_like:  # "433 Erso": compare the name part
            key = _norm(m.group(2))
        if not key:
            return []
        if key[:4].isdigit():
            # designation-like: compare with the designations of that year only
            if self._choices_by_year is None:
                by_year: dict[str, list[str]] = {}
                for k in self.positions:
                    if k[:4].isdigit():
                        by_year.setdefault(k[:4], []).append(k)
                self._choices_by_year = by_year
            choices = self._choices_by_year.get(key[:4], [])
        else:
            choices = [_norm(x) for x in self.names]
        out: list[str] = []
        for c in difflib.get_close_matches(key, choices, n=n, cutoff=0.6):
            label = self.labels[self.positions[c]]
            if label not in out:
                out.append(label)
        return out


# id(df) -> (weak reference to df, index); DataFrames are not hashable, so no WeakKeyDictionary
_INDEX_CACHE: dict[int, tuple[weakref.ref, _TargetIndex]] = {}


def _index_for(df) -> _TargetIndex:
    key = id(df)
    entry = _INDEX_CACHE.get(key)
    if entry is not None and entry[0]() is df and entry[1].n == len(df):
        return entry[1]
    idx = _TargetIndex(df)
    ref = weakref.ref(df, lambda _r, k=key: _INDEX_CACHE.pop(k, None))
    _INDEX_CACHE[key] = (ref, idx)
    return idx


def find_target(df, query: str | int) -> Hashable:
    """Row label of the NEA that ``query`` names.

    Accepts a number (``"433"``, ``"(433)"``, ``433``), a name (``"Eros"``,
    any case), number and name (``"433 Eros"``, ``"(433) Eros"``), a
    designation with or without its space (``"2000 SG344"``, ``"2000sg344"``),
    a packed form (``"00433"``, ``"K00SY4G"``), another designation of the
    same object (``"1956 PC"`` for Eros) or a JPL full name
    (``"433 Eros (A898 PA)"``).  Apostrophes and okinas in names are ignored
    (``"Kamo'oalewa"``, ``"Kamoʻoalewa"`` and the MPC's ``"Kamo`oalewa"``).
    The lookup tables are built once per table (weakly cached), so repeated
    look-ups over the 40,000-row catalog are fast.

    Parameters
    ----------
    df : pandas.DataFrame
        An NEA table from :func:`prospect.catalog.load_neas`.
    query : str or int
        What the user typed.

    Returns
    -------
    hashable
        The index label of the row (use ``df.loc[label]``).

    Raises
    ------
    prospect.errors.UnknownNameError
        If nothing matches; ``suggestions`` holds up to five close labels
        (difflib over names, or over the designations of the same year).

    Examples
    --------
    >>> from prospect.catalog import load_neas
    >>> neas = load_neas()
    >>> neas.loc[find_target(neas, "eros"), "label"]
    '433 Eros'
    >>> neas.loc[find_target(neas, "K00SY4G"), "label"]
    '2000 SG344'
    """
    idx = _index_for(df)
    text = str(query)
    pos = idx.lookup(text)
    if pos is None:
        raise UnknownNameError("target", text.strip(), idx.suggestions(text))
    return df.index[pos]
