"""What a signal says to the public, in Dutch and English: the PGB route, the education
gap, no contract at all, and an alternative that costs more than contracted care.

The wording is careful on purpose: the PGB route *may* apply (art. 8.1.1 Jeugdwet); it is
never promised, and the municipality decides. `directory.signals.rules.Evaluation.text`,
the notification e-mails and the public signals API take their texts from here.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["nl", "en"]

PGB_ROUTE_TEXT: dict[Language, str] = {
    "nl": (
        "Geen gecontracteerde aanbieder (zorg in natura) kan binnen de wachttijdnorm starten. "
        "Dan kan de pgb-route van toepassing zijn (artikel 8.1.1 Jeugdwet). Dit is geen "
        "toezegging: de gemeente beslist, onder meer of de gecontracteerde zorg passend is, "
        "of het pgb beheerd kan worden en of de gekozen zorg van goede kwaliteit is."
    ),
    "en": (
        "No contracted provider (zorg in natura) can start within the waiting-time norm. "
        "The PGB route may then apply (article 8.1.1 Jeugdwet). This is not a promise: the "
        "municipality decides, among other things whether the contracted care is suitable, "
        "whether the budget can be managed and whether the chosen care is of good quality."
    ),
}
EDUCATION_GAP_TEXT: dict[Language, str] = {
    "nl": (
        "Geen school in deze categorie kan binnen de wachttijdnorm een leerling plaatsen. "
        "Voor onderwijs bestaat geen pgb. Neem contact op met de onderwijsconsulent of het "
        "samenwerkingsverband passend onderwijs."
    ),
    "en": (
        "No school in this category can place a pupil within the waiting-time norm. There is "
        "no PGB for education. Contact the onderwijsconsulent or the samenwerkingsverband "
        "passend onderwijs."
    ),
}
NO_CONTRACT_TEXT: dict[Language, str] = {
    "nl": "De gemeente heeft in deze categorie geen aanbod gecontracteerd.",
    "en": "The municipality has no contracted offer in this category.",
}
COSTS_MORE_TEXT: dict[Language, str] = {
    "nl": (
        "Dit aanbod kost meer dan het goedkoopste gecontracteerde aanbod; de gemeente mag een "
        "pgb dan weigeren (artikel 8.1.1 Jeugdwet)."
    ),
    "en": (
        "This offer costs more than the cheapest contracted offer; the municipality may then "
        "refuse a PGB (article 8.1.1 Jeugdwet)."
    ),
}
