"""What the pages say, decided without HTTP: labels, waiting times in words, the
waiting-time chart, and links that keep the visitor's filters.

Texts are Dutch (the source language) and marked with `N_` or passed through the page's
translations, so the English catalogue can carry them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations

from web.pages.i18n import N_

KIND_LABELS = {
    "special_education": N_("Speciaal onderwijs"),
    "day_programme": N_("Dagprogramma"),
    "youth_care": N_("Jeugdhulp"),
}
STATUS_LABELS = {
    "open": N_("Plaats vrij"),
    "waitlist": N_("Wachtlijst"),
    "closed": N_("Geen aanmeldingen"),
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
    "opdc": N_("OPDC (tijdelijke plek naast school)"),
}
# What each special-education cluster is for, in a parent's words (DOMAIN.md).
CLUSTER_LABELS = {
    1: N_("blind of slechtziend"),
    2: N_("doof, slechthorend, taalontwikkelingsstoornis (TOS) of autisme met een taalvraag"),
    3: N_("zeer moeilijk lerend, lichamelijke of verstandelijke beperking, langdurig ziek"),
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


def day_words(moment: date | None, lang: str) -> str:
    """A day as words in the page's language ("2 maart 2026"), the day it is in the
    Netherlands at that moment; empty when missing."""
    if moment is None:
        return ""
    day = moment.astimezone(DUTCH_TIME).date() if isinstance(moment, datetime) else moment
    return format_date(day, format="long", locale=lang)


def number_words(value: float, lang: str) -> str:
    """A number with the page language's decimal sign ("1,2" in Dutch)."""
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
