"""The documented calls of the provider API (offers, locations, availability, waiting
lists, audit) and the public waiting-list lookup beside them."""

from __future__ import annotations

from directory.accounts.keys import AVAILABILITY_WRITE, OFFERS_WRITE, WAITLIST_WRITE
from providers.bulk import csv_template
from providers.bulk_schemas import BulkRequest, BulkResult
from providers.schemas import (
    AuditList,
    AvailabilityFields,
    AvailabilityOut,
    LocationFields,
    LocationList,
    LocationOut,
    LocationPatch,
    OfferFields,
    OfferList,
    OfferOut,
    OfferPatch,
)
from providers.waitlist import MAX_MINT
from providers.waitlist_schemas import ReferencesOut, WaitlistIn, WaitlistOut, WaitlistPosition
from web.api.examples import AVAILABILITY_EXAMPLE, BULK_EXAMPLE, LOCATION_EXAMPLE, OFFER_EXAMPLE
from web.api.operations import CSV, PAGING, Operation, QueryParam
from web.api.provider.offers import PREFIX as PROVIDER

OPERATIONS: list[Operation] = [
    # --- offers -------------------------------------------------------------------------
    Operation(
        "listOffers",
        "GET",
        f"{PROVIDER}/offers",
        "offers",
        "Je eigen aanbod opvragen",
        "List your own offers",
        "Alleen het aanbod van de organisatie van de sleutel, per pagina.",
        "Only the offers of the key's organisation, page by page.",
        response=OfferList,
        errors=(422,),
        query=PAGING,
    ),
    Operation(
        "createOffer",
        "POST",
        f"{PROVIDER}/offers",
        "offers",
        "Aanbod toevoegen",
        "Create an offer",
        "Velden van een ander soort aanbod blijven leeg. Het antwoord draagt ETag en Location. "
        "Typen zijn streng, zoals overal in deze API: een getal zonder aanhalingstekens (3, niet "
        '"3" of true), elk veld één keer per object.',
        "Fields of another kind of offer stay empty. The answer carries ETag and Location. "
        'Types are strict, as everywhere in this API: a number without quotes (3, not "3" or '
        "true), each field once per object.",
        request=OfferFields,
        response=OfferOut,
        status=201,
        scope=OFFERS_WRITE,
        etag=True,
        example=OFFER_EXAMPLE,
    ),
    Operation(
        "getOffer",
        "GET",
        f"{PROVIDER}/offers/{{id:int}}",
        "offers",
        "Eén aanbod opvragen",
        "Read one offer",
        "Het antwoord draagt de ETag die je bij een wijziging in If-Match meestuurt.",
        "The answer carries the ETag to send back in If-Match when you change it.",
        response=OfferOut,
        errors=(404,),
        etag=True,
    ),
    Operation(
        "replaceOffer",
        "PUT",
        f"{PROVIDER}/offers/{{id:int}}",
        "offers",
        "Aanbod vervangen",
        "Replace an offer",
        "Alle velden; wat je weglaat krijgt de standaardwaarde.",
        "All fields; what you leave out gets its default.",
        request=OfferFields,
        response=OfferOut,
        errors=(404,),
        scope=OFFERS_WRITE,
        if_match=True,
        etag=True,
        example=OFFER_EXAMPLE,
    ),
    Operation(
        "patchOffer",
        "PATCH",
        f"{PROVIDER}/offers/{{id:int}}",
        "offers",
        "Aanbod deels wijzigen",
        "Change part of an offer",
        "Alleen de velden die je meestuurt veranderen; het resultaat moet geldig zijn.",
        "Only the fields you send change; the result must still be a valid offer.",
        request=OfferPatch,
        response=OfferOut,
        errors=(404,),
        scope=OFFERS_WRITE,
        if_match=True,
        etag=True,
        example={"max_age": 23, "accepts_pgb": False},
    ),
    Operation(
        "deleteOffer",
        "DELETE",
        f"{PROVIDER}/offers/{{id:int}}",
        "offers",
        "Aanbod verwijderen",
        "Delete an offer",
        "Het aanbod verdwijnt uit de catalogus; de geschiedenis blijft bewaard.",
        "The offer leaves the catalogue; its history is kept.",
        status=204,
        errors=(404,),
        scope=OFFERS_WRITE,
        if_match=True,
    ),
    Operation(
        "reportAvailability",
        "POST",
        f"{PROVIDER}/offers/{{id:int}}/availability",
        "availability",
        "Plaatsen en wachttijden melden",
        "Report places and waiting times",
        "Eén meting (NZa-definities). De nieuwste measured_at wordt actueel; een oudere "
        "meting die later binnenkomt gaat alleen de geschiedenis in (current: false). "
        "Zonder valid_until geldt de meting 31 dagen (instelbaar). Tijden als ISO 8601-tekst "
        'met tijdzone ("2026-03-01T09:00:00+01:00"), niet als Unix-tijd. Geweigerd wordt wat '
        "elkaar tegenspreekt: status open met open_places 0, closed met vrije plaatsen, "
        "bridging_count boven waiting_list_size, valid_until niet na measured_at, measured_at "
        "in de toekomst, een wachttijd boven 520 weken.",
        "One measurement (NZa definitions). The newest measured_at becomes current; an "
        "older one arriving late goes to history only (current: false). Without valid_until "
        "the figure is valid for 31 days (configurable). Times as ISO 8601 text with a time "
        'zone ("2026-03-01T09:00:00+01:00"), not as Unix time. Refused as contradictory: '
        "status open with open_places 0, closed with free places, bridging_count above "
        "waiting_list_size, valid_until not after measured_at, measured_at in the future, a "
        "wait above 520 weeks.",
        request=AvailabilityFields,
        response=AvailabilityOut,
        status=201,
        errors=(404,),
        scope=AVAILABILITY_WRITE,
        example=AVAILABILITY_EXAMPLE,
    ),
    Operation(
        "uploadAvailability",
        "POST",
        f"{PROVIDER}/availability/bulk",
        "availability",
        "Veel meldingen tegelijk (JSON of CSV)",
        "Many reports at once (JSON or CSV)",
        "Elke rij wordt eerst gecontroleerd, met de regels van één melding; is er één fout, "
        "dan wordt niets verwerkt en noemt 422 elke fout als 'row N: kolom'. Anders gaan alle "
        "rijen in één keer in. CSV heeft de kolommen van template.csv; een lege cel betekent "
        "'niet opgegeven'; getallen alleen met de cijfers 0-9.",
        "Every row is checked first, by the rules of a single report; if one is wrong nothing "
        "is applied and 422 names each error as 'row N: column'. Otherwise all rows are "
        "applied at once. CSV has the columns of template.csv; an empty cell means 'not "
        "given'; numbers in the digits 0-9 only.",
        request=BulkRequest,
        csv=True,
        response=BulkResult,
        status=201,
        scope=AVAILABILITY_WRITE,
        idempotency_key=True,
        example=BULK_EXAMPLE,
        csv_example=csv_template(),
    ),
    Operation(
        "getAvailabilityTemplate",
        "GET",
        f"{PROVIDER}/availability/template.csv",
        "availability",
        "CSV-sjabloon voor de bulkupload",
        "CSV template for the bulk upload",
        "De kolommen met één voorbeeldrij, om in een spreadsheet te openen. Geen sleutel nodig.",
        "The columns with one example row, to open in a spreadsheet. No key needed.",
        response_media=CSV,
        errors=(429,),
        auth="public",
    ),
    # --- waiting lists ------------------------------------------------------------------
    Operation(
        "replaceWaitlist",
        "PUT",
        f"{PROVIDER}/offers/{{id:int}}/waitlist",
        "waitlist",
        "Wachtlijst van een aanbod vervangen",
        "Replace an offer's waiting list",
        "De hele lijst van referentiecodes met positie en verwachte start; [] maakt de lijst "
        "leeg. Geen namen of BSN: alleen de code die je de ouders gaf. estimated_start is een "
        'datum als tekst ("2026-09-01"), van een jaar geleden tot tien jaar vooruit.',
        "The whole list of reference codes with position and estimated start; [] clears it. "
        "No names or BSN: only the code you gave the family. estimated_start is a date as "
        'text ("2026-09-01"), from a year ago to ten years ahead.',
        request=WaitlistIn,
        response=WaitlistOut,
        errors=(404, 409),
        scope=WAITLIST_WRITE,
    ),
    Operation(
        "mintReferences",
        "POST",
        f"{PROVIDER}/waitlist/references",
        "waitlist",
        "Nieuwe referentiecodes maken",
        "Make new reference codes",
        "Onraadbare codes voor aanbieders die zelf geen codes hebben.",
        "Unguessable codes for providers that have none of their own.",
        response=ReferencesOut,
        errors=(422,),
        scope=WAITLIST_WRITE,
        query=(
            QueryParam(
                "count",
                {"type": "integer", "minimum": 1, "maximum": MAX_MINT, "default": 1},
                f"How many codes (1-{MAX_MINT}).",
                "3",
            ),
        ),
    ),
    Operation(
        "lookupWaitlistPosition",
        "GET",
        "/api/v1/waitlist/{reference}",
        "waitlist",
        "Je plaats op de wachtlijst (voor ouders)",
        "Your place on the waiting list (for parents)",
        "Openbaar, met de code van de aanbieder. Een onbekende code en een verkeerde gok geven "
        "hetzelfde antwoord (404); het aantal pogingen per minuut is beperkt.",
        "Public, with the code from the provider. An unknown code and a wrong guess answer "
        "the same (404); attempts per minute are limited.",
        response=WaitlistPosition,
        errors=(404, 429),
        auth="public",
    ),
    # --- locations ----------------------------------------------------------------------
    Operation(
        "listLocations",
        "GET",
        f"{PROVIDER}/locations",
        "locations",
        "Je eigen locaties opvragen",
        "List your own locations",
        response=LocationList,
        errors=(422,),
        query=PAGING,
    ),
    Operation(
        "createLocation",
        "POST",
        f"{PROVIDER}/locations",
        "locations",
        "Locatie toevoegen",
        "Create a location",
        "Zonder lat/lon zoeken we de coördinaten bij de plaats.",
        "Without lat/lon the coordinates are looked up from the place name.",
        request=LocationFields,
        response=LocationOut,
        status=201,
        scope=OFFERS_WRITE,
        etag=True,
        example=LOCATION_EXAMPLE,
    ),
    Operation(
        "getLocation",
        "GET",
        f"{PROVIDER}/locations/{{id:int}}",
        "locations",
        "Eén locatie opvragen",
        "Read one location",
        response=LocationOut,
        errors=(404,),
        etag=True,
    ),
    Operation(
        "replaceLocation",
        "PUT",
        f"{PROVIDER}/locations/{{id:int}}",
        "locations",
        "Locatie vervangen",
        "Replace a location",
        request=LocationFields,
        response=LocationOut,
        errors=(404,),
        scope=OFFERS_WRITE,
        if_match=True,
        etag=True,
        example=LOCATION_EXAMPLE,
    ),
    Operation(
        "patchLocation",
        "PATCH",
        f"{PROVIDER}/locations/{{id:int}}",
        "locations",
        "Locatie deels wijzigen",
        "Change part of a location",
        request=LocationPatch,
        response=LocationOut,
        errors=(404,),
        scope=OFFERS_WRITE,
        if_match=True,
        etag=True,
        example={"name": "Vestiging Rotterdam-Zuid"},
    ),
    Operation(
        "deleteLocation",
        "DELETE",
        f"{PROVIDER}/locations/{{id:int}}",
        "locations",
        "Locatie verwijderen",
        "Delete a location",
        "Kan niet zolang een aanbod de locatie gebruikt (409).",
        "Refused while an offer still uses the location (409).",
        status=204,
        errors=(404, 409),
        scope=OFFERS_WRITE,
        if_match=True,
    ),
    # --- audit --------------------------------------------------------------------------
    Operation(
        "listAudit",
        "GET",
        f"{PROVIDER}/audit",
        "audit",
        "Wijzigingslog van je organisatie",
        "Your organisation's change log",
        "Elke wijziging met sleutel, actie, voor en na; nieuwste eerst.",
        "Every change with key, action, before and after; newest first.",
        response=AuditList,
        errors=(422,),
        query=PAGING,
    ),
]
