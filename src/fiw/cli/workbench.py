"""`fiw user …` and `fiw edition open`: the workbench's users and editions from the shell
(whoever can run these can already write the database, so they act without a password)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fiw.cli.common import DatabaseOption, JsonOption, out, print_json

if TYPE_CHECKING:
    from fiw.workbench import Workbench

user_app = typer.Typer(help="Manage the workbench's users.", no_args_is_help=True)
edition_app = typer.Typer(help="Open an edition for drafting.", no_args_is_help=True)


def _workbench(database: str | None) -> Workbench:
    from fiw.store.database import make_engine
    from fiw.store.migrate import upgrade
    from fiw.workbench import Workbench

    engine = make_engine(database)
    upgrade(engine)
    return Workbench(engine)


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


@user_app.command("add")
def user_add_command(
    name: Annotated[str, typer.Argument(help="the user's login name")],
    role: Annotated[str, typer.Option(help="admin, analyst or reviewer")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Add a workbench user (the password is stored as an argon2id hash)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    info = _workbench(database).add_user(name, role, password)
    _say(f"added {info.name} ({info.role})")


@user_app.command("assign")
def user_assign_command(
    name: Annotated[str, typer.Argument(help="the user")],
    countries: Annotated[list[str], typer.Argument(help="country ids, ISO3 codes or names")],
    database: DatabaseOption = None,
) -> None:
    """Assign countries to an analyst (every unknown country is listed)."""
    info = _workbench(database).assign(name, countries)
    _say(f"{info.name} drafts {', '.join(info.countries) or 'no country'}")


@user_app.command("list")
def user_list_command(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """List the users with their roles and countries."""
    users = _workbench(database).users()
    if as_json:
        print_json([u.to_dict() for u in users])
        return
    table = Table("user", "role", "state", "countries")
    for u in users:
        table.add_row(
            u.name, u.role, "disabled" if u.disabled else "active", ", ".join(u.countries)
        )
    out.print(table)


@user_app.command("disable")
def user_disable_command(
    name: Annotated[str, typer.Argument(help="the user")], database: DatabaseOption = None
) -> None:
    """Disable a user: no more logins, and their sessions end now."""
    info = _workbench(database).disable(name)
    _say(f"disabled {info.name}")


@edition_app.command("open")
def edition_open_command(
    edition: Annotated[int, typer.Argument(help="the edition's year, e.g. 2025")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="the admin opening it (default: the only admin)")
    ] = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open an edition: a draft per country and territory of the previous edition,
    pre-filled with its scores and (where imported) its report's text."""
    from fiw.workbench.errors import WorkbenchError

    wb = _workbench(database)
    if as_user is None:
        admins = [u.name for u in wb.users() if u.role == "admin" and not u.disabled]
        if len(admins) != 1:
            raise WorkbenchError(
                f"{len(admins)} admins: say which one opens the edition",
                where="--as",
                fix="add one with `fiw user add NAME --role admin`"
                if not admins
                else "use --as NAME",
            )
        as_user = admins[0]
    opened = wb.open_edition(wb.system_actor(as_user), edition)
    if as_json:
        print_json(opened)
        return
    _say(
        f"opened {opened['edition']} from {opened['previous']}: "
        f"{len(opened['created'])} drafts created"
    )
