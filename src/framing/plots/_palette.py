"""Colour-blind-safe palettes: one colour per frame, one colour per genre of a report.

The rule for genres (docs/reports.md, "Figure conventions") is one function, :func:`genre_palette`, so every
figure of a report that colours by genre gives a genre the same colour, and never a frame's colour:

1. the seed genres keep their colours (:data:`GENRE_COLORS`: minister reddish purple, blog orange, news sky
   blue) wherever they appear;
2. the other genres, in sorted order of their names, take the colours of :data:`GENRE_SEQUENCE` (the five
   Okabe-Ito colours that are not frame colours) that no seed genre of the set has taken;
3. past five genres there are no Okabe-Ito colours left: the genres still without a colour, in sorted
   order, take a grey ramp from dark to light (:func:`grey_ramp`; greys differ by lightness alone, so they stay
   distinct for colour-blind readers), never a frame colour.

The palette depends only on the *set* of genre names (not on their order or on which figure asks), so a report
built from one corpus has one genre palette.

**Printed in grey** the frame colours are hard to tell apart (vermillion and bluish green have nearly the same
luminance), so a frame series also differs by its hatch (bars, :func:`frame_hatches`), marker
(:func:`frame_markers`) and line style (:func:`frame_linestyles`): none / diagonal lines / dots, circle / square /
triangle, solid / dashed / dotted for individual / systemic / political. Three genre colours (orange, sky blue,
reddish purple) print as nearly the same grey too: a genre's bars take a hatch and its points a marker by its
colour (:func:`genre_hatches`, :func:`genre_markers`), none of them a frame's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "FRAME_COLORS",
    "FRAME_HATCHES",
    "FRAME_LINESTYLES",
    "FRAME_MARKERS",
    "GENRE_COLORS",
    "GENRE_HATCHES",
    "GENRE_HATCH_COLOR",
    "GENRE_MARKERS",
    "GENRE_SEQUENCE",
    "GREY_RAMP_RANGE",
    "HATCH_COLOR",
    "HATCH_SEQUENCE",
    "LINESTYLE_SEQUENCE",
    "MARKER_SEQUENCE",
    "OKABE_ITO",
    "category_palette",
    "frame_hatches",
    "frame_linestyles",
    "frame_markers",
    "genre_color",
    "genre_hatches",
    "genre_markers",
    "genre_palette",
    "grey_ramp",
]

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
"""The Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008)."""

FRAME_COLORS: dict[str, str] = {
    "individual": OKABE_ITO["vermillion"],
    "systemic": OKABE_ITO["blue"],
    "political": OKABE_ITO["bluish_green"],
}
"""One colour per blame frame (keys are :data:`framing.types.FRAMES`)."""

FRAME_HATCHES: dict[str, str] = {"individual": "", "systemic": "///", "political": "..."}
"""One hatch per blame frame, drawn in :data:`HATCH_COLOR` over the frame's colour on every bar of a frame series:
printed in grey, vermillion (individual, relative luminance 0.22) and bluish green (political, 0.26) are nearly
the same grey, so the series differ by their hatch (none, diagonal lines, dots)."""

FRAME_MARKERS: dict[str, str] = {"individual": "o", "systemic": "s", "political": "^"}
"""One marker per blame frame for line and point series (circle, square, triangle)."""

FRAME_LINESTYLES: dict[str, str] = {"individual": "solid", "systemic": "dashed", "political": "dotted"}
"""One line style per blame frame for line series."""

HATCH_SEQUENCE: tuple[str, ...] = ("", "///", "...", "\\\\\\", "xxx", "---", "+++", "ooo")
MARKER_SEQUENCE: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLE_SEQUENCE: tuple[str, ...] = ("solid", "dashed", "dotted", "dashdot")
"""The hatches, markers and line styles frames other than the study's three take, in order, where not taken."""

GENRE_HATCHES: dict[str, str] = {OKABE_ITO["sky_blue"]: "xx", OKABE_ITO["reddish_purple"]: "\\\\"}
"""The hatch of a genre's bars, by its colour (:func:`genre_hatches`): orange, sky blue and reddish purple print as
nearly the same grey (relative luminance 0.42, 0.41, 0.29), so sky blue bars are cross-hatched and reddish purple
ones back-hatched (``\\``), in :data:`GENRE_HATCH_COLOR`; orange, yellow, black and the greys differ in lightness
and keep plain bars. None is a frame's hatch."""

GENRE_MARKERS: dict[str, str] = {OKABE_ITO["orange"]: "o", OKABE_ITO["sky_blue"]: "s",
                                 OKABE_ITO["reddish_purple"]: "D", OKABE_ITO["yellow"]: "^", OKABE_ITO["black"]: "v"}
"""The marker of a genre's points, by its colour (greys: ``o``, they differ in lightness)."""

GENRE_HATCH_COLOR = "black"
"""Colour of the hatch lines over a genre's colour (the hatched colours are light: black shows best)."""

HATCH_COLOR = "white"
"""Colour of the hatch lines over a frame's colour (visible on all three frame colours, in colour and in grey)."""

GENRE_COLORS: dict[str, str] = {
    "minister": OKABE_ITO["reddish_purple"],
    "blog": OKABE_ITO["orange"],
    "news": OKABE_ITO["sky_blue"],
}
"""One colour per seed genre (keys are :data:`framing.types.GENRES`)."""

GENRE_SEQUENCE: tuple[str, ...] = (
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
"""The genre colours, in the order genres take them: Okabe-Ito without the three frame colours."""

GREY_RAMP_RANGE: tuple[float, float] = (0.3, 0.75)
"""Lightness (0 black, 1 white) of the darkest and lightest grey given to genres past the fifth."""


def grey_ramp(n: int) -> list[str]:
    """Return ``n`` greys evenly spaced in lightness over :data:`GREY_RAMP_RANGE`, dark to light.

    One grey is the middle of the range. Each grey is ``#RRGGBB`` with ``RR = round(255 * lightness)``.

    Examples
    --------
    >>> grey_ramp(2)
    ['#4C4C4C', '#BFBFBF']
    """
    lo, hi = GREY_RAMP_RANGE
    if n <= 0:
        return []
    steps = [(lo + hi) / 2] if n == 1 else [lo + (hi - lo) * i / (n - 1) for i in range(n)]
    return ["#{0:02X}{0:02X}{0:02X}".format(round(255 * v)) for v in steps]


def _seed_key(name: str) -> str:
    return str(name).strip().lower()


def genre_palette(names: Iterable[str]) -> dict[str, str]:
    """Return ``{genre: colour}`` for the set of genres ``names``, by the rule of this module's docstring.

    Parameters
    ----------
    names : iterable of str
        The genres of the report (duplicates and order do not matter; pass every genre of the corpus, not
        only those one figure shows, so that all figures agree).

    Returns
    -------
    dict
        One colour per distinct name, keys in sorted order; no colour is a :data:`FRAME_COLORS` value.

    Examples
    --------
    >>> genre_palette(["news", "tabloid", "blog"])
    {'blog': '#E69F00', 'news': '#56B4E9', 'tabloid': '#CC79A7'}
    """
    unique = sorted({str(n) for n in names})
    palette: dict[str, str] = {}
    for name in unique:
        seed = GENRE_COLORS.get(_seed_key(name))
        if seed is not None and seed not in palette.values():
            palette[name] = seed
    free = [c for c in GENRE_SEQUENCE if c not in palette.values()]
    rest = [name for name in unique if name not in palette]
    greys = grey_ramp(max(0, len(rest) - len(free)))
    palette.update(zip(rest, free + greys, strict=False))
    return {name: palette[name] for name in unique}


def genre_color(name: str, genres: Iterable[str] | None = None) -> str:
    """Return the colour of genre ``name`` in the palette of ``genres`` (:func:`genre_palette`).

    Without ``genres`` the palette is that of ``name`` alone (a seed genre keeps its colour, any other genre
    gets orange): pass the report's genres whenever more than one genre is drawn.
    """
    pool = [str(name), *(str(g) for g in genres)] if genres is not None else [str(name)]
    return genre_palette(pool)[str(name)]


def category_palette(names: Iterable[str]) -> dict[str, str]:
    """Return ``{name: colour}`` for categories that are neither frames nor genres (blamers, measures ...).

    In the order given (first occurrence), the colours of :data:`GENRE_SEQUENCE` (Okabe-Ito without the frame
    colours), then :func:`grey_ramp` for the rest: never a :data:`FRAME_COLORS` value, since the frame colours
    mean frames wherever they appear.

    Examples
    --------
    >>> category_palette(["author", "government"])
    {'author': '#E69F00', 'government': '#56B4E9'}
    """
    unique = list(dict.fromkeys(str(n) for n in names))
    colours = [*GENRE_SEQUENCE, *grey_ramp(max(0, len(unique) - len(GENRE_SEQUENCE)))]
    return dict(zip(unique, colours, strict=False))


def _styles(frames: Iterable[str], own: dict[str, str], sequence: tuple[str, ...]) -> dict[str, str]:
    """Per frame: its own style where it has one, else the next of ``sequence`` no frame of the set has taken."""
    unique = list(dict.fromkeys(str(f) for f in frames))
    taken = {own[f] for f in unique if f in own}
    free = [x for x in sequence if x not in taken]
    out: dict[str, str] = {}
    for f in unique:
        out[f] = own[f] if f in own else free.pop(0) if free else sequence[len(out) % len(sequence)]
    return out


def frame_hatches(frames: Iterable[str]) -> dict[str, str]:
    """Return ``{frame: hatch}``: :data:`FRAME_HATCHES`, other frames the free :data:`HATCH_SEQUENCE` in order.

    Examples
    --------
    >>> frame_hatches(["individual", "economic", "systemic"])
    {'individual': '', 'economic': '...', 'systemic': '///'}
    """
    return _styles(frames, FRAME_HATCHES, HATCH_SEQUENCE)


def frame_markers(frames: Iterable[str]) -> dict[str, str]:
    """Return ``{frame: marker}``: :data:`FRAME_MARKERS`, other frames the free :data:`MARKER_SEQUENCE` in order."""
    return _styles(frames, FRAME_MARKERS, MARKER_SEQUENCE)


def frame_linestyles(frames: Iterable[str]) -> dict[str, str]:
    """Return ``{frame: line style}``: :data:`FRAME_LINESTYLES`, other frames :data:`LINESTYLE_SEQUENCE`."""
    return _styles(frames, FRAME_LINESTYLES, LINESTYLE_SEQUENCE)


def genre_hatches(palette: Mapping[str, str]) -> dict[str, str]:
    """Return ``{genre: hatch}`` for a genre palette ``{genre: colour}`` (:data:`GENRE_HATCHES`; ``""``: plain).

    Examples
    --------
    >>> genre_hatches(genre_palette(["blog", "news"]))
    {'blog': '', 'news': 'xx'}
    """
    return {g: GENRE_HATCHES.get(str(c).upper(), "") for g, c in palette.items()}


def genre_markers(palette: Mapping[str, str]) -> dict[str, str]:
    """Return ``{genre: marker}`` for a genre palette ``{genre: colour}`` (:data:`GENRE_MARKERS`, else ``o``)."""
    return {g: GENRE_MARKERS.get(str(c).upper(), "o") for g, c in palette.items()}
