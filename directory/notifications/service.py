"""The notification outbox: what to send, queued in the transaction that caused it.

Nothing here talks to the network. A notification row is written in the caller's unit of
work, so it exists exactly when what it announces was committed; `sync.notify` sends due
rows after the commit, retrying on the schedule of `next_attempt` until a row is sent or,
after `MAX_ATTEMPTS`, set aside as dead.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from directory.catalogue.models import Organisation
from directory.errors import InvalidDataError, InvalidParam, NotFoundError
from directory.notifications.models import Notification, OrganisationWebhook, WebhookSubscription
from directory.reference.models import Municipality
from directory.signals.models import Signal
from directory.signals.wording import signal_text
from directory.watches.models import Watch, WatchAlert
from directory.watches.rules import EVENT_TEXT

Channel = Literal["webhook", "email"]
PENDING, SENT, DEAD = "pending", "sent", "dead"

# A receiver that is down overnight still gets its messages: the waits add up to ~14.5 h.
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)

# Transition states of a signal (see directory.signals.service) and the events they raise.
SIGNAL_EVENTS = {"open": "signal.opened", "resolved": "signal.resolved"}
# A watch's alert (directory.watches.rules); only its own organisation hears of it.
WATCH_ALERT_EVENT = "watch.alert"
WATCH_ALERT_SUBJECTS: dict[str, str] = {
    "place_opened": "er is een plaats vrij",
    "wait_within_norm": "wachttijd binnen de norm",
    "pgb_route": "de pgb-route kan van toepassing zijn",
}


def next_attempt(attempts: int, now: datetime) -> datetime:
    """When to try again after `attempts` failed attempts: 30 s, 1 min, 2 min, … doubling,
    never more than 6 h apart."""
    if attempts < 1:
        return now
    # Capping the exponent first keeps huge attempt counts from overflowing timedelta.
    delay = FIRST_RETRY * (1 << min(attempts - 1, 20))
    return now + min(delay, LONGEST_RETRY)


def queue_notification(
    session: Session,
    *,
    channel: Channel,
    recipient: str,
    event: str,
    subject: str,
    payload: dict[str, Any],
    dedupe_key: str,
    webhook_id: int | None = None,
    now: datetime,
) -> int | None:
    """Queue one notification in the caller's transaction, due at once.

    Queueing the same `dedupe_key` again does nothing, also when two transactions race
    (the unique key decides). Returns the new row's id, or None when it was already queued.
    For e-mail, `payload["text"]` is the body (see `sync.notify`).
    """
    return queue_many(
        session,
        [
            {
                "channel": channel,
                "recipient": recipient,
                "event": event,
                "subject": subject,
                "payload": payload,
                "dedupe_key": dedupe_key,
                "webhook_id": webhook_id,
            }
        ],
        now,
    )[0]


def queue_many(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> list[int | None]:
    """`queue_notification` for several rows (keys as its arguments), one statement each."""
    dialect = session.get_bind().dialect.name
    ids: list[int | None] = []
    for row in rows:
        values = {**row, "state": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}
        ids.append(session.scalar(_insert_unless_queued(dialect, values)))
    return ids


def _insert_unless_queued(dialect: str, values: dict[str, Any]) -> ReturningInsert[int]:
    # The unique dedupe_key decides, also when two transactions race; both dialects spell
    # it the same but their insert constructs are distinct classes.
    if dialect == "postgresql":
        statement = postgresql.insert(Notification).values(values)
        return statement.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
            Notification.id
        )
    lite = sqlite.insert(Notification).values(values)
    return lite.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Notification.id)


def queue_signal_transitions(session: Session, states: dict[int, str], now: datetime) -> int:
    """Queue a signed webhook call to every active subscription that wants a signal's
    change (signal id -> the state it moved to); reads nothing more when nobody subscribes.

    A subscription matches when its municipality is the signal's (or it has none) and its
    events are empty or name the event (`signal.opened`, `signal.resolved`). Queueing the
    same change again does nothing. Returns how many notifications were new.
    """
    subscriptions = active_subscriptions(session) if states else []
    if not subscriptions:
        return 0
    ids = sorted(states)
    queued = 0
    for start in range(0, len(ids), 1_000):
        chunk = ids[start : start + 1_000]
        signals = session.scalars(select(Signal).where(Signal.id.in_(chunk)).order_by(Signal.id))
        rows = [
            _webhook_row(signal, states[signal.id], subscription)
            for signal in signals
            for subscription in subscriptions
            if _wants(subscription, signal.municipality_code, SIGNAL_EVENTS[states[signal.id]])
        ]
        queued += sum(1 for row_id in queue_many(session, rows, now) if row_id is not None)
    return queued


def active_subscriptions(session: Session) -> list[WebhookSubscription]:
    """Every active webhook subscription, oldest first."""
    query = (
        select(WebhookSubscription)
        .where(WebhookSubscription.active.is_(True))
        .order_by(WebhookSubscription.id)
    )
    return list(session.scalars(query))


def signal_payload(signal: Signal, transition_state: str) -> dict[str, Any]:
    """What a subscriber receives about a signal change; details are behind `link`."""
    return {
        "signal_id": signal.id,
        "kind": signal.kind,
        "state": transition_state,
        "municipality": signal.municipality_code,
        "category": signal.category,
        "opened_at": signal.opened_at.isoformat(),
        "resolved_at": signal.resolved_at.isoformat() if signal.resolved_at else None,
        "link": f"/api/v1/signals/{signal.id}",
        # The route *may* apply; the municipality decides. Never worded as a right.
        "wording": {
            language: signal_text(
                signal.kind, signal.category, language, leerjaren=signal.leerjaren
            )
            for language in ("nl", "en")
        },
    }


def _wants(subscription: WebhookSubscription, municipality: str, event: str) -> bool:
    return subscription.municipality_code in (None, municipality) and (
        not subscription.events or event in subscription.events
    )


def _webhook_row(signal: Signal, state: str, subscription: WebhookSubscription) -> dict[str, Any]:
    event = SIGNAL_EVENTS[state]
    return {
        "channel": "webhook",
        "recipient": subscription.url,
        "event": event,
        "subject": f"{event} {signal.kind} {signal.municipality_code} {signal.category}",
        "payload": signal_payload(signal, state),
        # One per episode: a signal that opens again later is a new event.
        "dedupe_key": (
            f"signal:{signal.id}:{state}:{signal.opened_at.isoformat()}:{subscription.id}"
        ),
        "webhook_id": subscription.id,
    }


# --- watch alerts ---------------------------------------------------------------------


def register_webhook(
    session: Session,
    *,
    url: str,
    organisation_id: int | None = None,
    municipality: str | None = None,
    events: Sequence[str] = (),
    now: datetime,
) -> tuple[WebhookSubscription, str]:
    """An operator subscribes a system: signal changes (for one municipality, or all) and,
    with an organisation, that organisation's watch alerts. Returns the subscription and
    its new signing secret, which only the caller sees."""
    known_events = (*SIGNAL_EVENTS.values(), WATCH_ALERT_EVENT)
    problems = []
    address = urlsplit(url)
    if address.scheme not in ("https", "http") or not address.hostname:
        problems.append(InvalidParam("url", f"{url!r} is not an http(s) address"))
    problems += [
        InvalidParam("event", f"{event!r} is not one of {', '.join(known_events)}")
        for event in events
        if event not in known_events
    ]
    if municipality is not None and session.get(Municipality, municipality) is None:
        problems.append(InvalidParam("municipality", f"{municipality!r} is not a CBS code here"))
    if WATCH_ALERT_EVENT in events and organisation_id is None:
        # Watch alerts go only to the watch's own organisation: without one, none ever come.
        problems.append(
            InvalidParam(
                "organisation",
                f"{WATCH_ALERT_EVENT} is sent only to the organisation that keeps the watch: "
                "give its id (--org)",
            )
        )
    if problems:
        raise InvalidDataError("the webhook is not valid", problems)
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise NotFoundError(f"organisation {organisation_id}")
    secret = secrets.token_urlsafe(32)
    if organisation_id is not None:
        subscription = add_organisation_webhook(
            session, organisation_id, url=url, secret=secret, events=list(events), now=now
        )
        subscription.municipality_code = municipality
    else:
        subscription = WebhookSubscription(
            url=url,
            secret=secret,
            municipality_code=municipality,
            events=list(events),
            active=True,
            created_at=now,
        )
        session.add(subscription)
    session.flush()
    return subscription, secret


def add_organisation_webhook(
    session: Session,
    organisation_id: int,
    *,
    url: str,
    secret: str,
    events: list[str] | None = None,
    now: datetime,
) -> WebhookSubscription:
    """A webhook subscription owned by an organisation: it receives the alerts of the
    organisation's watches (`watch.alert`) besides the public signal changes it asks for."""
    subscription = WebhookSubscription(
        url=url, secret=secret, events=events or [], active=True, created_at=now
    )
    session.add(subscription)
    session.flush()
    session.add(OrganisationWebhook(webhook_id=subscription.id, organisation_id=organisation_id))
    session.flush()
    return subscription


def queue_watch_alerts(
    session: Session,
    watch: Watch,
    alerts: Sequence[WatchAlert],
    now: datetime,
    *,
    public_base_url: str,
) -> int:
    """Queue each new alert to the watch's organisation: a signed webhook call to each of
    its active subscriptions that wants `watch.alert`, and an e-mail to its address when it
    has one (its links start with `public_base_url`). Queueing an alert again does nothing.
    Returns how many were new."""
    subscriptions = session.scalars(
        select(WebhookSubscription)
        .join(OrganisationWebhook, OrganisationWebhook.webhook_id == WebhookSubscription.id)
        .where(
            OrganisationWebhook.organisation_id == watch.organisation_id,
            WebhookSubscription.active.is_(True),
        )
        .order_by(WebhookSubscription.id)
    ).all()
    wanted = [s for s in subscriptions if not s.events or WATCH_ALERT_EVENT in s.events]
    email = session.scalar(
        select(Organisation.email).where(Organisation.id == watch.organisation_id)
    )
    rows: list[dict[str, Any]] = []
    for alert in alerts:
        payload = watch_alert_payload(watch, alert)
        what = WATCH_ALERT_SUBJECTS.get(alert.event, alert.event)
        subject = f"Plekwijzer, dossier {watch.case_reference}: {what}"
        for subscription in wanted:
            rows.append(
                {
                    "channel": "webhook",
                    "recipient": subscription.url,
                    "event": WATCH_ALERT_EVENT,
                    "subject": subject,
                    "payload": payload,
                    "dedupe_key": f"watch-alert:{alert.id}:webhook:{subscription.id}",
                    "webhook_id": subscription.id,
                }
            )
        if email:
            rows.append(
                {
                    "channel": "email",
                    "recipient": email,
                    "event": WATCH_ALERT_EVENT,
                    "subject": subject[:300],
                    "payload": {**payload, "text": watch_alert_text(watch, alert, public_base_url)},
                    "dedupe_key": f"watch-alert:{alert.id}:email",
                }
            )
    return sum(1 for row_id in queue_many(session, rows, now) if row_id is not None)


def watch_alert_payload(watch: Watch, alert: WatchAlert) -> dict[str, Any]:
    """What the organisation receives about an alert; the case is only its reference."""
    return {
        "alert_id": alert.id,
        "watch_id": watch.id,
        "case_reference": watch.case_reference,
        "event": alert.event,
        "municipality": watch.municipality_code,
        "category": watch.category,
        "raised_at": alert.raised_at.isoformat(),
        "details": alert.details,
        "wording": dict(EVENT_TEXT[alert.event]),
        "link": f"/api/v1/watches/{watch.id}/alerts",
    }


def watch_alert_text(watch: Watch, alert: WatchAlert, public_base_url: str) -> str:
    """The plain-text e-mail about an alert (Dutch first, as the pages), with absolute
    links: the offer's public page or the municipality's "wachttijd te lang" page with the
    signal's alternatives, the signal's evidence as JSON, and the watch's alerts (API)."""
    base = public_base_url.rstrip("/")
    code = watch.municipality_code
    details = alert.details
    lines = [
        f"Dossier {watch.case_reference} (bewaking {watch.id}, gemeente {watch.municipality_code})",
        "",
        # A signal's own words: what its kind and category allow it to say.
        signal_text(details["kind"], details["category"])
        if "kind" in details and "category" in details
        else EVENT_TEXT[alert.event]["nl"],
        "",
    ]
    if "offer_id" in details:
        wait = details.get("total_wait_weeks")
        lines.append(f"Aanbod: {details.get('name')} (id {details['offer_id']})")
        lines.append(
            f"Status: {details.get('status')}, open plaatsen: {details.get('open_places')}"
        )
        lines.append(f"Wachttijd: {'onbekend' if wait is None else f'{wait} weken'}")
        lines.append(f"Meer: {base}/aanbod/{details['offer_id']}")
    if "signal_id" in details:
        lines.append(f"Categorie: {details.get('category')}")
        lines.append(f"Uitleg en alternatieven: {base}/wachttijd-te-lang?gemeente={code}")
        lines.append(f"Onderbouwing (JSON): {base}/api/v1/signals/{details['signal_id']}")
    alerts_link = f"{base}/api/v1/watches/{watch.id}/alerts"
    lines += ["", f"Alle meldingen van deze bewaking (API, met uw sleutel): {alerts_link}", ""]
    return "\n".join(lines)
