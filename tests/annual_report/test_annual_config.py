"""The configuration file: what it sets, and one line naming the key for every mistake."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from orbit_adapters.annual_report.config import ConfigError, load_config
from orbit_domain.funding_rates import DEFAULT_RATES

GOOD = """
organisation_name = "OrbitArena Arbeidsinkludering AS"
place = "Jessheim"

[targets]
AFT = { placement_rate = 0.50 }

[[national_average]]
year = 2024
programme = "AFT"
source = "Arbeid & Inkludering, nøkkeltall 2024"
placement_rate = 0.49
gender = { female = 0.46, male = 0.54 }

[socioeconomic]
saving_per_person_nok = 4_200_000
years_in_work = 10
source = "Samfunnsøkonomisk analyse AS"

[funding.rates]
2024 = { AFT = 20300 }
2027 = { AFT = 22000, VTA = 18000 }
"""


NATIONAL = "[[national_average]]\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orbit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_whole_configuration_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))

    assert config.organisation_name == "OrbitArena Arbeidsinkludering AS"
    assert config.targets["AFT"] == Decimal("0.5")
    national = config.national_average("AFT", 2025)
    assert national is not None
    assert national.year == 2024
    assert national.gender == {"female": Decimal("0.46"), "male": Decimal("0.54")}
    assert config.socioeconomic is not None
    assert config.socioeconomic.saving_per_person_nok == 4_200_000
    assert config.rates[2024] == {"AFT": 20300, "VTA": 16231}  # VTA keeps its default
    assert config.rates[2027] == {"AFT": 22000, "VTA": 18000}
    assert config.rates[2025] == DEFAULT_RATES[2025]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "blue"', "orbit.toml: colour: unknown key"),
        (
            "[targets]\nAFT = { placement_rate = 1.2 }",
            "targets.AFT.placement_rate: 1.2 is a share above 1",
        ),
        (
            NATIONAL + "year = 24\nprogramme = 'AFT'\nsource = 'x'\nplacement_rate = 0.4",
            "national_average[0].year: 24 is not a year",
        ),
        ('[funding.rates]\n"twenty" = { AFT = 1 }', "funding.rates.twenty: 'twenty' is not a year"),
        (
            '[[national_average]]\nyear = 2024\nprogramme = "AFT"\nplacement_rate = 0.49',
            "national_average[0].source is missing: a national average needs its source",
        ),
        ("[targets]\naft = { placement_rate = 0.5 }", "targets.aft: 'aft' is not a programme code"),
        (
            NATIONAL
            + "year = 2024\nprogramme = 'AFT'\nsource = 'x'\ngender = { female = 0.7, male = 0.5 }",
            "national_average[0].gender: the shares add up to more than 1",
        ),
        (
            "[socioeconomic]\nsaving_per_person_nok = 1\nyears_in_work = 10",
            "socioeconomic.source is missing",
        ),
        (
            "[funding.rates]\n2024 = { AFT = -5 }",
            "funding.rates.2024.AFT: must be whole kroner above 0, not -5",
        ),
        ("organisation_name = ", "not valid TOML"),
    ],
)
def test_a_bad_configuration_is_one_line_naming_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, text))

    assert message in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path / "orbit.toml"))
    assert "\n" not in str(raised.value)


def test_the_configuration_example_of_the_docs_is_valid(tmp_path: Path) -> None:
    docs = Path(__file__).parents[2] / "docs" / "annual-report.md"
    (example,) = re.findall(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), re.DOTALL)

    config = load_config(write(tmp_path, example))

    assert config.organisation_name == "OrbitArena Arbeidsinkludering AS"
    assert config.socioeconomic is not None


def test_a_configuration_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "orbit.toml"
    path.write_bytes('place = "Jessheim"\n'.encode("utf-16"))

    with pytest.raises(ConfigError) as raised:
        load_config(path)

    assert str(raised.value) == f"{path}: not UTF-8 (TOML files are UTF-8)"
