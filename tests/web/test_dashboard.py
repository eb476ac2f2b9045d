"""The dashboard through FastAPI's TestClient: sign-in, CSRF, access, language and figures."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.etree import ElementTree

import html5lib
import pytest
from click.testing import CliRunner
from dashboard_support import KnownStore, fill_store, new_token, revoke
from fastapi.testclient import TestClient

from orbit_adapters import importing
from orbit_adapters.annual_report.numbers import NumberFormat
from orbit_adapters.web.app import create_app
from orbit_adapters.web.backend import Role
from orbit_adapters.web.orbit_backend import AUTHENTICATION_SECONDS, OrbitBackend
from orbit_adapters.web.settings import WebSettings
from orbit_cli.main import cli

HTML = "{http://www.w3.org/1999/xhtml}"
SETTINGS = WebSettings(failed_sign_ins_burst=3, failed_sign_ins_per_minute=1.0)


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownStore:
    """Two organisations with the conformance sample (imported once for the module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'orbit.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importing, "CLOCK_SKEW", dt.timedelta(days=36_525))
        return fill_store(url)


@pytest.fixture
def store(known: KnownStore) -> str:
    return known.url


@contextmanager
def serving(
    known: KnownStore, settings: WebSettings = SETTINGS, **options: Any
) -> Iterator[TestClient]:
    """``orbit serve``'s application over the store, as a test client that shows redirects."""
    backend = OrbitBackend.open(known.url, settings)
    try:
        with TestClient(create_app(backend, settings), follow_redirects=False, **options) as client:
            yield client
    finally:
        backend.close()


@pytest.fixture
def client(known: KnownStore) -> Iterator[TestClient]:
    with serving(known) as client:
        yield client


def form_secret(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', page)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, token: str) -> Any:
    form = client.get("/sign-in")
    return client.post("/sign-in", data={"token": token, "csrf": form_secret(form.text)})


def parse(page: str) -> ElementTree.Element:
    document: ElementTree.Element = html5lib.parse(page)
    return document


def figures(page: str) -> dict[str, dict[str, str]]:
    """Every figure row of the page by its data-key: the text of each period's cell."""
    rows: dict[str, dict[str, str]] = {}
    for row in parse(page).iter(f"{HTML}tr"):
        key = row.get("data-key")
        if key is None:
            continue
        assert key not in rows, f"{key} is on the page twice"
        rows[key] = {
            cell.get("data-period", ""): "".join(cell.itertext()).strip()
            for cell in row.iter(f"{HTML}td")
        }
    return rows


def cli_report(store: str, organisation: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        ["--store", store, "--organisation", organisation, "replay", *args, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


# --- signing in and out ------------------------------------------------------------------


def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(
    known: KnownStore,
    client: TestClient,
) -> None:
    answer = client.get("/organisations/north?from=2025-01-01")
    assert answer.status_code == 303
    assert (
        answer.headers["location"] == "/sign-in?next=%2Forganisations%2Fnorth%3Ffrom%3D2025-01-01"
    )

    form = client.get(answer.headers["location"])
    signed = client.post(
        "/sign-in",
        data={
            "token": known.reader.secret,
            "csrf": form_secret(form.text),
            "next": "/organisations/north",
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/organisations/north"


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example"]
)
def test_sign_in_never_sends_the_browser_to_another_site(
    known: KnownStore, client: TestClient, elsewhere: str
) -> None:
    form = client.get("/sign-in", params={"next": elsewhere})
    assert 'name="next" value=""' in form.text  # not carried into the form
    signed = client.post(
        "/sign-in",
        data={"token": known.reader.secret, "csrf": form_secret(form.text), "next": elsewhere},
    )
    assert signed.headers["location"] == "/organisations"


def test_signing_in_sets_a_session_cookie_that_scripts_and_other_sites_cannot_use(
    known: KnownStore,
    client: TestClient,
) -> None:
    answer = sign_in(client, known.reader.secret)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/organisations"
    cookie = next(
        header
        for header in answer.headers.get_list("set-cookie")
        if header.startswith("orbit_session=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags
    assert "samesite=strict" in flags
    assert "secure" not in flags  # plain http: a Secure cookie would never come back
    assert known.reader.secret not in cookie  # the cookie holds a random id, never the token
    page = client.get("/organisations")
    assert page.status_code == 200
    assert 'href="/organisations/north"' in page.text


def cookie_flags(answer: Any, name: str) -> set[str]:
    header = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(f"{name}="))
    return {part.strip().lower() for part in header.split(";")}


@pytest.mark.parametrize(
    ("settings", "base_url"),
    [
        (WebSettings(secure_cookies=True), "http://testserver"),
        (WebSettings(), "https://testserver"),
    ],
    ids=["settings-say-tls", "request-over-https"],
)
def test_the_cookies_are_secure_behind_tls(
    known: KnownStore, settings: WebSettings, base_url: str
) -> None:
    """Behind a proxy that ends TLS the server sees http, and the settings say TLS."""
    with serving(known, settings, base_url=base_url) as client:
        form = client.get("/sign-in")
        assert "secure" in cookie_flags(form, "orbit_sign_in")
        secret = form_secret(form.text)
        answer = client.post(
            "/sign-in",
            data={"token": known.reader.secret, "csrf": secret},
            headers={"cookie": f"orbit_sign_in={secret}"},  # as the browser sends it over https
        )
    assert answer.status_code == 303
    assert {"secure", "httponly", "samesite=strict"} <= cookie_flags(answer, "orbit_session")


def test_a_sign_in_without_its_form_secret_is_refused(
    known: KnownStore, client: TestClient
) -> None:
    client.get("/sign-in")
    for posted in (
        {"token": known.reader.secret},
        {"token": known.reader.secret, "csrf": "forged"},
    ):
        answer = client.post("/sign-in", data=posted)
        assert answer.status_code == 403
        assert "orbit_session" not in answer.headers.get("set-cookie", "")
    assert client.get("/organisations").status_code == 303


def test_signing_out_needs_the_sessions_csrf_token(known: KnownStore, client: TestClient) -> None:
    sign_in(client, known.reader.secret)
    page = client.get("/organisations")

    refused = client.post("/sign-out", data={"csrf": "not-the-token"})
    assert refused.status_code == 403
    assert "Skjemaet kunne ikke bekreftes" in refused.text
    assert client.get("/organisations").status_code == 200  # still signed in

    answer = client.post("/sign-out", data={"csrf": form_secret(page.text)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in"
    assert client.get("/organisations").status_code == 303


def test_an_unknown_token_is_refused_and_repeated_failures_are_throttled(
    known: KnownStore,
    client: TestClient,
) -> None:
    for _ in range(3):  # the settings' burst
        answer = sign_in(client, "no-such-token")
        assert answer.status_code == 401
        assert "Tilgangsnøkkelen er ukjent, utløpt eller trukket tilbake." in answer.text
    throttled = sign_in(client, known.reader.secret)
    assert throttled.status_code == 429
    assert "For mange mislykkede innlogginger" in throttled.text


def test_a_revoked_token_ends_its_session(client: TestClient, known: KnownStore) -> None:
    token = new_token(known.url, Role.READER, "north")
    sign_in(client, token.secret)
    assert client.get("/organisations").status_code == 200
    revoke(known.url, token)
    time.sleep(AUTHENTICATION_SECONDS)  # the backend believes a token for this long
    answer = client.get("/organisations")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/sign-in")
    revoked = new_token(known.url, Role.READER, "north")
    revoke(known.url, revoked)
    assert sign_in(client, revoked.secret).status_code == 401


# --- who sees what -----------------------------------------------------------------------


def test_another_organisation_is_a_404_identical_to_one_that_does_not_exist(
    known: KnownStore,
    client: TestClient,
) -> None:
    sign_in(client, known.reader.secret)
    other = client.get("/organisations/south")
    missing = client.get("/organisations/nowhere")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert "south" not in other.text
    download = client.get("/organisations/south/annual-report?year=2024&lang=nb&format=pdf")
    assert download.status_code == 404
    assert download.content == missing.content


def test_an_admin_reader_sees_every_organisation(known: KnownStore, client: TestClient) -> None:
    sign_in(client, known.admin.secret)
    page = client.get("/organisations")
    assert 'href="/organisations/north"' in page.text
    assert 'href="/organisations/south"' in page.text
    assert client.get("/organisations/south?from=2025-01-01").status_code == 200


def test_an_importer_token_is_told_it_cannot_read_reports(
    known: KnownStore, client: TestClient
) -> None:
    sign_in(client, known.importer.secret)
    listing = client.get("/organisations")
    assert listing.status_code == 200
    assert "Denne nøkkelen er en importnøkkel" in listing.text
    assert 'href="/organisations/north"' not in listing.text
    for path in ("/organisations/north", "/organisations/north/annual-report?year=2024"):
        answer = client.get(path)
        assert answer.status_code == 403
        assert "Denne nøkkelen er en importnøkkel" in answer.text
    assert client.get("/organisations/south").status_code == 404


# --- language ----------------------------------------------------------------------------


def test_pages_are_in_bokmal_by_default_and_switch_to_english_by_query_or_cookie(
    known: KnownStore,
    client: TestClient,
) -> None:
    page = client.get("/sign-in")
    assert '<html lang="nb">' in page.text
    assert "<h1>Logg inn</h1>" in page.text
    assert 'href="/sign-in?lang=en"' in page.text  # the switch

    english = client.get("/sign-in?lang=en")
    assert '<html lang="en">' in english.text
    assert "<h1>Sign in</h1>" in english.text
    assert "orbit_lang=en" in english.headers.get("set-cookie", "")

    sign_in(client, known.reader.secret)
    overview = client.get("/organisations/north?from=2025-01-01")
    assert '<html lang="en">' in overview.text  # remembered by the cookie
    assert "Key figures – AFT" in overview.text
    assert '<html lang="nb">' in client.get("/organisations?lang=nb").text

    # Signed in, the sign-in page sends the browser on, and keeps the language asked for.
    onwards = client.get("/sign-in?lang=en")
    assert onwards.status_code == 303
    assert "orbit_lang=en" in onwards.headers.get("set-cookie", "")
    assert '<html lang="en">' in client.get("/organisations").text


# --- the overview's figures ----------------------------------------------------------------


def test_the_overview_shows_the_reports_figures_against_the_same_period_last_year(
    known: KnownStore, client: TestClient, store: str
) -> None:
    sign_in(client, known.reader.secret)
    page = client.get("/organisations/north?from=2025-01-01&until=2025-06-30")
    assert page.status_code == 200
    shown = figures(page.text)
    now = cli_report(store, "north", "--from", "2025-01-01", "--until", "2025-06-30")
    then = cli_report(store, "north", "--from", "2024-01-01", "--until", "2024-06-30")
    fmt = NumberFormat("nb")

    assert now["programmes"], "the sample has programmes in the period"
    for code, programme in now["programmes"].items():
        before = then["programmes"][code]
        for key in ("participants_served", "active_at_end", "new_starts", "exits"):
            row = shown[f"{code}.{key}"]
            assert row["current"] == fmt.decimal(programme[key]), (code, key)
            assert row["previous"] == fmt.decimal(before[key]), (code, key)
            assert row["change"] == fmt.signed(programme[key] - before[key]), (code, key)
        for outcome, count in programme["exits_by_outcome"].items():
            assert shown[f"{code}.exits_by_outcome.{outcome}"]["current"] == fmt.decimal(count)
        waiting = programme["waiting"]
        assert shown[f"{code}.waiting.at_end"]["current"] == fmt.decimal(waiting["at_end"])
        used = shown[f"{code}.seat_usage.used_total"]["current"]
        assert used == fmt.figure(programme["seat_usage"]["used_total"], 1)
        if programme["exits"]:
            rate = shown[f"{code}.placement_rate"]["current"]
            assert rate == fmt.percent(round(programme["placement_rate"] * 100))

    audit = parse(page.text)
    fingerprints = {
        element.get("data-key"): "".join(element.itertext()).strip()
        for element in audit.iter(f"{HTML}dd")
    }
    assert fingerprints["fingerprint"] == now["fingerprint"]
    assert fingerprints["fingerprint.previous"] == then["fingerprint"]
    assert "orbit --organisation north replay --from 2025-01-01 --until 2025-06-30" in page.text


def test_every_chart_has_its_numbers_as_text_and_as_a_table(
    known: KnownStore, client: TestClient
) -> None:
    sign_in(client, known.reader.secret)
    page = client.get("/organisations/north?from=2025-01-01&until=2025-06-30")
    document = parse(page.text)
    charts = [div for div in document.iter(f"{HTML}div") if div.get("class") == "chart"]
    assert charts
    for chart in charts:
        assert chart.get("role") == "img"
        assert re.search(r"jan \d", chart.get("aria-label", "")), chart.get("aria-label")
    tables = [t for t in document.iter(f"{HTML}table") if t.get("class") == "months"]
    assert len(tables) == len(charts)


def test_the_period_defaults_to_the_year_so_far(
    known: KnownStore, client: TestClient, store: str
) -> None:
    sign_in(client, known.reader.secret)
    today = dt.datetime.now(dt.UTC).date()
    page = client.get("/organisations/north")
    assert f"1. januar {today.year} – " in page.text
    now = cli_report(store, "north", "--from", f"{today.year}-01-01", "--until", str(today))
    assert now["fingerprint"] in page.text


def test_the_audit_view_replays_as_known_at_a_moment(
    known: KnownStore, client: TestClient, store: str
) -> None:
    sign_in(client, known.reader.secret)
    page = client.get(
        "/organisations/north?from=2024-01-01&until=2024-12-31&known_at=2025-01-15T00:00"
    )
    assert page.status_code == 200
    then = cli_report(
        store,
        "north",
        "--from",
        "2024-01-01",
        "--until",
        "2024-12-31",
        "--known-at",
        "2025-01-15T00:00:00Z",
    )
    assert then["fingerprint"] in page.text
    assert 'value="2025-01-15T00:00"' in page.text  # the picker shows the moment chosen
    assert "--known-at 2025-01-15T00:00:00Z" in page.text
    assert figures(page.text)["AFT.exits"]["current"] == str(then["programmes"]["AFT"]["exits"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-13-01", "Fra og med: «2025-13-01» er ikke en dato (ÅÅÅÅ-MM-DD)."),
        ("from=2025-06-01&until=2025-01-01", "«Til og med» er før «Fra og med»."),
        ("from=1900-01-01&until=9999-12-31", "Perioden kan være høyst 10 år lang"),
        ("from=0001-01-01&until=0001-12-31", "Fra og med: «0001-01-01» er før 1900."),
        ("from=2015-01-01&until=2025-01-01", "Perioden kan være høyst 10 år lang"),
        ("known_at=yesterday", "Kunnskapstidspunkt: «yesterday» er ikke et tidspunkt"),
        ("weighting=half", "Vekting: «half» er ukjent (proportional eller nav)."),
    ],
)
def test_a_bad_picker_value_is_a_400_that_says_which(
    known: KnownStore, client: TestClient, query: str, message: str
) -> None:
    sign_in(client, known.reader.secret)
    answer = client.get(f"/organisations/north?{query}")
    assert answer.status_code == 400
    assert message in answer.text
    assert 'id="from"' in answer.text  # the picker is there to correct it


# --- downloads ---------------------------------------------------------------------------


def test_the_overview_links_the_annual_report_in_every_format_and_language(
    known: KnownStore, client: TestClient, store: str
) -> None:
    sign_in(client, known.reader.secret)
    page = client.get("/organisations/north?from=2025-01-01&until=2025-06-30")
    links = set(re.findall(r'href="(/organisations/north/annual-report\?[^"]+)"', page.text))
    expected = {
        f"/organisations/north/annual-report?year=2024&amp;lang={lang}&amp;format={fmt}"
        for lang in ("nb", "en")
        for fmt in ("html", "pdf", "xlsx", "json")
    }
    assert links == expected

    answer = client.get("/organisations/north/annual-report?year=2024&lang=en&format=json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    disposition = answer.headers["content-disposition"]
    assert disposition == 'attachment; filename="annual-report-2024.json"'
    document = answer.json()
    assert (document["year"], document["language"]) == (2024, "en")
    year = cli_report(store, "north", "--from", "2024-01-01", "--until", "2024-12-31")
    assert year["fingerprint"] in answer.text


def test_a_bad_download_parameter_is_a_400_page(known: KnownStore, client: TestClient) -> None:
    sign_in(client, known.reader.secret)
    answer = client.get("/organisations/north/annual-report?year=2024&lang=nb&format=docx")
    assert answer.status_code == 400
    assert "Format: «docx» er ukjent (html, pdf, xlsx eller json)." in answer.text


def test_pages_carry_no_script_and_a_strict_content_security_policy(
    known: KnownStore, client: TestClient
) -> None:
    sign_in(client, known.reader.secret)
    page = client.get("/organisations/north?from=2025-01-01&until=2025-06-30")
    assert "<script" not in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # none at all
    assert page.headers["cache-control"] == "no-store"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
