"""What the pages say, decided without HTTP: labels, waiting times in words, the
waiting-time chart, and links that keep the visitor's filters.

Texts are Dutch (the source language) and marked with `N_` or passed through the page's
translations, so the English catalogue can carry them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations

from directory.catalogue.rules import counts_in_groepen
from web.pages.i18n import N_

KIND_LABELS = {
    "special_education": N_("Speciaal onderwijs"),
    "day_programme": N_("Dagprogramma"),
    "youth_care": N_("Jeugdhulp"),
}
STATUS_LABELS = {
    "open": N_("Plaats vrij"),
    "waitlist": N_("Wachtlijst"),
    "closed": N_("Aanmelden kan nu niet"),
    "assessment_required": N_("Eerst een onderzoek nodig"),
    "unknown": N_("Onbekend"),
}
# The Utrecht status badge colour per status.
STATUS_TONES = {
    "open": "safe",
    "waitlist": "warning",
    "closed": "danger",
    "assessment_required": "neutral",
    "unknown": "neutral",
}
SCHOOL_TYPE_LABELS = {
    "so": N_("SO (speciaal onderwijs, basisschoolleeftijd)"),
    "vso": N_("VSO (voortgezet speciaal onderwijs)"),
    "sbo": N_("SBO (speciaal basisonderwijs)"),
}
DAY_PROGRAMME_LABELS = {
    "onderwijszorgarrangement": N_("Onderwijszorgarrangement"),
    "onderwijsgericht_dagprogramma": N_("Onderwijsgericht dagprogramma"),
    "ontwikkelgericht_dagprogramma": N_("Ontwikkelgericht dagprogramma"),
    "dagbesteding": N_("Dagbesteding"),
    "bso_plus": N_("BSO+ (buitenschoolse opvang met extra hulp)"),
    "overbruggingszorg": N_("Overbruggingszorg (hulp tijdens het wachten)"),
    "behandel_onderwijsgroep": N_("Behandel- en onderwijsgroep"),
    "opdc": N_("OPDC (tijdelijke schoolplek in het voortgezet onderwijs)"),
}
# What each special-education cluster is for, in a parent's words (DOMAIN.md).
CLUSTER_LABELS = {
    1: N_("blind of slechtziend"),
    2: N_(
        "doof, slechthorend, taalontwikkelingsstoornis (TOS), of autisme met problemen in taal "
        "en communicatie"
    ),
    3: N_(
        "zeer moeilijk lerend, lichamelijke of verstandelijke beperking, langdurig lichamelijk ziek"
    ),
    4: N_("ernstige gedragsproblemen of een psychiatrische stoornis"),
}
EXIT_PROFILE_LABELS = {
    "vervolgonderwijs": N_("Vervolgonderwijs"),
    "arbeidsmarkt": N_("Arbeidsmarkt"),
    "dagbesteding": N_("Dagbesteding"),
}
# The iJw category names of the reference data (JZ020), so the catalogue can translate
# them; the names themselves come from the database.
IJW_CATEGORY_NAMES = (
    N_("Persoonlijke verzorging"),
    N_("Dagbehandeling"),
    N_("Vervoerdiensten"),
    N_("Jeugdhulp verblijf (incl. behandeling)"),
    N_("Jeugdhulp verblijf (excl. behandeling)"),
    N_("Jeugdhulp ambulant"),
    N_("Jeugdhulp crisis"),
    N_("Jeugdreclassering"),
    N_("Jeugdbescherming"),
    N_("Activiteiten in het preventief justitieel kader"),
    N_("Maatwerkarrangementen jeugd"),
    N_("Generalistische basis-ggz"),
    N_("Specialistische ggz"),
    N_("Kindergeneeskunde"),
    N_("Jeugd-ggz"),
    N_("Landelijk ingekochte zorg"),
)
SORT_LABELS = {
    "relevance": N_("Beste match"),
    "wait": N_("Kortste wachttijd"),
    "distance": N_("Dichtstbij"),
    "updated": N_("Laatst bijgewerkt"),
}
# The tariff units providers publish (providers.schemas), as a price says them.
TARIFF_UNITS = {
    "hour": N_("uur"),
    "day": N_("dag"),
    "week": N_("week"),
    "month": N_("maand"),
    "year": N_("jaar"),
    "session": N_("sessie"),
}
TLV_LABELS = {"laag": N_("laag"), "midden": N_("midden"), "hoog": N_("hoog")}
# Dates on the pages are days in the Netherlands, whatever the server's time zone.
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
# Up to this many weeks a wait is said in weeks; longer in months.
WEEKS_SAID_AS_WEEKS = 12
WEEKS_PER_MONTH = 52 / 12


def wait_words(weeks: int | None, t: NullTranslations) -> str:
    """A total wait as a parent would say it: "geen wachttijd", "3 weken", "ongeveer 5
    maanden", or "onbekend"."""
    if weeks is None:
        return t.gettext("onbekend")
    if weeks == 0:
        return t.gettext("geen wachttijd")
    if weeks <= WEEKS_SAID_AS_WEEKS:
        return t.ngettext("%(n)d week", "%(n)d weken", weeks) % {"n": weeks}
    months = round(weeks / WEEKS_PER_MONTH)
    return t.ngettext("ongeveer %(n)d maand", "ongeveer %(n)d maanden", months) % {"n": months}


# Primary-age schools (SO, SBO) count in groepen, secondary ones (VSO) in leerjaren; an
# offer of another kind that lists leerjaren is said in leerjaren.
LEERJAAR_LABELS = {
    # (groep?, how many): the words for one, two or a run of groepen or leerjaren.
    (True, 1): N_("groep %(first)s"),
    (True, 2): N_("groep %(first)s en %(last)s"),
    (True, 3): N_("groep %(first)s tot en met %(last)s"),
    (False, 1): N_("leerjaar %(first)s"),
    (False, 2): N_("leerjaar %(first)s en %(last)s"),
    (False, 3): N_("leerjaar %(first)s tot en met %(last)s"),
}
OTHER_LEERJAREN = {True: N_("de andere groepen"), False: N_("de andere leerjaren")}
VARIES_LABELS = {True: N_("Verschilt per groep"), False: N_("Verschilt per leerjaar")}


def leerjaar_words(
    first: int | None, school_type: str | None, t: NullTranslations, last: int | None = None
) -> str:
    """ "groep 3", "groep 1 en 2", "leerjaar 3 tot en met 6", or (None) "de andere
    groepen": the words for one groep or leerjaar, or a run of them, of this school type."""
    groep = counts_in_groepen(school_type)
    if first is None:
        return t.gettext(OTHER_LEERJAREN[groep])
    last = first if last is None else last
    size = min(last - first + 1, 3)
    return t.gettext(LEERJAAR_LABELS[(groep, size)]) % {"first": first, "last": last}


class LeerjaarFigureShown(Protocol):
    """One leerjaar's figure as judged for showing (`search.query.LeerjaarHit`)."""

    @property
    def leerjaar(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def open_places(self) -> int | None: ...
    @property
    def total_wait_weeks(self) -> int | None: ...
    @property
    def stale(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class JudgedLeerjaar:
    """A leerjaar's figure judged for showing, where no search hit holds it (the offer
    page); `leerjaar` None stands for the offer's other leerjaren."""

    leerjaar: int | None
    status: str
    open_places: int | None
    total_wait_weeks: int | None
    stale: bool


@dataclass(frozen=True, slots=True)
class LeerjaarLine:
    """One line of a breakdown: which groepen or leerjaren, and what holds for them."""

    label: str  # "groep 1 en 2"
    status: str  # a status key of STATUS_LABELS
    wait: str  # the wait in words, or "" when there is none to say


@dataclass(frozen=True, slots=True)
class LeerjaarBreakdown:
    """What a card or an offer page says of an offer whose leerjaren differ: that it
    varies, the longest known wait, and each run of leerjaren alike."""

    label: str  # "Verschilt per groep"
    longest: int | None  # the longest known wait in weeks
    lines: list[LeerjaarLine]


def leerjaar_breakdown(
    figures: Sequence[LeerjaarFigureShown], school_type: str | None, t: NullTranslations
) -> LeerjaarBreakdown | None:
    """The breakdown of `figures` (each leerjaar's, judged), runs of neighbouring leerjaren
    that say the same put together; None when there is nothing to break down. A wait of 0
    is not said: the status says it, and "geen wachttijd" must never read as the offer's."""
    if not figures:
        return None
    runs: list[tuple[LeerjaarFigureShown, int | None]] = []
    for figure in figures:
        if runs:
            start, last = runs[-1]
            alike = _said(start) == _said(figure)
            if alike and last is not None and figure.leerjaar == last + 1:
                runs[-1] = (start, figure.leerjaar)
                continue
        runs.append((figure, figure.leerjaar))
    waits = [figure.total_wait_weeks for figure in figures if figure.total_wait_weeks is not None]
    return LeerjaarBreakdown(
        label=t.gettext(VARIES_LABELS[counts_in_groepen(school_type)]),
        longest=max(waits) if waits else None,
        lines=[
            LeerjaarLine(
                label=leerjaar_words(start.leerjaar, school_type, t, last),
                status=start.status,
                wait=wait_words(start.total_wait_weeks, t) if start.total_wait_weeks else "",
            )
            for start, last in runs
        ],
    )


def _said(figure: LeerjaarFigureShown) -> tuple[object, ...]:
    return (figure.status, figure.total_wait_weeks, bool(figure.open_places), figure.stale)


def day_words(moment: date | None, lang: str) -> str:
    """A day as words in the page's language ("2 maart 2026"), the day it is in the
    Netherlands at that moment; empty when missing."""
    if moment is None:
        return ""
    day = moment.astimezone(DUTCH_TIME).date() if isinstance(moment, datetime) else moment
    return format_date(day, format="long", locale=lang)


def number_words(value: float | Decimal, lang: str) -> str:
    """A number with the page language's decimal sign ("12,5" in Dutch), and a whole
    number without decimals ("12", also for a stored 12.0)."""
    return format_decimal(value, locale=lang)


def category_words(key: str, ijw_names: dict[int, str], t: NullTranslations) -> str:
    """A signal's category ("ijw:45", "education:cluster-3:so", "day_programme:opdc") as
    words."""
    family, _, rest = key.partition(":")
    if family == "ijw" and rest.isdigit():
        return t.gettext(ijw_names.get(int(rest), "Jeugdhulp"))
    if family == "day_programme":
        return t.gettext(DAY_PROGRAMME_LABELS.get(rest, KIND_LABELS["day_programme"]))
    if family == "education":
        *cluster, school_type = rest.split(":")
        words = t.gettext(SCHOOL_TYPE_LABELS.get(school_type, KIND_LABELS["special_education"]))
        if cluster and cluster[0].startswith("cluster-"):
            number = cluster[0].removeprefix("cluster-")
            words += ", " + t.gettext("cluster %(n)s") % {"n": number}
        return words
    return key


def query_string(params: Iterable[tuple[str, str]], **changes: str | None) -> str:
    """The visitor's query with some parameters replaced (None removes one), for links to
    another page, sort or language that keep every filter."""
    kept = [(name, value) for name, value in params if name not in changes and value != ""]
    kept += [(name, value) for name, value in changes.items() if value is not None]
    return urlencode(kept)


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links to show: the first, the last and `around` on each side of the
    current one; None where pages are skipped."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)} - {0})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    weeks: int
    label: str  # the date, in words


@dataclass(frozen=True, slots=True)
class WaitChart:
    """A small line chart of the total wait over time, as SVG coordinates."""

    width: int
    height: int
    points: list[ChartPoint]
    top_weeks: int  # the value of the top grid line

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


def wait_chart(
    history: Sequence[tuple[datetime, int | None]],
    lang: str,
    *,
    width: int = 320,
    height: int = 120,
    pad: int = 8,
) -> WaitChart | None:
    """The chart of measured total waits, oldest first; None with fewer than two known."""
    known = [(moment, weeks) for moment, weeks in history if weeks is not None]
    if len(known) < 2:
        return None
    first, last = known[0][0], known[-1][0]
    span = (last - first).total_seconds() or 1.0
    top = max(4, *(weeks for _, weeks in known))
    top = -(-top // 4) * 4  # a round number of weeks for the top line
    points = [
        ChartPoint(
            x=pad + (width - 2 * pad) * (moment - first).total_seconds() / span,
            y=pad + (height - 2 * pad) * (1 - weeks / top),
            weeks=weeks,
            label=day_words(moment, lang),
        )
        for moment, weeks in known
    ]
    return WaitChart(width=width, height=height, points=points, top_weeks=top)
