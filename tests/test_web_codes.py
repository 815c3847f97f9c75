"""The API's country objects carry the codes other datasets join on, against a real
`fiw serve` (on SQLite and PostgreSQL through the `client` fixture)."""

from __future__ import annotations

import csv
import io

import httpx

from fiw.sources.codes import CODE_FIELDS, all_codes
from tests.reports_data import reports_url
from tests.web_server import client, server

__all__ = ["client", "reports_url", "server"]  # fixtures


def test_country_objects_carry_the_codes(client: httpx.Client) -> None:
    countries = {c["id"]: c for c in client.get("/api/v1/countries").json()}
    codes = all_codes()
    for cid, country in countries.items():
        assert {f: country[f] for f in CODE_FIELDS} == codes[cid].to_dict(), cid
    assert countries["ussr"]["iso2"] == "SU" and countries["ussr"]["cow"] == 365
    assert all(countries["tibet"][f] is None for f in CODE_FIELDS)
    one = client.get("/api/v1/countries/KAZ").json()
    assert (one["iso2"], one["un_m49"], one["cow"], one["gw"]) == ("KZ", 398, 705, 705)
    history = client.get("/api/v1/countries/east-germany/history").json()
    assert (history["iso2"], history["cow"], history["gw"]) == ("DD", 265, 265)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/countries", params={"format": "csv"}).text)))  # fmt: skip
    germany = next(r for r in rows if r["id"] == "germany")
    assert (germany["cow"], germany["gw"]) == ("255", "260")
