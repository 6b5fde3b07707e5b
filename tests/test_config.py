"""sources.yaml is validated on load; every error names the file and the line."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from clipper.cli import main
from clipper.config import load_settings, parse_settings
from clipper.errors import ConfigError

DEFAULT = Path(__file__).parent.parent / "sources.yaml"

MINIMAL = """\
organization: mki
entities:
  - id: mki
    name: Министерство культуры и информации РК
    names:
      ru: [Министерство культуры и информации]
sources:
  - id: tengrinews
    name: Tengrinews.kz
    url: https://tengrinews.kz/news.rss
"""


def test_default_config_watches_the_ministry_under_current_and_former_names():
    settings = load_settings(DEFAULT)
    ministry = settings.entity(settings.organization)
    assert "Министерство культуры и информации" in ministry.names["ru"]
    assert "Министерство информации и общественного развития" in ministry.names["ru"]
    assert "Мәдениет және ақпарат министрлігі" in ministry.names["kk"]
    assert "Ministry of Culture and Information" in ministry.names["en"]
    assert len(settings.sources) >= 10
    assert {"ru", "kk", "en"} <= {s.lang for s in settings.sources}
    assert settings.problems == ()


def test_minimal_config_takes_defaults():
    settings = parse_settings(MINIMAL)
    assert settings.timezone == "Asia/Almaty"
    assert settings.fetch.per_host == 2
    assert settings.sources[0].lang == "ru"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("timezone", "organization: mki\ntimezone: Mars/Olympus"), 2, "unknown time zone"),
        (("organization: mki", "organization: mki\ncolour: red"), 2, "unknown key 'colour'"),
        (("organization: mki", "organization: nobody"), 1, "not one of the entities"),
        (("names:", "nams:"), 5, "unknown key 'nams'"),
        (("  - id: mki\n", "  - id: mki\n    role: boss\n"), 4, "role must be one of"),
        (("sources:\n", "fetch:\n  timeout: soon\nsources:\n"), 8, "timeout must be a number"),
    ],
)
def test_a_global_error_names_the_line(change, line, message):
    old, new = change
    text = MINIMAL.replace(old, new, 1) if old in MINIMAL else MINIMAL.replace(
        "organization: mki", new, 1)
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "sources.yaml")
    assert caught.value.line == line, str(caught.value)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"sources.yaml:{line}: ")


def test_a_bad_source_is_skipped_with_its_line_and_the_others_kept():
    text = MINIMAL + (
        "  - id: kaztag\n    name: KazTAG\n    ulr: https://kaztag.kz/rss\n"
        "  - id: vlast\n    name: Vlast\n    url: ftp://vlast.kz/rss\n"
        "  - id: orda\n    name: Orda\n    url: https://orda.kz/feed/\n    lang: uz\n"
    )
    settings = parse_settings(text, "sources.yaml")
    assert [s.id for s in settings.sources] == ["tengrinews"]
    messages = [str(p) for p in settings.problems]
    assert messages[0] == (
        "sources.yaml:13: source 'kaztag': unknown key 'ulr' "
        "(expected id, name, url, lang, kind, format, weight, delay, selector, enabled)"
    )
    assert messages[1].startswith("sources.yaml:16: source 'vlast': url must be")
    assert messages[2].startswith("sources.yaml:20: source 'orda': lang must be one of")


def test_broken_yaml_names_the_line():
    with pytest.raises(ConfigError) as caught:
        parse_settings(MINIMAL + "  - id: [unclosed\n", "sources.yaml")
    assert caught.value.line == 12
    assert "opened on line 11" in str(caught.value)
    assert "not valid YAML" in str(caught.value)


def test_config_check_exits_2_with_one_line(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(MINIMAL.replace("organization: mki", "organization: mki\ncolour: red"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {path}:2: top level: unknown key 'colour' " \
        "(expected organization, timezone, sources, entities, topics, fetch, dedupe, storylines, " \
        "digest, delivery, retention, alerts, browse, country)"


def test_config_check_accepts_the_default_file():
    result = CliRunner().invoke(main, ["config", "check", "--config", str(DEFAULT)])
    assert result.exit_code == 0, result.output
    assert "sources" in result.output


def test_a_telegram_source_is_a_public_channel_preview():
    text = MINIMAL + (
        "  - {id: mki-tg, name: МКИ, url: 'https://t.me/s/mki_kz', format: telegram}\n"
        "  - {id: bad-tg, name: Bad, url: 'https://t.me/mki_kz', format: telegram}\n"
    )
    settings = parse_settings(text, "sources.yaml")
    assert [s.id for s in settings.sources] == ["tengrinews", "mki-tg"]
    (problem,) = settings.problems
    assert str(problem) == ("sources.yaml:12: source 'bad-tg': a telegram source's url is "
                            "https://t.me/s/<channel>")
