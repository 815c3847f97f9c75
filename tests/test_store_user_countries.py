"""Countries and names a user adds to the database: `fiw countries add`, `fiw countries alias`,
their checks against the package mapping, and the resolver the readers get."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

import fiw
from fiw.cli import app
from fiw.errors import UnknownCountry
from fiw.store.user_countries import CountryRefused, add_alias, add_country, resolver

runner = CliRunner()
NEW = "russian-occupied-territories-of-ukraine"
NAME = "Russian-Occupied Territories of Ukraine"


def test_an_added_territory_and_alias_resolve_and_are_listed(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    assert resolver(engine).lookup(NAME) is None
    added = runner.invoke(
        app, ["countries", "add", "--id", NEW, "--name", NAME, "--kind", "territory",
              "--region", "Eurasia", "--database", url],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    aliased = runner.invoke(app, ["countries", "alias", "Occupied Ukraine", NEW, "--database", url])
    assert aliased.exit_code == 0, aliased.output
    package_alias = runner.invoke(
        app, ["countries", "alias", "Qazaqstan", "KAZAKHSTAN", "--database", url]
    )
    assert package_alias.exit_code == 0, package_alias.output
    names = resolver(engine)
    assert names.lookup(NAME).id == NEW  # type: ignore[union-attr]
    assert names.lookup("occupied  ukraine").id == NEW  # type: ignore[union-attr]
    assert names.lookup("Qazaqstan").id == "kazakhstan"  # type: ignore[union-attr]
    assert names.lookup("Kenya").id == "kenya"  # type: ignore[union-attr]  (package underneath)
    listed = runner.invoke(app, ["countries", "--json", "--database", url])
    assert listed.exit_code == 0, listed.output
    body = json.loads(listed.stdout)
    assert [(c["id"], c["kind"], c["region"]) for c in body["added_countries"]] == [
        (NEW, "territory", "Eurasia")
    ]
    assert {a["name"]: a["country_id"] for a in body["added_aliases"]} == {
        "Occupied Ukraine": NEW, "Qazaqstan": "kazakhstan",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("cid", "name", "kind", "iso3", "says"),
    [
        ("Not A Slug", NAME, "territory", None, "lowercase slug"),
        ("kazakhstan", NAME, "territory", None, "already a country id"),
        (NEW, NAME, "province", None, "country, territory"),
        (NEW, NAME, "territory", "KAZ", "already the code of 'kazakhstan'"),
        (NEW, NAME, "territory", "K4Z", "three letters"),
        (NEW, "Ivory Coast", "country", None, "already names 'cote-divoire'"),
    ],
)
def test_add_refuses_what_clashes_with_the_package(
    engine: Engine, cid: str, name: str, kind: str, iso3: str | None, says: str
) -> None:
    with pytest.raises(CountryRefused, match=says):
        add_country(engine, cid, name, kind, iso3)
    assert resolver(engine).extra == {}


def test_an_alias_never_redirects_a_known_name(engine: Engine) -> None:
    add_country(engine, NEW, NAME, "territory")
    with pytest.raises(CountryRefused, match=r"already names 'ukraine'.*package"):
        add_alias(engine, "Ukraine", NEW)
    add_alias(engine, "Occupied Ukraine", NEW)
    with pytest.raises(CountryRefused, match=r"already names 'russian-occupied.*added alias"):
        add_alias(engine, "occupied ukraine", "ukraine")
    alias, new = add_alias(engine, "Occupied Ukraine", NEW)
    assert not new and alias.country_id == NEW
    with pytest.raises(UnknownCountry, match="close: kazakhstan"):
        add_alias(engine, "Qazaqstan", "kazakstan")


def test_cli_refusals_exit_2_naming_the_fix(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["countries", "alias", "Ivory Coast", "kenya", "--database", url])
    assert result.exit_code == 2
    assert "'Ivory Coast': already names 'cote-divoire'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("spelling", "cid"),
    [
        ("Congo, Dem. Rep.", "congo-kinshasa"),
        ("Korea, Rep.", "south-korea"),
        ("Ivory Coast", "cote-divoire"),
        ("Türkiye", "turkey"),
        ("Pakistan Kashmir", "pakistani-kashmir"),
        ("Lao PDR", "laos"),
        ("Republic of Moldova", "moldova"),
    ],
)
def test_dataset_country_reads_other_datasets_spellings(
    imported_url: str, spelling: str, cid: str
) -> None:
    assert fiw.open(imported_url).country(spelling).id == cid


def test_status_filters_read_other_datasets_spellings(imported_url: str) -> None:
    ds = fiw.open(imported_url)
    partly = ds.scores(edition=2024, status="Partially Free")
    assert len(partly) > 0 and set(partly["status"]) == {"Partly Free"}
    assert len(partly) == len(ds.scores(edition=2024, status="PF"))
