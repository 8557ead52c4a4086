"""Taxonomic classes of asteroids mapped to resource complexes.

One function, :func:`composition`, turns an object's spectral class into the
resource it most plausibly offers and a score in [0, 1] used by the ranking.
The class is taken from the most informative system the object has:

1. **Mahlke, Carry & Mattei 2022** (A&A 665, A26; classes A B C Ch D E K L M
   O P Q R S V Z, and X when no albedo was available to split the X complex).
   It uses visible-NIR spectra *and* the albedo, so it separates E/M/P; a
   suffix ``e`` or ``k`` marks the 0.49 um or 0.9 um feature of an X-type
   (e.g. ``Mk``, ``Pe``) and does not change the complex.
2. **Bus / Bus-DeMeo** (Bus & Binzel 2002; DeMeo et al. 2009, Icarus 202, 160;
   JPL SBDB ``spec_B``), e.g. ``Sq``, ``Cb``, ``Xk``; a trailing ``w`` (space
   weathered, DeMeo 2009) or ``:`` (uncertain) does not change the complex.
3. **Tholen 1984** (JPL SBDB ``spec_T``): the first letter is the best-fitting
   class (``SU``, ``TCG:``); ``U`` and ``:`` are quality flags.

Resource complexes (``shared/domain/DOMAIN.md`` section 3.2, after the
meteorite analogues of DeMeo & Carry 2014, Nature 505, 629, and the class
definitions of Mahlke et al. 2022, section 5):

============== ===== ==========================================================
complex        score classes and why
============== ===== ==========================================================
water          1.0   C complex: B, C, Ch, Cb, Cg, Cgh (Tholen B, C, F, G):
                     CI/CM-like hydrated phyllosilicates; Ch shows the 0.7 um
                     Fe-phyllosilicate band. Bennu (B) and Ryugu (Cb) are this.
metal          0.8   M (Mahlke: X complex of moderate albedo), Bus Xk/Xc
                     (DOMAIN.md 3.2: "M/Xk/Xc: metal-rich"), Tholen M: Fe-Ni
                     metal and enstatite chondrites with PGMs.
volatiles      0.7   D, P (low-albedo X complex), Z (very red), Tholen T:
                     possibly volatile- and organic-rich, cometary-like.
construction   0.6   S complex (S, Sa, Sq, Sr, Sv, Sw ...), Q, K, L: ordinary
                     chondrites (Itokawa: LL), silicates with a few % Fe-Ni.
other          0.4   V (basaltic), A (olivine), R, O, E and Bus Xe (enstatite
                     achondrite, aubrite-like), X when its albedo is unknown.
unknown        0.5   no class: neutral, neither rewarded nor penalised.
============== ===== ==========================================================

A Mahlke or Bus ``X`` with a measured albedo is split as Tholen (1984) split
his X complex (Tholen & Barucci 1989, in *Asteroids II*, p. 298): E above
pV 0.30, M from 0.10 to 0.30, P below 0.10.

The scores rank what a prospecting mission values most (water first, as the
propellant feedstock); they are this module's design choice, not data.
"""

from __future__ import annotations

import math
import re

__all__ = ["CLASSES", "COMPLEXES", "composition", "resource_complex"]

#: Score of each resource complex (design choice, see the module docstring).
COMPLEXES: dict[str, float] = {
    "water": 1.0,
    "metal": 0.8,
    "volatiles": 0.7,
    "construction": 0.6,
    "other": 0.4,
    "unknown": 0.5,
}

#: Class names of the four systems above, as a user may give one (``plan``'s
#: ``target_class``): Tholen 1984 (A B C D E F G M P Q R S T V X), Bus & Binzel
#: 2002 (SMASSII, 26 classes incl. Ld Sk Sl), DeMeo et al. 2009 (24 classes, adds
#: Sv) and Mahlke et al. 2022 (adds Z).  Quality and weathering marks (``:``, ``U``,
#: ``w``) are catalog annotations, not classes.
CLASSES = (
    "A", "B", "C", "Cb", "Cg", "Cgh", "Ch", "D", "E", "F", "G", "K", "L", "Ld", "M", "O",
    "P", "Q", "R", "S", "Sa", "Sk", "Sl", "Sq", "Sr", "Sv", "T", "V", "X", "Xc", "Xe", "Xk",
    "Z",
)  # fmt: skip

#: Albedo limits splitting the X complex into E / M / P (Tholen & Barucci 1989).
X_ALBEDO_E_MIN = 0.30
X_ALBEDO_M_MIN = 0.10

_MAHLKE = {
    "B": "water",
    "C": "water",
    "Ch": "water",
    "M": "metal",
    "D": "volatiles",
    "P": "volatiles",
    "Z": "volatiles",
    "S": "construction",
    "Q": "construction",
    "K": "construction",
    "L": "construction",
    "A": "other",
    "E": "other",
    "O": "other",
    "R": "other",
    "V": "other",
}

_BUS = (
    ("water", re.compile(r"^(B|C|Cb|Cg|Cgh|Ch)$")),
    ("metal", re.compile(r"^X[kc]$")),
    ("volatiles", re.compile(r"^(D|T)$")),
    ("construction", re.compile(r"^(S[a-z]*(\([IV]+\))?|Q|K|L|Ld)$")),
    ("other", re.compile(r"^(V|A|R|O|E|U|Xe)$")),
)

_THOLEN = {
    **dict.fromkeys("BCFG", "water"),
    "M": "metal",
    **dict.fromkeys("DPT", "volatiles"),
    **dict.fromkeys("SQK", "construction"),
    **dict.fromkeys("VAROE", "other"),
}


def _text(value) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip(":").strip()
    return text or None


def _split_x(albedo) -> str:
    """E/M/P complex of an X-type from its albedo (Tholen & Barucci 1989)."""
    try:
        p = float(albedo)
    except (TypeError, ValueError):
        return "other"
    if not math.isfinite(p) or p <= 0:
        return "other"
    if p > X_ALBEDO_E_MIN:
        return "other"  # E: enstatite achondrite
    return "metal" if p >= X_ALBEDO_M_MIN else "volatiles"


def resource_complex(spec_mahlke=None, spec_b=None, spec_t=None, albedo=None) -> str:
    """Resource complex of an asteroid's class (a key of :data:`COMPLEXES`).

    Parameters
    ----------
    spec_mahlke : str, optional
        Mahlke et al. 2022 class (used first).
    spec_b : str, optional
        Bus / Bus-DeMeo class (used when there is no Mahlke class).
    spec_t : str, optional
        Tholen class (used when there is neither).
    albedo : float, optional
        Measured geometric albedo pV; splits an X-type into E/M/P.  Pass NaN
        or None when the albedo is only an estimate.

    Returns
    -------
    str
        ``"water"``, ``"metal"``, ``"volatiles"``, ``"construction"``,
        ``"other"`` or ``"unknown"`` (no class, or one not in any table).

    Examples
    --------
    >>> resource_complex("Ch"), resource_complex(None, "Sq"), resource_complex(None, None, "FC")
    ('water', 'construction', 'water')
    >>> resource_complex("X", albedo=0.2), resource_complex("X")
    ('metal', 'other')
    """
    m = _text(spec_mahlke)
    if m is not None:
        if m.startswith("X"):
            return _split_x(albedo)
        base = m if m in _MAHLKE else m[0]  # Mk, Me, Pe, Pk, Ek: the letter's complex
        if base in _MAHLKE:
            return _MAHLKE[base]
    b = _text(spec_b)
    if b is not None:
        if b == "X":
            return _split_x(albedo)
        stem = b[:-1] if len(b) > 1 and b.endswith("w") else b  # Sw, Qw, Sqw: weathered
        for name, pattern in _BUS:
            if pattern.match(stem):
                return name
    t = _text(spec_t)
    if t is not None:
        first = t[0].upper()
        if first == "X":
            return _split_x(albedo)
        if first in _THOLEN:
            return _THOLEN[first]
    return "unknown"


def composition(spec_mahlke=None, spec_b=None, spec_t=None, albedo=None) -> tuple[str, float]:
    """Resource complex and its score of an asteroid's spectral class.

    Arguments as :func:`resource_complex`; the score is that of
    :data:`COMPLEXES` (0.5, neutral, when the class is unknown).

    Examples
    --------
    >>> composition("B"), composition(None, "Cb"), composition("S"), composition()
    (('water', 1.0), ('water', 1.0), ('construction', 0.6), ('unknown', 0.5))
    """
    name = resource_complex(spec_mahlke, spec_b, spec_t, albedo)
    return name, COMPLEXES[name]
