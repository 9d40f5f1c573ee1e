"""`safeguard users ...` and `safeguard audit ...`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from safeguard.access import processing_log, restrictions, retention, service, sharing
from safeguard.access.roles import Area, Role
from safeguard.cli_support import console, state
from safeguard.db import unit_of_work
from safeguard.errors import SafeguardError
from safeguard.pole.people import cluster_people, person_by_key
from safeguard.timeutil import now_utc, parse_as_of

users_app = typer.Typer(help="Users: add, list, disable, issue API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The processing log (DPA 2018 s62).", no_args_is_help=True)


def _fail(exc: SafeguardError) -> typer.Exit:
    console.print(f"[red]error[/red] {exc}", highlight=False)
    return typer.Exit(1)


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: str,
    role: Annotated[Role, typer.Option(help="The user's role")],
    name: Annotated[str, typer.Option(help="Display name")],
    team: Annotated[str, typer.Option(help="Team, e.g. 'North PPU'")],
    area: Annotated[Area, typer.Option(help="Policing area")] = Area.FORCE,
    email: Annotated[
        str | None, typer.Option(help="Email, matched by single sign-on if it matches by email")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="SAFEGUARD_NEW_PASSWORD",
            help="Password (asked for if not given)",
        ),
    ] = None,
) -> None:
    """Add a user."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            user = service.add_user(
                session=session,
                username=username,
                display_name=name,
                role=role.value,
                team=team,
                area=area.value,
                password=password,
                email=email,
            )
            typer.echo(f"added {user.username} ({user.role}, {user.team})")
    except SafeguardError as exc:
        raise _fail(exc) from None


@users_app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List users."""
    with unit_of_work(state(ctx).engine()) as session:
        for user in service.list_users(session=session):
            status = "disabled" if user.disabled else "active"
            typer.echo(
                f"{user.username}\t{user.role}\t{user.team}\t{user.area}\t{status}\t"
                f"{user.display_name}"
            )


@users_app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    """Disable a user: their sessions and tokens stop working."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            service.disable_user(session=session, username=username)
        typer.echo(f"disabled {username}")
    except SafeguardError as exc:
        raise _fail(exc) from None


@users_app.command("token")
def token(
    ctx: typer.Context,
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for")],
    days: Annotated[int, typer.Option(help="Days until it expires (at most 366)")] = 90,
) -> None:
    """Issue an API token acting in the user's role; printed once, stored hashed."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            text, tok = service.create_token(
                session=session, username=username, name=name, lifetime=timedelta(days=days)
            )
        typer.echo(text)
        console.print(f"expires {tok.expires_at.isoformat()}")
    except SafeguardError as exc:
        raise _fail(exc) from None


@users_app.command("restrict")
def restrict(
    ctx: typer.Context,
    key: str,
    allow: Annotated[list[str], typer.Option(help="A user who may open the record (repeat)")],
    reason: Annotated[str, typer.Option(help="Why the record is restricted")],
    by: Annotated[str, typer.Option(help="User name of the administrator")],
) -> None:
    """Restrict a person's record (every linked key) to named users."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            user = service.get_user(session=session, username=by)
            keys = restrictions.restrict(
                session=session,
                key=key,
                allowed=allow,
                reason=reason,
                actor=processing_log.Actor(user.username, user.role),
            )
        typer.echo(f"restricted {' '.join(keys)} to {', '.join(sorted(set(allow)))}")
    except SafeguardError as exc:
        raise _fail(exc) from None


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the hash chain: any edited, removed or reordered entry is reported."""
    with unit_of_work(state(ctx).engine()) as session:
        count, problems = processing_log.verify(session=session)
    for problem in problems:
        console.print(f"[red]broken[/red] {problem}", highlight=False)
    if problems:
        typer.echo(f"processing log BROKEN: {len(problems)} problems in {count} entries")
        raise typer.Exit(1)
    typer.echo(f"processing log intact: {count} entries")


@audit_app.command("who-viewed")
def who_viewed(ctx: typer.Context, key: str) -> None:
    """Who has consulted or disclosed a person's records (every key linked to them), and why."""
    with unit_of_work(state(ctx).engine()) as session:
        keys = [key]
        try:
            person = person_by_key(session=session, key=key)
            keys = [p.key for p in cluster_people(session=session, person_id=person.id)]
        except SafeguardError:
            pass  # a key no longer stored (erased) can still be asked about
        for e in processing_log.who_viewed(session=session, keys=keys):
            flag = "BREAK-GLASS\t" if e.break_glass else ""
            typer.echo(
                f"{e.at.isoformat(timespec='seconds')}\t{e.operation}\t{e.actor}\t{e.actor_role}"
                f"\t{flag}{e.purpose}\t{e.justification or ''}"
            )


retention_app = typer.Typer(
    help="Retention reviews (Management of Police Information).", no_args_is_help=True
)


@retention_app.command("due")
def retention_due(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date (default: today)")] = None,
) -> None:
    """People whose MoPI review is due: key, group, last contact, review date, linked keys."""
    day = parse_as_of(as_of).date() if as_of else now_utc().date()
    with unit_of_work(state(ctx).engine()) as session:
        for item in retention.due(session=session, as_of=day):
            last = item.last_contact.date().isoformat() if item.last_contact else "none"
            typer.echo(
                f"{item.key}\tgroup {item.group}\tlast contact {last}\t"
                f"review {item.next_review.isoformat()}\t{' '.join(item.keys)}"
            )


@retention_app.command("review")
def retention_review(
    ctx: typer.Context,
    key: str,
    decision: Annotated[str, typer.Option(help="retain or erase")],
    reason: Annotated[str, typer.Option(help="The rationale, recorded and logged")],
    by: Annotated[str, typer.Option(help="User name of the reviewer")],
) -> None:
    """Record a review decision; erase deletes every record of the person (logged as ERASE)."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            user = service.get_user(session=session, username=by)
            row = retention.review(
                session=session,
                key=key,
                decision=decision,
                reason=reason,
                actor=processing_log.Actor(user.username, user.role),
            )
            typer.echo(f"{row.decision}: {' '.join(row.keys)} (group {row.group})")
    except SafeguardError as exc:
        raise _fail(exc) from None


share_app = typer.Typer(help="What is shared with partner organisations.", no_args_is_help=True)


@share_app.command("list")
def share_list(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only shares still open")] = False,
) -> None:
    """List shares with partners, newest first: case and scope, recipient, basis, status."""
    now = now_utc()
    with unit_of_work(state(ctx).engine()) as session:
        for row in sharing.list_shares(session=session, limit=10_000):
            is_open = sharing.is_open(row, now)
            if open_only and not is_open:
                continue
            view = sharing.shared_view(session=session, share=row)
            scope = ",".join(a.key for a in view.actions) if row.action_ids else "whole case"
            status = (
                f"revoked {row.revoked_at:%Y-%m-%d} by {row.revoked_by}"
                if row.revoked_at
                else ("open" if is_open else "expired")
            )
            recipient = (
                f"{row.organisation}: {row.recipient}" if row.recipient else row.organisation
            )
            typer.echo(
                f"{row.id}\t{view.event_key}\t{scope}\t{recipient}\t{row.lawful_basis}\t"
                f"{row.shared_by}\t{row.shared_at:%Y-%m-%d %H:%M}\t{status}"
            )


def register(app: typer.Typer) -> None:
    app.add_typer(share_app, name="share")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.add_typer(retention_app, name="retention")
