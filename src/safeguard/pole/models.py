"""The POLE store: people, objects, locations and events, with the actions and links between them.

Every record keeps the ``source`` and ``source_id`` it arrived with, and ``payload``: the record
as the exchange format gave it (canonical JSON text, keys sorted), so that export reproduces it
and a change is detectable by ``payload_hash``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguard.db import Base, UTCDateTime

Json = dict[str, Any]


class SourceKeyed:
    """Columns every imported record has."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}"


class Officer(SourceKeyed, Base):
    __tablename__ = "officer"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    name: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(40))
    specialisms: Mapped[list[str]] = mapped_column(JSON, default=list)
    probationary: Mapped[bool] = mapped_column(Boolean, default=False)


class Person(SourceKeyed, Base):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_person_names", "family_name", "given_name"),
        Index("ix_person_dob", "dob"),
        Index("ix_person_family_sound", "family_sound"),
        Index("ix_person_given_sound", "given_sound"),
    )

    family_name: Mapped[str | None] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(200))
    dob: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    identifiers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
    # primary Double Metaphone codes, so that a search for "Kallum" finds "Callum"
    family_sound: Mapped[str | None] = mapped_column(String(32))
    given_sound: Mapped[str | None] = mapped_column(String(32))

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class Location(SourceKeyed, Base):
    __tablename__ = "location"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_location_postcode", "postcode"),
    )

    address: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(32))


class PoleObject(SourceKeyed, Base):
    __tablename__ = "pole_object"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_pole_object_value", "kind", "value"),
    )

    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(300))


class Relation(SourceKeyed, Base):
    __tablename__ = "relation"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Residence(SourceKeyed, Base):
    __tablename__ = "residence"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Uses(SourceKeyed, Base):
    __tablename__ = "uses"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int] = mapped_column(
        ForeignKey("pole_object.id", ondelete="CASCADE"), index=True
    )
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Flag(SourceKeyed, Base):
    __tablename__ = "flag"
    __table_args__ = (UniqueConstraint("source", "source_id"), Index("ix_flag_kind", "kind"))

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    level: Mapped[str | None] = mapped_column(String(20))
    by_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)


_PLACE_FIELDS = ("found_location", "taken_to", "seen_at")
# Written out (not bound) so that the database can match a query's condition to the index's.
NAMES_PLACE = {
    "sqlite": " OR ".join(f"instr(details, '\"{f}\"') > 0" for f in _PLACE_FIELDS),
    "postgresql": " OR ".join(f"strpos(details::text, '\"{f}\"') > 0" for f in _PLACE_FIELDS),
}
# PostgreSQL: the location keys an event's details name, one array (a value or a list of them)
PLACE_KEYS_PG = " || ".join(
    f"jsonb_path_query_array(details::jsonb, '$.{f}[*]')" for f in _PLACE_FIELDS
)
# Columns the database derives from other rows: no record in a file gives them.
DERIVED = {"derived": True}
# The supervisor's queue: open cases with a clock (allocated child-protection cases).
QUEUE_CASES = "queue_clock IS NOT NULL AND closed_at IS NULL"


class Event(SourceKeyed, Base):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_event_kind_time", "kind", "occurred_at"),
        Index("ix_event_location", "location_id"),
        Index("ix_event_kind_closed_time", "kind", "closed_at", "occurred_at"),  # open-case queues
        # the few events whose details name a place (where a child was taken, found or seen),
        # so that a person's picture finds the episodes naming their home (risk `scope.py`);
        # with the details in the index, read from the index alone
        Index(
            "ix_event_names_place",
            "occurred_at",
            "details",
            sqlite_where=text(NAMES_PLACE["sqlite"]),
        ).ddl_if(dialect="sqlite"),
        Index(
            "ix_event_names_place_pg",
            "occurred_at",
            postgresql_include=["details"],
            postgresql_where=text(NAMES_PLACE["postgresql"]),
        ).ddl_if(dialect="postgresql"),
        # the same events by the keys of the places they name: the episodes naming a home
        # are found without reading every event of the look-back naming some place
        Index(
            "ix_event_place_keys_pg",
            text(f"({PLACE_KEYS_PG})"),
            postgresql_using="gin",
            postgresql_where=text(NAMES_PLACE["postgresql"]),
        ).ddl_if(dialect="postgresql"),
        # the supervisor's queue, in its order, holding only open allocated cases
        Index(
            "ix_event_queue",
            "queue_clock",
            "source",
            "source_id",
            "occurred_at",
            "closed_at",  # always null here, but then SQLite counts from the index alone
            sqlite_where=text(QUEUE_CASES),
            postgresql_where=text(QUEUE_CASES),
        ),
    )

    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="SET NULL"))
    summary: Mapped[str | None] = mapped_column(Text)
    details: Mapped[Json] = mapped_column(JSON, default=dict)
    allocated_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("officer.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    risk_level: Mapped[str | None] = mapped_column(String(32))
    # Kept by database triggers (migration 0011) from the event's actions, whatever writes them:
    # the latest supervision review, and for an allocated child-protection case the time its
    # supervision clock runs from (that review, else the latest allocation, else reported).
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=DERIVED)
    queue_clock: Mapped[datetime | None] = mapped_column(UTCDateTime, info=DERIVED)

    people: Mapped[list[EventPerson]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="selectin"
    )


class EventPerson(Base):
    """A person's part in an event, with their role."""

    __tablename__ = "event_person"
    __table_args__ = (Index("ix_event_person_person", "person_id", "event_id"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    event: Mapped[Event] = relationship(back_populates="people")


class Action(SourceKeyed, Base):
    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_action_event_kind_at", "event_id", "kind", "at"),  # latest action of a kind
        Index("ix_action_person", "person_id"),
    )

    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    by_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    details: Mapped[Json] = mapped_column(JSON, default=dict)
    text: Mapped[str | None] = mapped_column(Text)


class RecordHistory(Base):
    """An earlier version of a record, kept when a new version replaced it."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_key", "record_type", "source", "source_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_by_file: Mapped[str | None] = mapped_column(Text)


class PersonCluster(Base):
    """Which person cluster (one real person) a person key belongs to. Written by linkage;
    a person with no row is a cluster of one, identified by its own id."""

    __tablename__ = "person_cluster"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_id: Mapped[int] = mapped_column(Integer, index=True)


RECORD_MODELS: dict[str, type[SourceKeyed]] = {
    "officer": Officer,
    "person": Person,
    "location": Location,
    "object": PoleObject,
    "relation": Relation,
    "residence": Residence,
    "uses": Uses,
    "flag": Flag,
    "event": Event,
    "action": Action,
}
