"""The linkage review queue as a person reads it: each pair's two records side by side, the
fields that differ, what agreed and how, why the pair waits in plain words, and the checks on
a decision before `linkage.service.decide` records it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.restrictions import RESTRICTED_LABEL, Restrictions
from safeguard.linkage.clusters import SIBLINGS
from safeguard.linkage.schemas import LinkSummary, ReviewItem
from safeguard.pole import contacts
from safeguard.pole.models import Person
from safeguard.pole.people import ids_for_keys
from safeguard.web.form_rows import Errors
from safeguard.web.picture import age_at

GREY = "grey"  # the filter value for the grey zone (pairs no hard rule stopped)


@dataclass(frozen=True)
class Why:
    """One reason a pair waits: the filter's label, plain words, and (for a hard rule) what a
    person confirming the pair must tick that they checked."""

    label: str
    words: str
    checked: str | None = None


GREY_ZONE = Why(
    "Grey zone",
    "The records are alike, but not alike enough to join them without a person: the match "
    "weight is between -2 and 6.",
)
# The reasons `linkage.clusters` gives for refusing a join.
HARD_RULES = {
    "dates of birth more than 5 years apart": Why(
        "Dates of birth more than 5 years apart",
        "A rule stopped the join: the dates of birth are more than 5 years apart.",
        "the dates of birth are more than 5 years apart",
    ),
    "known sexes differ": Why(
        "Sexes differ",
        "A rule stopped the join: the records give different sexes.",
        "the records give different sexes",
    ),
    SIBLINGS: Why(
        "Twins or siblings?",
        "A rule stopped the join: the family names agree but the given names are two "
        "different names, as twins' and siblings' are.",
        "the given names differ within one family, as twins' and siblings' do",
    ),
    "a person decided these are different people": Why(
        "Someone decided different people",
        "A rule stopped the join: it would join keys a person has already decided are "
        "different people.",
        "joining these keys goes against an earlier decision that they are different people",
    ),
}


def why(reason: str | None) -> Why:
    if reason is None:
        return GREY_ZONE
    return HARD_RULES.get(reason) or Why(
        reason[:1].upper() + reason[1:], f"A rule stopped the join: {reason}.", reason
    )


FIELDS = {
    "given": "Given name",
    "family": "Family name",
    "dob": "Date of birth",
    "sex": "Sex",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone",
    "identifier": "Shared identifier",
}
HOW = {  # the comparison levels' labels (`linkage.comparisons`) where they are jargon
    "exact": "the same",
    "jaro-winkler 0.92": "spelt almost the same",
    "jaro-winkler 0.8": "spelt alike",
    "metaphone": "sound the same",
    "initial": "same initial",
    "else": "do not agree",
}
SEXES = {"F": "Female", "M": "Male", "U": "Unknown"}


@dataclass
class Record:
    """One key of a pair as the reviewer sees it (``hidden``: a restricted record)."""

    key: str
    given: str | None = None
    family: str | None = None
    dob: date | None = None
    age: int | None = None
    sex: str | None = None
    address: str | None = None
    postcode: str | None = None
    phones: list[str] = field(default_factory=list)
    hidden: bool = False

    @property
    def source(self) -> str:
        return self.key.partition(":")[0]

    @property
    def source_id(self) -> str:
        return self.key.partition(":")[2]

    @property
    def name(self) -> str:
        return " ".join(n for n in (self.given, self.family) if n) or NOT_RECORDED

    @property
    def born(self) -> str:
        return _dob(self) or NOT_RECORDED

    @property
    def sex_shown(self) -> str:
        return _sex(self.sex) or NOT_RECORDED

    @property
    def home(self) -> str:
        return ", ".join(a for a in (self.address, self.postcode) if a) or NOT_RECORDED


@dataclass(frozen=True)
class Row:
    label: str
    a: str
    b: str
    differ: bool


@dataclass
class Pair:
    """A pair on the page."""

    item: ReviewItem
    a: Record
    b: Record
    why: Why

    @property
    def ref(self) -> str:
        """What its form's fields are named by in the page (ids), the same on every page."""
        return re.sub(r"[^A-Za-z0-9_-]", "-", f"{self.item.a}-{self.item.b}")

    @property
    def hidden(self) -> bool:
        return self.a.hidden or self.b.hidden

    @property
    def agreed(self) -> list[tuple[str, str]]:
        return [
            (FIELDS.get(name, name.capitalize()), HOW.get(str(how), str(how)))
            for name, how in sorted(self.item.evidence.items(), key=lambda kv: _order(kv[0]))
        ]

    @property
    def rows(self) -> list[Row]:
        a, b = self.a, self.b
        return [
            Row("Source system", a.source, b.source, False),
            Row("Record id", a.source_id, b.source_id, False),
            _row("Given name", a.given, b.given, _name(a.given) != _name(b.given)),
            _row("Family name", a.family, b.family, _name(a.family) != _name(b.family)),
            _row("Date of birth", _dob(a), _dob(b), a.dob != b.dob),
            _row("Sex", _sex(a.sex), _sex(b.sex), a.sex != b.sex),
            _row("Address", a.address, b.address, _words(a.address) != _words(b.address)),
            _row("Postcode", a.postcode, b.postcode, _squash(a.postcode) != _squash(b.postcode)),
            _row(
                "Phone",
                ", ".join(a.phones) or None,
                ", ".join(b.phones) or None,
                not {_digits(p) for p in a.phones} & {_digits(p) for p in b.phones},
            ),
        ]


def _order(name: str) -> int:
    return list(FIELDS).index(name) if name in FIELDS else len(FIELDS)


NOT_RECORDED = "Not recorded"


def _row(label: str, a: str | None, b: str | None, differ: bool) -> Row:
    """A differing field is marked only when both records give it: a missing one is just that."""
    return Row(label, a or NOT_RECORDED, b or NOT_RECORDED, bool(a and b and differ))


def _name(value: str | None) -> str:
    return (value or "").strip().casefold()


def _words(value: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (value or "").casefold()).split())


def _squash(value: str | None) -> str:
    return re.sub(r"\s", "", (value or "").upper())


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _dob(r: Record) -> str | None:
    if r.dob is None:
        return None
    shown = f"{r.dob.day} {r.dob:%B %Y}"
    return shown if r.age is None else f"{shown} (age {r.age})"


def _sex(value: str | None) -> str | None:
    return SEXES.get(value, value) if value else None


def records(
    *, session: Session, keys: list[str], as_of: datetime, limits: Restrictions, username: str
) -> dict[str, Record]:
    """Each key as a Record: names, birth date and age, sex, latest home, phones. A key this
    user may not see comes back hidden, with nothing read about it."""
    hidden = {k for k in keys if limits.hides(username, [k])}
    found = {k: Record(key=k, given=RESTRICTED_LABEL, hidden=True) for k in hidden}
    ids = ids_for_keys(session=session, keys=[k for k in keys if k not in hidden])
    by_id = {pid: k for k, pid in ids.items()}
    if not ids:
        return found
    for person in session.scalars(select(Person).where(Person.id.in_(list(by_id)))):
        found[person.key] = Record(
            key=person.key,
            given=person.given_name,
            family=person.family_name,
            dob=person.dob,
            age=age_at(person.dob, as_of),
            sex=person.sex,
        )
    for pid, (address, postcode) in contacts.latest_homes(
        session=session, person_ids=by_id
    ).items():
        found[by_id[pid]].address, found[by_id[pid]].postcode = address, postcode
    for pid, numbers in contacts.phones(session=session, person_ids=by_id).items():
        found[by_id[pid]].phones = numbers
    return found


def pairs(
    *,
    session: Session,
    items: list[ReviewItem],
    as_of: datetime,
    limits: Restrictions,
    username: str,
) -> list[Pair]:
    keys = sorted({k for item in items for k in (item.a, item.b)})
    found = records(session=session, keys=keys, as_of=as_of, limits=limits, username=username)
    return [
        Pair(item=item, a=found[item.a], b=found[item.b], why=why(item.reason)) for item in items
    ]


@dataclass(frozen=True)
class Decision:
    """A decision as posted: the pair's keys, same person or not, why, and (for a pair a rule
    stopped) whether the reviewer ticked that they checked what the rule found."""

    a: str
    b: str
    same: bool | None
    reason: str
    checked: bool


def validate(decision: Decision, pair: Pair) -> Errors:
    n = pair.ref
    errors: Errors = []
    if decision.same is None:
        errors.append(
            {
                "text": "Select whether these are the same person or different people",
                "href": f"#decision-{n}",
            }
        )
    if decision.same and pair.why.checked and not decision.checked:
        errors.append(
            {
                "text": f"Tick to say you have checked: {pair.why.checked} but this is one person",
                "href": f"#checked-{n}",
            }
        )
    if not decision.reason:
        errors.append({"text": "Enter the reason for your decision", "href": f"#reason-{n}"})
    return errors


def _count(n: int, one: str, many: str) -> str:
    return f"{'no' if n == 0 else n} {one if n == 1 else many}"


def outcome(decision: Decision, summary: LinkSummary) -> str:
    """What the confirmation banner says was decided and what clustering again did."""
    said = "the same person" if decision.same else "different people"
    joins = _count(summary.joins, "join", "joins")
    splits = _count(summary.splits, "split", "splits")
    return (
        f"You decided that {decision.a} and {decision.b} are {said}. Linkage clustered the "
        f"keys again: {joins}, {splits}."
    )
