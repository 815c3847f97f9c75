"""Countries and names a user adds (`fiw countries add`, `fiw countries alias`), kept in the
database so that a pip-installed fiw can import a new territory and an upgrade keeps it.

The package mapping (`fiw.sources.countries`) stays the default underneath: an added id may
not reuse a package id or ISO3 code, and an added alias may not redirect a name that already
maps to another country. `resolver()` hands both, as one `Resolver`, to the readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from fiw.errors import UnknownCountry
from fiw.sources.countries import ISO3, PACKAGE, SLUG, Country, Resolver
from fiw.store.database import describe
from fiw.store.errors import DatabaseError, StoreError
from fiw.store.schema import KINDS, Base, UserAlias, UserCountry
from fiw.store.state import bump_data_version

_COUNTRIES = Base.metadata.tables[UserCountry.__tablename__]
_ALIASES = Base.metadata.tables[UserAlias.__tablename__]


class CountryRefused(StoreError):
    """A country or alias that would clash with one fiw already knows; says which and how."""

    def __init__(self, what: str, reason: str, fix: str | None = None) -> None:
        self.where = what
        self.fix = fix
        super().__init__(f"{what}: {reason}")


@dataclass(frozen=True)
class AddedCountry:
    """A country or territory a user added, as `fiw countries` lists it."""

    id: str
    name: str
    kind: str
    iso3: str | None
    region: str | None
    added_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "iso3": self.iso3,
            "region": self.region,
            "added_at": self.added_at.isoformat(),
        }


@dataclass(frozen=True)
class AddedAlias:
    """A name a user mapped to a country id."""

    name: str
    country_id: str
    added_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "country_id": self.country_id,
            "added_at": self.added_at.isoformat(),
        }


def _has_tables(connection: Connection) -> bool:
    return bool(inspect(connection).has_table(_COUNTRIES.name))


def added(connection: Connection) -> tuple[list[AddedCountry], list[AddedAlias]]:
    """The countries and aliases users added, by id and by name (empty before migration)."""
    if not _has_tables(connection):
        return [], []
    c, a = _COUNTRIES.c, _ALIASES.c
    countries = [
        AddedCountry(r.id, r.name, r.kind, r.iso3, r.region, r.added_at)
        for r in connection.execute(
            select(c.id, c.name, c.kind, c.iso3, c.region, c.added_at).order_by(c.id)
        )
    ]
    aliases = [
        AddedAlias(r.name, r.country_id, r.added_at)
        for r in connection.execute(select(a.name, a.country_id, a.added_at).order_by(a.name))
    ]
    return countries, aliases


def resolver_on(connection: Connection) -> Resolver:
    """The package mapping with this database's added countries and aliases."""
    countries, aliases = added(connection)
    if not countries and not aliases:
        return PACKAGE
    return Resolver(
        (Country(id=c.id, name=c.name, iso3=c.iso3) for c in countries),
        {a.name: a.country_id for a in aliases},
    )


def resolver(engine: Engine) -> Resolver:
    """`resolver_on` over a fresh connection; DatabaseError when the database cannot be read."""
    try:
        with engine.connect() as connection:
            return resolver_on(connection)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open {describe(engine)}: {exc}") from exc


def _name_clash(names: Resolver, name: str, cid: str) -> None:
    owner = names.lookup(name)
    if owner is not None and owner.id != cid:
        where = "the package mapping" if PACKAGE.lookup(name) else "an added alias"
        raise CountryRefused(
            repr(name),
            f"already names {owner.id!r} ({where}); a name maps to one country only",
            fix=f"use another name, or look the country up as {owner.id!r}",
        )


def check_country(
    names: Resolver, cid: str, name: str, kind: str, iso3: str | None
) -> tuple[str, str, str, str | None]:
    """A new country's fields, checked against the package and the added ones."""
    cid, name = cid.strip(), " ".join(name.split())
    if not SLUG.match(cid):
        raise CountryRefused(
            f"--id {cid!r}",
            "expected a lowercase slug (letters, digits and single hyphens)",
            fix="e.g. russian-occupied-territories-of-ukraine",
        )
    if names.country(cid) is not None:
        raise CountryRefused(
            f"--id {cid!r}", "is already a country id", fix="`fiw countries` lists them"
        )
    if not name:
        raise CountryRefused("--name", "is empty; expected the country's name")
    if kind not in KINDS:
        raise CountryRefused(f"--kind {kind!r}", f"expected one of {', '.join(KINDS)}")
    code = iso3.strip().upper() if iso3 else None
    if code is not None:
        if not ISO3.match(code):
            raise CountryRefused(f"--iso3 {iso3!r}", "expected three letters (ISO 3166-1 alpha-3)")
        taken = next((c for c in _all(names) if c.iso3 == code), None)
        if taken is not None:
            raise CountryRefused(f"--iso3 {code}", f"is already the code of {taken.id!r}")
    _name_clash(names, name, cid)
    return cid, name, kind, code


def _all(names: Resolver) -> Iterable[Country]:
    from fiw.sources.countries import all_countries

    return (*all_countries(), *names.extra.values())


def add_country(
    engine: Engine,
    cid: str,
    name: str,
    kind: str,
    iso3: str | None = None,
    region: str | None = None,
) -> AddedCountry:
    """Add a country or territory to the database (one transaction); CountryRefused if its
    id, ISO3 code or name is taken."""
    from fiw.store.migrate import upgrade

    upgrade(engine)
    with engine.begin() as connection:
        cid, name, kind, code = check_country(resolver_on(connection), cid, name, kind, iso3)
        row = AddedCountry(cid, name, kind, code, (region or "").strip() or None, datetime.now(UTC))
        connection.execute(insert(_COUNTRIES).values(**vars(row)))
        bump_data_version(connection)
    return row


def add_countries(connection: Connection, rows: Iterable[Mapping[str, object]]) -> list[str]:
    """Add the countries an import brings (an export's ids unknown here: id, name, iso3, kind,
    region) that the database lacks, inside the import's transaction; the ids added."""
    names = resolver_on(connection)
    done: list[str] = []
    for row in rows:
        if names.country(str(row["id"])) is not None:
            continue  # added by an earlier file of the same import
        cid, name, kind, code = check_country(
            names, str(row["id"]), str(row["name"]), str(row["kind"]),
            None if row.get("iso3") is None else str(row["iso3"]),
        )  # fmt: skip
        region = None if row.get("region") is None else str(row["region"])
        new = AddedCountry(cid, name, kind, code, region, datetime.now(UTC))
        connection.execute(insert(_COUNTRIES).values(**vars(new)))
        names = Resolver((*names.extra.values(), Country(cid, name, code)), names.aliases)
        done.append(cid)
    return done


def add_alias(engine: Engine, name: str, cid: str) -> tuple[AddedAlias, bool]:
    """Map a name to a country id (package or added); returns the alias and whether it is
    new. CountryRefused if the name already maps to another country."""
    from fiw.store.migrate import upgrade

    upgrade(engine)
    name = " ".join(name.split())
    if not name:
        raise CountryRefused("NAME", "is empty; expected a country's name as a source spells it")
    with engine.begin() as connection:
        names = resolver_on(connection)
        country = names.country(cid.strip().lower())
        if country is None:
            close = names.suggest(cid)
            hint = f" (close: {', '.join(close)})" if close else ""
            raise UnknownCountry(
                cid,
                f"unknown country id {cid!r}{hint}: an alias maps a name to a known id",
                where="ID",
            )
        _name_clash(names, name, country.id)
        if names.lookup(name) is not None:
            return AddedAlias(name, country.id, datetime.now(UTC)), False
        row = AddedAlias(name, country.id, datetime.now(UTC))
        connection.execute(insert(_ALIASES).values(**vars(row)))
        bump_data_version(connection)
    return row, True
