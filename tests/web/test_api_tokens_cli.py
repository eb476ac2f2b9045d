"""``orbit tokens``: a secret shown once, only its hash stored; listing and revoking."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from orbit_adapters.service import Orbit
from orbit_adapters.store.schema import tokens_table
from orbit_adapters.web import server
from orbit_cli.main import cli


@pytest.fixture
def url(tmp_path: Path, sample_path: Path) -> str:
    store = f"sqlite:///{tmp_path / 'orbit.db'}"
    with Orbit.open(store, organisation="alpha") as orbit:
        orbit.import_file(sample_path)
    return store


def orbit(url: str, *arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", url, *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_create_prints_the_secret_once_and_stores_only_its_hash(url: str) -> None:
    code, out, err = orbit(url, "tokens", "create", "--organisation", "alpha", "--role", "reader")
    assert code == 0, err
    secret = out.strip()
    assert len(secret) >= 40
    assert "reader of alpha" in err
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(tokens_table)).all()
    engine.dispose()
    assert [row.secret_hash for row in rows] == [hashlib.sha256(secret.encode()).hexdigest()]
    assert secret.encode() not in Path(url.removeprefix("sqlite:///")).read_bytes()
    code, listed, _ = orbit(url, "tokens", "list")
    assert code == 0
    assert secret not in listed
    token_id, role, organisation, _, expires, state = listed.strip().split("\t")
    assert (token_id, role, organisation, expires, state) == (
        rows[0].token_id,
        "reader",
        "alpha",
        "never",
        "active",
    )


def test_an_empty_list_says_so_beside_the_output(url: str) -> None:
    code, out, err = orbit(url, "tokens", "list")

    assert (code, out) == (0, "")
    assert err == "no tokens yet: make one with 'orbit tokens create'\n"


def test_revoke_and_expiry_show_in_the_list(url: str) -> None:
    orbit(url, "tokens", "create", "--all-organisations", "--role", "importer")
    orbit(url, "tokens", "create", "--organisation", "alpha", "--role", "reader",
          "--expires", "2999-01-01")  # fmt: skip
    _, listed, _ = orbit(url, "tokens", "list")
    admin, dated = (line.split("\t") for line in listed.strip().splitlines())
    assert admin[2] == "*"
    assert dated[4] == "2999-01-01T00:00:00Z"
    code, out, _ = orbit(url, "tokens", "revoke", admin[0])
    assert code == 0
    assert out.startswith(f"token {admin[0]} revoked at ")
    _, listed, _ = orbit(url, "tokens", "list")
    assert listed.splitlines()[0].endswith("\trevoked")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["create", "--role", "reader"], "give either --organisation NAME or --all-organisations"),
        (
            ["create", "--role", "reader", "--organisation", "a", "--all-organisations"],
            "give either --organisation NAME or --all-organisations",
        ),
        (
            ["create", "--role", "reader", "--organisation", "a", "--expires", "2001-01-01"],
            "in the past",
        ),
        (["revoke", "nosuch"], "no token nosuch in this store"),
    ],
)
def test_mistakes_are_one_line(url: str, arguments: list[str], message: str) -> None:
    code, _, err = orbit(url, "tokens", *arguments)
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_serve_without_its_extra_says_how_to_install_it(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise server.ServeUnavailableError(server.INSTALL_HINT)

    monkeypatch.setattr(server, "check_serve_installed", missing)
    code, _, err = orbit(url, "serve")
    assert code == 1
    assert err.strip() == "Error: orbit serve needs FastAPI and uvicorn: pip install 'orbit[serve]'"
