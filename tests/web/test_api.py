"""Each row of the HTTP API's table, through an in-process client, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_api_support import ALPHA, BETA, NOW, Served, new_referral, served, serving

from conftest import SAMPLE, SAMPLE_SKEW
from orbit_adapters import importing
from orbit_adapters.read_model import saved_reports
from orbit_adapters.service import Orbit
from orbit_adapters.web.app import create_app
from orbit_adapters.web.backend import Role
from orbit_adapters.web.orbit_backend import OrbitBackend
from orbit_adapters.web.settings import WebSettings
from orbit_cli.main import cli
from postgres_databases import PostgresDatabases

REPORT = f"/api/v1/organisations/{ALPHA}/report"
EVENTS = f"/api/v1/organisations/{ALPHA}/events"
ANNUAL = f"/api/v1/organisations/{ALPHA}/annual-report"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One served store on each database for the tests that change nothing in it (filling
    one takes seconds); the tests that import use ``own_api``."""
    folder = tmp_path_factory.mktemp(f"api-{request.param}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importing, "CLOCK_SKEW", SAMPLE_SKEW)  # conftest's, for the module
        if request.param == "sqlite":
            with served(f"sqlite:///{folder / 'orbit.db'}", SAMPLE) as store:
                yield store
            return
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        patch.setenv("ORBIT_KEY_FILE", str(folder / "postgres-master.key"))
        name = databases.take()
        try:
            with served(databases.url(name), SAMPLE) as store:
                yield store
        finally:
            databases.give_back(name)


@pytest.fixture
def own_api(store_url: str, sample_path: Path) -> Iterator[Served]:
    """A served store of the test's own, which it may change."""
    with served(store_url, sample_path) as store:
        yield store


def stored_events(url: str) -> dict[str, int]:
    """How many events each organisation of the store holds."""
    with Orbit.open(url, create=False, key_required=False) as orbit:
        return orbit.organisations()


def cli_output(url: str, *arguments: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--store", url, "--organisation", ALPHA, "--quiet", *arguments],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_healthz_answers_without_a_token(api: Served) -> None:
    response = api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_organisations_lists_what_the_token_may_see(api: Served) -> None:
    def listed(token: str) -> list[str]:
        response = api.client.get("/api/v1/organisations", headers=api.auth(token))
        assert response.status_code == 200
        return list(response.json()["organisations"])

    assert listed("reader") == [ALPHA]
    assert listed("other_importer") == [BETA]
    assert listed("admin_reader") == [ALPHA, BETA]


@pytest.mark.parametrize(
    "query",
    [
        "until=2024-12-31",
        "from=2023-07-01&until=2024-06-30&weighting=nav",
        "until=2024-12-31&known_at=2024-06-30T00:00:00Z",
    ],
)
def test_report_is_byte_for_byte_what_orbit_replay_prints(api: Served, query: str) -> None:
    response = api.client.get(f"{REPORT}?{query}", headers=api.auth("reader"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    options = {"from": "--from", "until": "--until", "weighting": "--weighting"}
    options["known_at"] = "--known-at"
    arguments = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        arguments += [options[name], value]
    assert response.text == cli_output(api.url, "replay", *arguments, "--format", "json")


def test_a_warm_report_replays_nothing_even_after_a_restart(
    api: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = api.client.get(f"{REPORT}?until=2024-12-31", headers=api.auth("reader"))
    again = api.client.get(f"{REPORT}?until=2024-12-31", headers=api.auth("reader"))
    assert again.content == first.content
    assert api.backend.read_model.stats.hits >= 1

    def no_replay(*_arguments: object, **_options: object) -> None:
        raise AssertionError("a warm report replayed events")

    # A new server over the same store: its memory is empty, the store's saved tallies are not.
    monkeypatch.setattr(saved_reports, "_replay_and_save", no_replay)
    settings = WebSettings(poll_seconds=0.05)
    backend = OrbitBackend.open(api.url, settings)
    try:
        with TestClient(create_app(backend, settings)) as client:
            restarted = client.get(f"{REPORT}?until=2024-12-31", headers=api.auth("reader"))
        assert restarted.content == first.content
    finally:
        backend.close()


def test_bad_report_parameters_are_400_with_one_line(api: Served) -> None:
    for query, reason in [
        ("", "until is missing"),
        ("until=2024-02-30", "until='2024-02-30' is not a date"),
        ("until=2024-01-01&from=2024-06-01", "the period is empty"),
        ("until=9999-12-31&from=1900-01-01", "the period from 1900-01-01 until 9999-12-31 is"),
        ("until=2034-01-01&from=2024-01-01", "the period from 2024-01-01 until 2034-01-01 is"),
        ("until=2024-12-31&weighting=heavy", "weighting='heavy' is not proportional or nav"),
        ("until=2024-12-31&known_at=yesterday", "known_at='yesterday' is not a timestamp"),
    ]:
        response = api.client.get(f"{REPORT}?{query}", headers=api.auth("reader"))
        assert response.status_code == 400, query
        message = response.json()["error"]
        assert message.startswith(reason), message
        assert "\n" not in message


def test_a_period_just_under_ten_years_is_answered(api: Served) -> None:
    response = api.client.get(
        f"{REPORT}?from=2024-01-01&until=2033-12-31", headers=api.auth("reader")
    )

    assert response.status_code == 200
    assert response.json()["period"] == {"from": "2024-01-01", "until": "2033-12-31"}


def test_a_known_at_with_an_unencoded_plus_is_read_as_its_offset(api: Served) -> None:
    plus = api.client.get(
        f"{REPORT}?until=2024-12-31&known_at=2024-06-30T02:00:00%2B02:00",
        headers=api.auth("reader"),
    )
    spaced = api.client.get(
        f"{REPORT}?until=2024-12-31&known_at=2024-06-30T02:00:00+02:00", headers=api.auth("reader")
    )
    assert plus.status_code == spaced.status_code == 200
    assert plus.content == spaced.content


def test_annual_report_json_is_the_document_of_orbit_annual_report(
    api: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    response = api.client.get(f"{ANNUAL}?year=2024&format=json&lang=en", headers=api.auth("reader"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    target = tmp_path / "annual.json"
    cli_output(
        api.url,
        "annual-report",
        "--year",
        "2024",
        "--lang",
        "en",
        "--format",
        "json",
        "--output",
        str(target),
    )
    assert response.content == target.read_bytes()


@pytest.mark.parametrize(
    ("output_format", "media_type", "start"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ],
)
def test_annual_report_formats(
    api: Served, output_format: str, media_type: str, start: bytes
) -> None:
    response = api.client.get(
        f"{ANNUAL}?year=2024&format={output_format}", headers=api.auth("reader")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.content.startswith(start)
    assert f"arsrapport-2024.{output_format}" in response.headers["content-disposition"]


def test_bad_annual_report_parameters_are_400(api: Served) -> None:
    for query, reason in [
        ("", "year is missing"),
        ("year=24", "year='24' is not a year"),
        ("year=2024&lang=de", "lang='de' is not one of nb, en"),
        ("year=2024&format=docx", "format='docx' is not one of html, pdf, xlsx, json"),
    ]:
        response = api.client.get(f"{ANNUAL}?{query}", headers=api.auth("reader"))
        assert response.status_code == 400, query
        assert response.json()["error"].startswith(reason)


def test_export_streams_what_orbit_export_writes(api: Served) -> None:
    with api.client.stream("GET", EVENTS, headers=api.auth("importer")) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        body = b"".join(response.iter_bytes())
    assert body.decode() == cli_output(api.url, "export")


def test_import_is_idempotent_by_id_and_visible_to_the_next_report(own_api: Served) -> None:
    before = own_api.client.get(f"{REPORT}?until=2024-12-31", headers=own_api.auth("reader")).json()
    lines = "\n".join(new_referral(f"P-API-{number}") for number in range(3)) + "\n"
    stored = own_api.client.post(EVENTS, content=lines, headers=own_api.auth("importer"))
    assert stored.status_code == 200
    assert stored.json() == {"stored": 3, "already_stored": 0}
    after = own_api.client.get(f"{REPORT}?until=2024-12-31", headers=own_api.auth("reader")).json()
    assert after["fingerprint"] != before["fingerprint"]
    assert after["events_replayed"] == before["events_replayed"] + 3
    again = own_api.client.post(EVENTS, content=lines, headers=own_api.auth("importer"))
    assert again.json() == {"stored": 0, "already_stored": 3}
    assert (
        own_api.client.get(f"{REPORT}?until=2024-12-31", headers=own_api.auth("reader")).json()
        == after
    )


def test_a_rejected_import_stores_nothing_and_names_each_bad_line(api: Served) -> None:
    stored = stored_events(api.url)
    body = "\n".join(
        [new_referral("P-GOOD"), "{not json", "", new_referral("P-GOOD2"), '{"type":1}']
    )
    response = api.client.post(EVENTS, content=body, headers=api.auth("importer"))
    assert response.status_code == 422
    answer = response.json()
    assert answer["error"] == "2 bad lines; nothing was stored"
    assert [problem["line"] for problem in answer["problems"]] == [2, 5]
    assert all(problem["message"] for problem in answer["problems"])
    assert stored_events(api.url) == stored


def test_an_import_into_a_new_organisation_of_the_token(own_api: Served) -> None:
    with Orbit.open(own_api.url, create=False, key_required=False) as orbit:
        secret = orbit.tokens().create(Role.IMPORTER, "gamma", now=NOW).secret
    headers = {"Authorization": f"Bearer {secret}"}
    response = own_api.client.post(
        "/api/v1/organisations/gamma/events", content=new_referral("P-G"), headers=headers
    )
    assert response.status_code == 200
    assert response.json()["stored"] == 1
    listed = own_api.client.get(
        "/api/v1/organisations", headers=own_api.auth("admin_reader")
    ).json()
    assert "gamma" in listed["organisations"]


def test_an_import_by_the_cli_reaches_the_served_reports(own_api: Served, tmp_path: Path) -> None:
    url = f"{REPORT}?until=2024-12-31"
    before = own_api.client.get(url, headers=own_api.auth("reader")).json()
    file = tmp_path / "more.jsonl"
    file.write_text(new_referral("P-CLI") + "\n")
    cli_output(own_api.url, "import", str(file))
    deadline = time.monotonic() + 10  # the follower polls every 0.05 s here
    while time.monotonic() < deadline:
        after = own_api.client.get(url, headers=own_api.auth("reader")).json()
        if after != before:
            break
        time.sleep(0.05)
    assert after["events_replayed"] == before["events_replayed"] + 1
    assert (
        json.loads(cli_output(own_api.url, "replay", "--until", "2024-12-31", "--format", "json"))
        == after
    )


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(api: Served) -> None:
    settings = WebSettings(max_body_bytes=1000, failed_sign_ins_burst=100)
    with serving(api.url, api.tokens, settings) as limited:
        body = (new_referral("P-BIG") + "\n") * 10
        declared = limited.client.post(EVENTS, content=body, headers=limited.auth("importer"))
        assert declared.status_code == 413
        assert declared.json()["error"] == "the body is larger than the limit of 1000 bytes"

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield (new_referral("P-BIG") + "\n").encode()

        streamed = limited.client.post(EVENTS, content=chunks(), headers=limited.auth("importer"))
        assert streamed.status_code == 413


def test_the_openapi_schema_is_served(api: Served) -> None:
    schema = api.client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation}/report",
        "/api/v1/organisations/{organisation}/annual-report",
        "/api/v1/organisations/{organisation}/events",
        "/healthz",
    }


def test_the_asgi_module_serves_the_store_named_by_the_environment(
    api: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORBIT_STORE", api.url)
    monkeypatch.delitem(sys.modules, "orbit_adapters.web.asgi", raising=False)
    asgi = importlib.import_module("orbit_adapters.web.asgi")
    try:
        with TestClient(asgi.app) as client:
            response = client.get(f"{REPORT}?until=2024-12-31", headers=api.auth("reader"))
        assert response.status_code == 200
    finally:
        asgi.backend.close()
        del sys.modules["orbit_adapters.web.asgi"]
