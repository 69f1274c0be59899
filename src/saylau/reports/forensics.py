"""The statistical checks in every format: text, Markdown, wikitext, CSV, JSON, HTML; the fingerprint as SVG,
PNG and CSV cells.

Statistics, not findings: every rendering carries the label (`LABEL`) and, under each test, the sentence of
what it can and cannot show. One `Sheet` is built per run and every table format renders it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from html import escape
from importlib.resources import files
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from saylau.analysis.forensics import ContestForensics, ContestKind, Fingerprint, Quantity
from saylau.reports.i18n import N_, Words, words
from saylau.reports.sheet import Sheet, Table

LABEL = N_(
    "Statistics, not findings: each figure says how unusual the count is under a stated assumption, never "
    "that anything was falsified."
)
SHOWN = 20
"""Stations of the ranking shown (every flagged one is shown, however many)."""

CAN = {
    "fingerprint": N_(
        "The fingerprint can show a clean cloud with a minority of stations dragged towards high turnout and a "
        "high leader's share, as ballot stuffing leaves them; it cannot say which stations or why, and a city "
        "whose districts vote as blocs can look the same with no fraud."
    ),
    "integer": N_(
        "Whole percentages more frequent than chance can show figures written to a target; the test cannot say "
        "who wrote them, and it cannot see stuffing that adds ballots without aiming at a round figure."
    ),
    "digits": N_(
        "Uneven last digits can show numbers people chose rather than counted; the test cannot see stuffing, and "
        "with many thousands of counts a tiny harmless unevenness is significant."
    ),
    "outliers": N_(
        "The ranking shows the stations furthest from what their district and their own previous result lead one "
        "to expect, the first to check against an observer's copy; a new estate, a barracks or a hospital is out "
        "of line with no fraud, and stuffing spread over a whole district moves the district, not its stations."
    ),
}


SAMPLED = N_(
    "A count this large is read through a random sample: the tables give how many stations each test read, and "
    "the integer and last-digit tests take their p-values from the normal (large-sample) form of their null "
    "(docs/forensics.md)."
)


def _sampled(c: ContestForensics) -> bool:
    """Whether a statistic of the contest read a sample or took its null's large-sample form."""
    tests = [t for t in (c.integer_turnout, c.integer_share, c.last_digit) if t is not None]
    model = c.klimek is not None and c.klimek.eligible > c.klimek.stations
    return model or any(t.large_sample for t in tests)


def _contest(c: ContestForensics, w: Words) -> str:
    if c.contest.kind is ContestKind.LIST:
        return w("List ballot (leader: {party})", party=c.contest.leader)
    return w("District ballots (each district's leader)")


def _p(value: float, w: Words) -> str:
    return "< " + w.fmt.decimal(Fraction(1, 1000), 3) if value < 0.001 else w.fmt.decimal(value, 3)


def _pc(value: float, w: Words, places: int = 1) -> str:
    return w.fmt.percent(Fraction(value) * 100, places)


def forensics_sheet(results: Sequence[ContestForensics], lang: str = "en", figures: bool = True) -> Sheet:
    """Every contest's statistics as one document in `lang` (with the fingerprints as SVG figures for HTML)."""
    w = words(lang)
    n = w.fmt.integer
    tables: list[Table] = []
    for c in results:
        name = _contest(c, w)
        key = c.contest.kind.value
        k = c.klimek
        model_rows: list[tuple[str, ...]] = [(w("Stations in the picture"), n(c.fingerprint.stations))]
        if k is not None:
            if k.eligible > k.stations:
                model_rows.append((w("Stations the model was fitted to (a random sample)"), n(k.stations)))
            model_rows += [
                (w("Clean cloud: turnout"), f"{_pc(k.turnout_mean, w)} ± {_pc(k.turnout_sd, w)}"),
                (w("Clean cloud: leader's share"), f"{_pc(k.share_mean, w)} ± {_pc(k.share_sd, w)}"),
                (w("Estimated share of stations with incremental stuffing"), _pc(k.incremental, w)),
                (w("Estimated share of stations with extreme stuffing"), _pc(k.extreme, w)),
                (
                    w("Reading"),
                    w("like a stuffed minority (estimate at or above {flag})", flag=_pc(k.flag, w, 0))
                    if k.fraud_like
                    else w("within what clean counts give (estimate under {flag})", flag=_pc(k.flag, w, 0)),
                ),
            ]
        else:
            model_rows.append((w("Reading"), w("too few stations for the model")))
        tables.append(
            Table(
                f"{key}-fingerprint",
                w("{contest}: turnout and leader's share (Klimek et al. 2012)", contest=name),
                (w("Figure"), w("Value")),
                tuple(model_rows),
                (False, False),  # values of mixed kinds (percentages, a sentence): left, wrapping
                note=w(CAN["fingerprint"]),
            )
        )
        integer_rows = []
        for test in (c.integer_turnout, c.integer_share):
            if test is None:
                continue
            integer_rows.append(
                (
                    w("Turnout") if test.quantity is Quantity.TURNOUT else w("Leader's share"),
                    n(test.stations),
                    n(test.observed),
                    w.fmt.decimal(test.null_mean, 1),
                    f"{n(test.null_low)}–{n(test.null_high)}",
                    _p(test.p_value, w),
                )
            )
        tables.append(
            Table(
                f"{key}-integer",
                w("{contest}: whole percentages (Kobak, Shpilkin and Pshenichnikov 2016)", contest=name),
                (
                    w("Percentage"),
                    w("Stations"),
                    w("At a whole percentage"),
                    w("Expected by chance"),
                    w("95% of chance"),
                    w("p-value"),
                ),
                tuple(integer_rows),
                (False, True, True, True, True, True),
                note=w(CAN["integer"]),
                empty=w("No station has more than 100 voters behind its percentages."),
            )
        )
        d = c.last_digit
        digit_rows: tuple[tuple[str, ...], ...] = ()
        if d is not None:
            digit_rows = (
                *tuple((str(i), n(count), _pc(count / d.counts, w)) for i, count in enumerate(d.digits)),
                (w("Chi-square against honest counts; p-value"), w.fmt.decimal(d.chi_square, 2), _p(d.p_value, w)),
            )
        tables.append(
            Table(
                f"{key}-digits",
                w("{contest}: last digits of the counts (Beber and Scacco 2012)", contest=name),
                (w("Last digit"), w("Counts"), w("Share")),
                digit_rows,
                (False, True, True),
                note=w(CAN["digits"]),
                empty=w("No count of 10 or more."),
            )
        )
        o = c.outliers
        shown = () if o is None else o.shown(SHOWN)
        tables.append(
            Table(
                f"{key}-outliers",
                w("{contest}: stations out of line with their district and their previous result", contest=name),
                (
                    w("Rank"),
                    w("Polling station"),
                    w("District"),
                    w("Turnout"),
                    w("Expected"),
                    w("Leader's share"),
                    w("Expected"),
                    w("p-value"),
                    w("Flagged"),
                ),
                tuple(
                    (
                        str(i + 1),
                        str(s.station),
                        str(s.district),
                        _pc(s.turnout, w),
                        _pc(s.expected_turnout, w),
                        _pc(s.share, w),
                        _pc(s.expected_share, w),
                        _p(s.p_value, w),
                        w("yes") if s.flagged else "",
                    )
                    for i, s in shown
                ),
                (True, True, True, True, True, True, True, True, False),
                note=w(CAN["outliers"]),
                empty=w("Too few stations for the model."),
            )
        )
    notes = [
        w(
            "A station is flagged when its p-value is under {level} divided by the number of stations, so that a "
            "clean count flags any station at all at most {level} of the time.",
            level=w.fmt.decimal(0.05, 2),
        ),
        w("docs/forensics.md gives each test's false-alarm rate on clean elections and its power against stuffing."),
    ]
    if any(_sampled(c) for c in results):
        notes.append(w(SAMPLED))
    return Sheet(
        w.lang,
        w("Statistical checks of the count"),
        w(LABEL),
        tuple(notes),
        tuple(tables),
        tuple((_contest(c, w), fingerprint_svg(c.fingerprint, w.lang)) for c in results) if figures else (),
    )


def forensics_json(results: Sequence[ContestForensics]) -> dict[str, Any]:
    """Every statistic as JSON, labelled `"kind": "statistics"` (docs/forensics.md); floats rounded to 6 places."""

    def r(x: float) -> float:
        return round(x, 6)

    out = []
    for c in results:
        k, d, o = c.klimek, c.last_digit, c.outliers
        out.append(
            {
                "contest": c.contest.kind.value,
                "leader": c.contest.leader or None,
                "leaders": {str(district): leader for district, leader in sorted(c.contest.leaders.items())},
                "fingerprint": {
                    "bins": c.fingerprint.bins,
                    "stations": c.fingerprint.stations,
                    "left_out": c.fingerprint.left_out,
                    "cells": [[t, s, count] for (t, s), count in c.fingerprint.cells.items()],
                },
                "klimek": None
                if k is None
                else {
                    "incremental": r(k.incremental),
                    "extreme": r(k.extreme),
                    "stuffed": r(k.stuffed),
                    "theta": r(k.theta),
                    "alpha": None if math.isinf(k.alpha) else r(k.alpha),
                    "turnout_mean": r(k.turnout_mean),
                    "turnout_sd": r(k.turnout_sd),
                    "share_mean": r(k.share_mean),
                    "share_sd": r(k.share_sd),
                    "distance": r(k.distance),
                    "distance_clean": r(k.distance_clean),
                    "flag": r(k.flag),
                    "fraud_like": k.fraud_like,
                    "stations": k.stations,
                    "eligible": k.eligible,
                },
                "integer_percentages": [
                    {
                        "quantity": t.quantity.value,
                        "stations": t.stations,
                        "observed": t.observed,
                        "null_mean": r(t.null_mean),
                        "null_95": [t.null_low, t.null_high],
                        "p_value": r(t.p_value),
                        "resamples": t.resamples,
                        "eligible": t.eligible,
                        "large_sample": t.large_sample,
                    }
                    for t in (c.integer_turnout, c.integer_share)
                    if t is not None
                ],
                "last_digit": None
                if d is None
                else {
                    "digits": list(d.digits),
                    "expected": [r(x) for x in d.expected],
                    "chi_square": r(d.chi_square),
                    "p_value": r(d.p_value),
                    "resamples": d.resamples,
                    "eligible": d.eligible,
                    "large_sample": d.large_sample,
                },
                "outliers": None
                if o is None
                else {
                    "level": o.level,
                    "uses_previous": o.uses_previous,
                    "stations": [
                        {
                            "station": s.station,
                            "district": s.district,
                            "turnout": r(s.turnout),
                            "expected_turnout": r(s.expected_turnout),
                            "share": r(s.share),
                            "expected_share": r(s.expected_share),
                            "z_turnout": r(s.z_turnout),
                            "z_share": r(s.z_share),
                            "p_value": float(f"{s.p_value:.6g}"),
                            "flagged": s.flagged,
                        }
                        for s in o.stations
                    ],
                },
            }
        )
    return {"kind": "statistics", "label": LABEL, "contests": out}


def fingerprint_cells_csv(results: Sequence[ContestForensics]) -> str:
    """The fingerprints' data: one row per non-empty cell (contest, turnout and share from-to in %, stations)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["contest", "turnout_from", "turnout_to", "share_from", "share_to", "stations"])
    for c in results:
        f = c.fingerprint
        step = 100 // f.bins if 100 % f.bins == 0 else 100 / f.bins
        for (t, s), count in f.cells.items():
            writer.writerow([c.contest.kind.value, t * step, (t + 1) * step, s * step, (s + 1) * step, count])
    return buffer.getvalue()


# The picture: a 400 x 400 plot, turnout across and the leader's share up, one square per cell, darker where
# more stations lie (on a log scale, so single stations stay visible beside a peak of hundreds).
PLOT = 400
LEFT, TOP, BOTTOM = 56, 12, 48
WIDTH, HEIGHT = LEFT + PLOT + 12, TOP + PLOT + BOTTOM
INK = (8, 48, 107)


def _shade(count: int, peak: int) -> float:
    return 0.15 + 0.85 * math.log1p(count) / math.log1p(max(peak, 1))


def fingerprint_svg(f: Fingerprint, lang: str = "en") -> str:
    """The fingerprint as SVG, with a title and a description for assistive technology (text escaped)."""
    w = words(lang)
    size = PLOT / f.bins
    title = w("Turnout and leader's share of each polling station")
    desc = w(
        "Polling stations: {stations}. Across: turnout from 0 to 100%; up: the leader's share from 0 to 100%; darker "
        "squares hold more stations.",
        stations=w.fmt.integer(f.stations),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="fp-title fp-desc" font-family="DejaVu Sans, sans-serif" font-size="12">',
        f'<title id="fp-title">{escape(title)}</title><desc id="fp-desc">{escape(desc)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="#fff" stroke="#444"/>',
    ]
    for tick in range(0, 101, 20):
        x = LEFT + PLOT * tick / 100
        y = TOP + PLOT - PLOT * tick / 100
        parts.append(f'<line x1="{x:g}" y1="{TOP}" x2="{x:g}" y2="{TOP + PLOT}" stroke="#eee"/>')
        parts.append(f'<line x1="{LEFT}" y1="{y:g}" x2="{LEFT + PLOT}" y2="{y:g}" stroke="#eee"/>')
        parts.append(f'<text x="{x:g}" y="{TOP + PLOT + 16}" text-anchor="middle">{tick}</text>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:g}" text-anchor="end">{tick}</text>')
    r, g, b = INK
    for (t, s), count in f.cells.items():
        x, y = LEFT + t * size, TOP + PLOT - (s + 1) * size
        parts.append(
            f'<rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" fill="rgb({r},{g},{b})" '
            f'fill-opacity="{_shade(count, f.peak):.3f}"><title>{count}</title></rect>'
        )
    parts.append(
        f'<text x="{LEFT + PLOT / 2:g}" y="{HEIGHT - 8}" text-anchor="middle">{escape(w("Turnout, %"))}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {TOP + PLOT / 2:g}) rotate(-90)" text-anchor="middle">'
        + escape(w("Leader's share, %"))
        + "</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (vendored with the reports; covers Kazakh and Russian Cyrillic)."""
    with files("saylau.reports").joinpath("fonts", "DejaVuSans.ttf").open("rb") as handle:
        return ImageFont.truetype(BytesIO(handle.read()), size)


def fingerprint_png(f: Fingerprint, lang: str = "en", scale: int = 2) -> bytes:
    """The same picture as a PNG."""
    w = words(lang)
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(12 * scale)
    size = PLOT / f.bins * scale
    left, top, plot = LEFT * scale, TOP * scale, PLOT * scale
    for tick in range(0, 101, 20):
        x = left + plot * tick / 100
        y = top + plot - plot * tick / 100
        draw.line([(x, top), (x, top + plot)], fill=(238, 238, 238))
        draw.line([(left, y), (left + plot, y)], fill=(238, 238, 238))
        draw.text((x, top + plot + 4 * scale), str(tick), fill="black", font=font, anchor="ma")
        draw.text((left - 6 * scale, y), str(tick), fill="black", font=font, anchor="rm")
    for (t, s), count in f.cells.items():
        a = _shade(count, f.peak)
        colour = tuple(round(255 - a * (255 - c)) for c in INK)
        x, y = left + t * size, top + plot - (s + 1) * size
        draw.rectangle([x, y, x + size - 1, y + size - 1], fill=colour)
    draw.rectangle([left, top, left + plot, top + plot], outline=(68, 68, 68))
    draw.text((left + plot / 2, (HEIGHT - 6) * scale), w("Turnout, %"), fill="black", font=font, anchor="md")
    label = Image.new("RGB", (plot, 16 * scale), "white")
    ImageDraw.Draw(label).text((plot / 2, 8 * scale), w("Leader's share, %"), fill="black", font=font, anchor="mm")
    image.paste(label.rotate(90, expand=True), (2 * scale, top))
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
