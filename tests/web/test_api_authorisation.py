"""Who may do what: every endpoint against every kind of token (docs/http-api.md, "Access")."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_api_support import ALPHA, Served, served

from conftest import SAMPLE, SAMPLE_SKEW
from orbit_adapters import importing
from orbit_adapters.web.settings import WebSettings

ORG = f"/api/v1/organisations/{ALPHA}"
EXPORTED: list[bytes] = []

# endpoint name -> (method, path)
ENDPOINTS = {
    "organisations": ("GET", "/api/v1/organisations"),
    "report": ("GET", f"{ORG}/report?until=2024-12-31"),
    "annual-report": ("GET", f"{ORG}/annual-report?year=2024&format=json"),
    "import": ("POST", f"{ORG}/events"),
    "export": ("GET", f"{ORG}/events"),
    "healthz": ("GET", "/healthz"),
}

# who -> what each endpoint answers them
NO_ACCESS = dict.fromkeys(ENDPOINTS, 401) | {"healthz": 200}
EXPECTED: dict[str, dict[str, int]] = {
    "none": NO_ACCESS,
    "expired": NO_ACCESS,
    "revoked": NO_ACCESS,
    "garbage": NO_ACCESS,
    "other_reader": {
        "organisations": 200,
        "report": 404,
        "annual-report": 404,
        "import": 404,
        "export": 404,
        "healthz": 200,
    },
    "other_importer": {
        "organisations": 200,
        "report": 404,
        "annual-report": 404,
        "import": 404,
        "export": 404,
        "healthz": 200,
    },
    "reader": {
        "organisations": 200,
        "report": 200,
        "annual-report": 200,
        "import": 403,
        "export": 403,
        "healthz": 200,
    },
    "importer": {
        "organisations": 200,
        "report": 403,
        "annual-report": 403,
        "import": 200,
        "export": 200,
        "healthz": 200,
    },
    "admin_reader": {
        "organisations": 200,
        "report": 200,
        "annual-report": 200,
        "import": 403,
        "export": 403,
        "healthz": 200,
    },
    "admin_importer": {
        "organisations": 200,
        "report": 403,
        "annual-report": 403,
        "import": 200,
        "export": 200,
        "healthz": 200,
    },
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One store for the whole matrix (SQLite): the calls change nothing in it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'orbit.db'}"
    with pytest.MonkeyPatch.context() as patch:
        # The sample is recorded up to 2032 (tests/conftest.py, a module-wide fixture here).
        patch.setattr(importing, "CLOCK_SKEW", SAMPLE_SKEW)
        with served(url, SAMPLE) as serving:
            EXPORTED.append(
                serving.client.get(f"{ORG}/events", headers=serving.auth("importer")).content
            )
            yield serving


def _headers(api: Served, who: str) -> dict[str, str]:
    if who == "none":
        return {}
    if who == "garbage":
        return {"Authorization": "Bearer not-a-token"}
    return api.auth(who)


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_access(api: Served, who: str, endpoint: str) -> None:
    method, path = ENDPOINTS[endpoint]
    body = EXPORTED[0] if method == "POST" else None
    response = api.client.request(method, path, headers=_headers(api, who), content=body)
    assert response.status_code == EXPECTED[who][endpoint], response.text
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    if endpoint == "import" and response.status_code == 200:
        assert response.json()["stored"] == 0  # the store's own events: idempotent


def test_another_organisation_looks_exactly_like_one_that_does_not_exist(api: Served) -> None:
    for endpoint in ("report", "annual-report", "export", "import"):
        method, path = ENDPOINTS[endpoint]
        who = "other_importer" if endpoint in {"import", "export"} else "other_reader"
        theirs = api.client.request(method, path, headers=api.auth(who), content=b"")
        admin = "admin_importer" if endpoint in {"import", "export"} else "admin_reader"
        missing = api.client.request(
            method, path.replace(ALPHA, "nosuch"), headers=api.auth(admin), content=b""
        )
        if endpoint == "import":  # an importer may start a new organisation: no 404 for it
            assert theirs.status_code == 404
            continue
        assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)


def test_every_request_is_logged_with_the_token_id_never_the_token(
    api: Served, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="orbit.serve.requests"):
        api.client.get(ENDPOINTS["report"][1], headers=api.auth("reader"))
        api.client.get(ENDPOINTS["report"][1], headers=api.auth("other_reader"))
        api.client.get(ENDPOINTS["report"][1])
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3
    principal = api.backend.authenticate(api.tokens["reader"])
    assert principal is not None
    assert f"/api/v1/organisations/{ALPHA}/report 200 token={principal.token_id} " in lines[0]
    assert f"organisation={ALPHA}" in lines[0]
    assert " 404 " in lines[1]
    assert " 401 token=- " in lines[2]
    for line in lines:
        assert "until=" not in line  # the path, not the query
        for secret in api.tokens.values():
            assert secret not in line


def test_failed_authentications_are_rate_limited_per_address(
    tmp_path: Path, sample_path: Path
) -> None:
    settings = WebSettings(failed_sign_ins_burst=3, failed_sign_ins_per_minute=1)
    with served(f"sqlite:///{tmp_path / 'orbit.db'}", sample_path, settings) as api:
        wrong = {"Authorization": "Bearer guess"}
        statuses = [
            api.client.get("/api/v1/organisations", headers=wrong).status_code for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        refused = api.client.get("/api/v1/organisations", headers=api.auth("reader"))
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert api.client.get("/healthz").status_code == 200
