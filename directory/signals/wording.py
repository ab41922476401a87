"""What a signal says, in Dutch (B1) and English: a shortage (the PGB route, an education
gap, a care gap a PGB cannot fill), a task for the municipality (figures unknown, nothing
contracted), the route a family takes, the norm and where it comes from, and what a PGB
pays of an alternative.

The wording is careful on purpose. The PGB route *may* apply (Jeugdwet art. 8.1.1); it is
never promised. Lid 2b: the parents state, with reasons, that the contracted care is not
passend for their child; the municipality judges whether that is reasoned. Lid 4a: the
municipality may refuse a PGB *for the part* that costs more than the care in kind.
`directory.signals.rules.Evaluation.text`, the notification e-mails, the pages and the
public signals API take their texts from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from babel.numbers import format_currency

from directory.catalogue.rules import counts_in_groepen
from directory.signals.policy import CRISIS_CATEGORY, is_school_category, policy_for
from directory.signals.tariffs import PgbTariff, normal_unit, pgb_cost

Language = Literal["nl", "en"]
Texts = dict[Language, str]

PGB_ROUTE_TEXT: Texts = {
    "nl": (
        "Volgens de gepubliceerde cijfers kan geen gecontracteerde aanbieder (zorg in natura) "
        "binnen de wachttijdnorm starten. Dan kan de pgb-route van toepassing zijn "
        "(artikel 8.1.1 Jeugdwet). Dit is geen toezegging. Voor een pgb leggen ouders uit "
        "waarom de gecontracteerde zorg voor hun kind niet passend is. De gemeente beoordeelt "
        "of die uitleg goed onderbouwd is, of het pgb beheerd kan worden en of de gekozen "
        "zorg van goede kwaliteit is."
    ),
    "en": (
        "According to the published figures, no contracted provider (zorg in natura) can "
        "start within the waiting-time norm. The PGB route may then apply (article 8.1.1 "
        "Jeugdwet). This is not a promise. For a PGB, the parents explain why the contracted "
        "care is not suitable for their child. The municipality judges whether that "
        "explanation is well reasoned, whether the budget can be managed and whether the "
        "chosen care is of good quality."
    ),
}
CARE_PART_TEXT: Texts = {
    "nl": "Een pgb kan hier alleen het zorgdeel betalen, niet het onderwijs.",
    "en": "A PGB can pay only for the care part here, not for the education.",
}
EDUCATION_GAP_TEXT: Texts = {
    "nl": (
        "Volgens de gepubliceerde cijfers kan geen school in deze categorie binnen de norm een "
        "leerling plaatsen{where}. Voor onderwijs bestaat geen pgb. Een school moet binnen "
        "6 weken over een aanmelding beslissen (één keer te verlengen met 4 weken). De school "
        "waar het kind is ingeschreven, houdt zorgplicht zolang het kind wacht."
    ),
    "en": (
        "According to the published figures, no school in this category can place a pupil "
        "within the norm{where}. There is no PGB for education. A school must decide on an "
        "application within 6 weeks (once extendable by 4 weeks). The school where the child "
        "is enrolled keeps its duty of care (zorgplicht) while the child waits."
    ),
}
# Primary-age schools (SO, SBO) count in groepen, secondary ones (VSO) in leerjaren.
GROEP_WORDS: Texts = {"nl": "groep", "en": "group"}
LEERJAAR_WORDS: Texts = {"nl": "leerjaar", "en": "year"}
AND_WORDS: Texts = {"nl": "en", "en": "and"}
# Who decides on admission: for clusters 1 and 2 the institution, not the SWV.
INSTITUTION_ROUTE_TEXT: Texts = {
    "nl": (
        "Over toelating tot cluster 1 of 2 beslist de Commissie van Onderzoek van de "
        "instelling (bijvoorbeeld Visio, Bartiméus, Kentalis of Auris). Het "
        "samenwerkingsverband heeft daarin geen rol."
    ),
    "en": (
        "Admission to cluster 1 or 2 is decided by the institution's Commissie van Onderzoek "
        "(for example Visio, Bartiméus, Kentalis or Auris). The samenwerkingsverband has no "
        "role in it."
    ),
}
SWV_ROUTE_TEXT: Texts = {
    "nl": (
        "Neem contact op met het samenwerkingsverband passend onderwijs of met een "
        "onderwijsconsulent. Een toelaatbaarheidsverklaring (TLV) vraagt de school aan waar "
        "het kind is ingeschreven of aangemeld."
    ),
    "en": (
        "Contact the samenwerkingsverband passend onderwijs or an onderwijsconsulent. "
        "A toelaatbaarheidsverklaring (TLV) is requested by the school where the child is "
        "enrolled or has applied."
    ),
}
OPDC_TEXT: Texts = {
    "nl": (
        "Een OPDC is een tijdelijke plek in het voortgezet onderwijs, betaald door het "
        "samenwerkingsverband. Neem contact op met het samenwerkingsverband of met een "
        "onderwijsconsulent."
    ),
    "en": (
        "An OPDC is a temporary place in secondary education, paid for by the "
        "samenwerkingsverband. Contact the samenwerkingsverband or an "
        "onderwijsconsulent."
    ),
}
# The samenwerkingsverband(en) covering the municipality, by name (their names often hold
# parentheses of their own, so they stand in a sentence of their own).
NAMED_SWV_TEXT: Texts = {
    "nl": "Het samenwerkingsverband voor deze gemeente: {names}.",
    "en": "The samenwerkingsverband for this municipality: {names}.",
}
# How care starts (Jeugdwet art. 2.6 lid 1 onder g): through the municipality (the wijkteam,
# a beschikking) or with a referral by a GP, jeugdarts or medical specialist, which needs no
# beschikking. A PGB is always granted by the municipality.
CARE_ROUTE_TEXT: Texts = {
    "nl": (
        "Hulp begint via het wijkteam of de gemeente, of met een verwijzing van de huisarts, "
        "jeugdarts of medisch specialist; met zo'n verwijzing is geen besluit van de "
        "gemeente nodig. Een pgb vraagt u altijd aan bij de gemeente."
    ),
    "en": (
        "Help starts through the wijkteam or the municipality, or with a referral from a GP, "
        "youth doctor (jeugdarts) or medical specialist; such a referral needs no decision "
        "by the municipality. A PGB is always requested from the municipality."
    ),
}
CRISIS_GAP_TEXT: Texts = {
    "nl": (
        "Crisishulp moet binnen 24 uur kunnen starten. Volgens de gepubliceerde cijfers kan "
        "geen gecontracteerde aanbieder dat nu. Een pgb is voor crisishulp geen route: de "
        "gemeente moet zorgen dat er crisishulp is (artikel 2.6 Jeugdwet)."
    ),
    "en": (
        "Crisis care must be able to start within 24 hours. According to the published "
        "figures, no contracted provider can do so now. A PGB is no route to crisis care: "
        "the municipality must make sure crisis care is available (article 2.6 Jeugdwet)."
    ),
}
CARE_GAP_TEXT: Texts = {
    "nl": (
        "Volgens de gepubliceerde cijfers kan geen gecontracteerde aanbieder binnen de "
        "wachttijdnorm starten. Een pgb is voor deze hulp geen route: de gemeente moet zorgen "
        "dat er genoeg van deze hulp is (artikel 2.6 Jeugdwet)."
    ),
    "en": (
        "According to the published figures, no contracted provider can start within the "
        "waiting-time norm. A PGB is no route to this help: the municipality must make sure "
        "there is enough of it (article 2.6 Jeugdwet)."
    ),
}
FIGURES_UNKNOWN_TEXT: Texts = {
    "nl": (
        "Van een of meer gecontracteerde aanbieders zijn geen actuele cijfers. Daarom is niet "
        "bekend of er binnen de norm een plek is. Dit is geen tekort en geen grond voor de "
        "pgb-route. Taak voor de gemeente: vraag deze aanbieders hun cijfers bij te werken."
    ),
    "en": (
        "One or more contracted providers have no current figures, so it is not known "
        "whether there is a place within the norm. This is not a shortage and no ground for "
        "the PGB route. Task for the municipality: ask these providers to update their "
        "figures."
    ),
}
NO_CONTRACT_TEXT: Texts = {
    "nl": (
        "De gemeente heeft in deze categorie geen aanbod meer gecontracteerd, terwijl er "
        "eerder een tekort was of de cijfers ontbraken. Taak voor de gemeente: zorg voor "
        "passend aanbod (artikel 2.6 Jeugdwet)."
    ),
    "en": (
        "The municipality no longer has a contracted offer in this category, although there "
        "was a shortage or missing figures before. Task for the municipality: make sure "
        "suitable care is available (article 2.6 Jeugdwet)."
    ),
}
# What a PGB pays of an alternative (`tariffs.PgbCost`), lid 4 onder a: the municipality
# may refuse the part that costs more than the care in kind; it pays up to its PGB tariff.
PGB_TARIFF_UNKNOWN_TEXT: Texts = {
    "nl": (
        "De gemeente heeft in Plekwijzer nog geen pgb-tarief voor deze hulp opgegeven. Daarom "
        "is niet te zeggen hoeveel een pgb van dit aanbod betaalt."
    ),
    "en": (
        "The municipality has not yet entered a PGB rate for this help in Plekwijzer, so it "
        "cannot be said how much of this offer a PGB pays."
    ),
}
PGB_TARIFF_FITS_TEXT: Texts = {
    "nl": "Dit aanbod kost {price}: niet meer dan het pgb-tarief van de gemeente ({rate}).",
    "en": "This offer costs {price}: no more than the municipality's PGB rate ({rate}).",
}
PGB_TARIFF_ABOVE_TEXT: Texts = {
    "nl": (
        "Dit aanbod kost {price}. Het pgb-tarief van de gemeente is {rate}. De gemeente mag "
        "weigeren het deel te betalen dat duurder is dan de zorg in natura (artikel 8.1.1 "
        "lid 4 onder a Jeugdwet). Het verschil, {difference}, betaalt u dan zelf, tenzij de "
        "aanbieder zijn prijs verlaagt."
    ),
    "en": (
        "This offer costs {price}. The municipality's PGB rate is {rate}. The municipality "
        "may refuse to pay the part that costs more than the care in kind (article 8.1.1 "
        "paragraph 4 under a Jeugdwet). You then pay the difference, {difference}, yourself, "
        "unless the provider lowers its price."
    ),
}
UNIT_WORDS: dict[str, Texts] = {
    "hour": {"nl": "uur", "en": "hour"},
    "day": {"nl": "dag", "en": "day"},
    "week": {"nl": "week", "en": "week"},
    "month": {"nl": "maand", "en": "month"},
    "year": {"nl": "jaar", "en": "year"},
    "session": {"nl": "sessie", "en": "session"},
}
NORM_SOURCE_TEXT: dict[str, Texts] = {
    "default": {
        "nl": (
            "landelijke standaard van Plekwijzer: de Treeknorm, 4 weken tot de intake en "
            "10 weken tot de start. Dit is een norm uit de ggz voor volwassenen; voor "
            "jeugdhulp bestaat geen wettelijke norm."
        ),
        "en": (
            "Plekwijzer's national default: the Treeknorm, 4 weeks to the intake and 10 weeks "
            "to the start. It comes from adult mental health care; youth care has no legal "
            "norm."
        ),
    },
    "crisis": {
        "nl": "crisishulp: starten binnen 24 uur.",
        "en": "crisis care: a start within 24 hours.",
    },
    "reference:thuiszitterspact": {
        "nl": (
            "referentie, geen wet: geen kind langer dan 3 maanden zonder onderwijs "
            "(Thuiszitterspact, 2016). Voor een schoolplaats bestaat geen wettelijke "
            "wachttijdnorm."
        ),
        "en": (
            "a reference, not a law: no child more than 3 months without education "
            "(Thuiszitterspact, 2016). There is no legal waiting norm for a school place."
        ),
    },
}
LEVEL_TEXT: dict[str, Texts] = {
    "municipality": {"nl": "norm van de gemeente", "en": "the municipality's norm"},
    "jeugdregio": {"nl": "norm van de jeugdregio", "en": "the youth-care region's norm"},
    "national": {"nl": "landelijke norm voor deze categorie", "en": "national category norm"},
}


def norm_source_text(source: str, language: Language = "nl") -> str:
    """Whose norm it is, in words (`Norm.source`: "default", "crisis", a reference, or
    "<level>:<code>" for a configured norm)."""
    if source in NORM_SOURCE_TEXT:
        return NORM_SOURCE_TEXT[source][language]
    level, _, code = source.partition(":")
    if level in LEVEL_TEXT:
        named = f" ({code})" if level != "national" else ""
        return f"{LEVEL_TEXT[level][language]}{named}."
    return source


def signal_text(
    kind: str,
    category: str,
    language: Language = "nl",
    swv_names: Sequence[str] = (),
    leerjaren: Sequence[int] = (),
) -> str:
    """The public wording of a signal of `kind` in `category` (a `rules.SignalKind`);
    `swv_names` names the samenwerkingsverband(en) of the municipality for a school route
    (`directory.signals.reading.route_swvs`), `leerjaren` the groepen or leerjaren a school
    shortage is in (`Signal.leerjaren`)."""
    if kind == "figures_unknown":
        return FIGURES_UNKNOWN_TEXT[language]
    if kind == "no_contract":
        return NO_CONTRACT_TEXT[language]
    policy = policy_for(category)
    named = (
        " " + NAMED_SWV_TEXT[language].format(names=_listed(list(swv_names), language))
        if swv_names
        else ""
    )
    if kind == "care_gap":
        if category == CRISIS_CATEGORY:
            return CRISIS_GAP_TEXT[language]
        return f"{CARE_GAP_TEXT[language]} {CARE_ROUTE_TEXT[language]}"
    if kind == "education_gap":
        if not is_school_category(category):  # OPDC: a school place beside school
            route = OPDC_TEXT[language] + named
        elif category.startswith(("education:cluster-1:", "education:cluster-2:")):
            route = INSTITUTION_ROUTE_TEXT[language]
        else:
            route = SWV_ROUTE_TEXT[language] + named
        gap = EDUCATION_GAP_TEXT[language].format(
            where=_in_leerjaren(category, leerjaren, language)
        )
        return f"{gap} {route}"
    parts = [PGB_ROUTE_TEXT[language]]
    if policy.pgb == "care_part":
        parts.append(CARE_PART_TEXT[language])
    parts.append(CARE_ROUTE_TEXT[language])
    return " ".join(parts)


def _in_leerjaren(category: str, leerjaren: Sequence[int], language: Language) -> str:
    """For example " in groep 3" or " in leerjaar 3, 4 en 5"; empty for the whole category."""
    if not leerjaren:
        return ""
    school_type = category.rpartition(":")[2]  # "education:cluster-3:so", "education:sbo"
    word = (GROEP_WORDS if counts_in_groepen(school_type) else LEERJAAR_WORDS)[language]
    return f" in {word} {_listed([str(number) for number in sorted(leerjaren)], language)}"


def _listed(items: list[str], language: Language) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {AND_WORDS[language]} {items[-1]}"


def money(cents: int, language: Language = "nl") -> str:
    """An amount in euros as the offer page writes it (Babel): "€ 1.234,50" in Dutch, with
    a space that does not break, "€1,234.50" in English."""
    return format_currency(cents / 100, "EUR", locale=language)


def pgb_cost_text(
    tariff_cents: int | None,
    tariff_unit: str | None,
    pgb_tariff: Mapping[str, Any] | None,
    language: Language = "nl",
) -> str | None:
    """What a PGB at the municipality's tariff (`Signal.pgb_tariff`) pays of an
    alternative's tariff, in words; None when the alternative names no tariff."""
    if pgb_tariff is None:
        return PGB_TARIFF_UNKNOWN_TEXT[language]
    rate = PgbTariff(pgb_tariff["cents"], pgb_tariff["unit"], pgb_tariff["source"])
    cost = pgb_cost(tariff_cents, tariff_unit, rate)
    if tariff_cents is None or tariff_unit is None or cost.parents_pay_cents is None:
        return None  # no tariff, or one in another unit: nothing can be compared

    unit = normal_unit(tariff_unit) or ""
    unit_words = UNIT_WORDS[unit][language] if unit in UNIT_WORDS else unit

    def per_unit(cents: int) -> str:
        return f"{money(cents, language)} per {unit_words}"

    template = PGB_TARIFF_ABOVE_TEXT if cost.above_pgb_tariff else PGB_TARIFF_FITS_TEXT
    return template[language].format(
        price=per_unit(tariff_cents),
        rate=per_unit(rate.cents),
        difference=per_unit(cost.parents_pay_cents),
    )
