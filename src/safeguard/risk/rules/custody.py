"""Children in custody: PACE s38(6), appropriate adults, healthcare practitioners."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.risk.alert import Alert
from safeguard.risk.facts import EventF, Facts
from safeguard.risk.rules.base import anchor, day, make

RISK_FLAGS = ("self_harm", "mental_health", "substance_misuse")


def _detained(facts: Facts) -> Iterator[tuple[EventF, int]]:
    for event in facts.lookback_events("custody"):
        for cid in facts.children_in(event, "detained_child"):
            yield event, cid


def _alert(
    facts: Facts, code: str, event: EventF, cid: int, what: str, rule: str, evidence: list[str]
) -> Alert:
    return make(
        facts,
        code,
        status="open",
        about=[cid],
        events=[event.key],
        evidence=[event.key, *evidence],
        message=(
            f"{facts.describe(cid, event.occurred_at)} was detained on "
            f"{day(event.occurred_at)} ({event.key}): {what}."
        ),
        rule=rule,
        identity=f"{event.key}|{anchor(facts, cid)}",
    )


def _denied(event: EventF, cid: int) -> list[str]:
    return [
        a.key
        for a in event.actions_of("bail_decision")
        if a.person == cid and a.details.get("denied") is True
    ]


def custody_no_la_request(facts: Facts) -> Iterator[Alert]:
    for event, cid in _detained(facts):
        denied = _denied(event, cid)
        if (
            event.details.get("charged") is True
            and denied
            and not event.first("la_accommodation_request", cid)
        ):
            yield _alert(
                facts,
                "CUSTODY_NO_LA_REQUEST",
                event,
                cid,
                (
                    "charged and refused bail, with no request for local authority "
                    "accommodation (PACE s38(6))"
                ),
                "charged child denied bail with no la_accommodation_request",
                denied,
            )


def custody_bail_not_reviewed(facts: Facts) -> Iterator[Alert]:
    for event, cid in _detained(facts):
        for response in event.actions_of("la_accommodation_response"):
            if response.person != cid or response.details.get("provided") is not False:
                continue
            reviewed = any(
                a.person == cid and a.at >= response.at for a in event.actions_of("bail_review")
            )
            if not reviewed:
                yield _alert(
                    facts,
                    "CUSTODY_BAIL_NOT_REVIEWED",
                    event,
                    cid,
                    (
                        "the local authority could not provide accommodation "
                        f"({day(response.at)}) and the bail decision was not reviewed"
                    ),
                    "la_accommodation_response provided false with no bail_review after it",
                    [response.key],
                )
                break


def custody_no_certificate(facts: Facts) -> Iterator[Alert]:
    for event, cid in _detained(facts):
        denied = _denied(event, cid)
        if event.details.get("charged") is not True or not denied:
            continue
        moved = any(
            a.person == cid and a.details.get("provided") is True
            for a in event.actions_of("la_accommodation_response")
        )
        if not moved and not event.first("detention_certificate", cid):
            yield _alert(
                facts,
                "CUSTODY_NO_CERTIFICATE",
                event,
                cid,
                (
                    "charged, refused bail and not moved to local authority accommodation, "
                    "with no detention certificate"
                ),
                "charged child denied bail, not transferred, with no detention_certificate",
                denied,
            )


def custody_hcp_not_contacted(facts: Facts) -> Iterator[Alert]:
    for event, cid in _detained(facts):
        reasons = ["intoxicated"] if event.details.get("intoxicated") is True else []
        flags = [f for kind in RISK_FLAGS if (f := facts.flag(cid, kind))]
        reasons += [f"{f.kind} flag" for f in flags]
        if reasons and not event.first("hcp_contact", cid):
            yield _alert(
                facts,
                "CUSTODY_HCP_NOT_CONTACTED",
                event,
                cid,
                f"{', '.join(reasons)}, and no healthcare practitioner contact is recorded",
                (
                    "detained child intoxicated or flagged self_harm, mental_health or "
                    "substance_misuse with no hcp_contact"
                ),
                [f.key for f in flags],
            )


def custody_no_appropriate_adult(facts: Facts) -> Iterator[Alert]:
    for event, cid in _detained(facts):
        if not event.first("appropriate_adult", cid):
            yield _alert(
                facts,
                "CUSTODY_NO_APPROPRIATE_ADULT",
                event,
                cid,
                "no appropriate adult is recorded (PACE Code C)",
                "detained child with no appropriate_adult",
                [],
            )


RULES = {
    "CUSTODY_NO_LA_REQUEST": custody_no_la_request,
    "CUSTODY_BAIL_NOT_REVIEWED": custody_bail_not_reviewed,
    "CUSTODY_NO_CERTIFICATE": custody_no_certificate,
    "CUSTODY_HCP_NOT_CONTACTED": custody_hcp_not_contacted,
    "CUSTODY_NO_APPROPRIATE_ADULT": custody_no_appropriate_adult,
}
