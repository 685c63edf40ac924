"""The command grammar: aliases, quotes, facets, prefixes; and it never raises on anything typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.runtime import Runtime
from handlers.context import CommandContext, Deps
from handlers.dispatch import handle
from handlers.parser import parse, strip_prefix


@pytest.mark.parametrize(
    ("text", "name", "words", "facets"),
    [
        ("search cybercrime", "search", ["cybercrime"], {}),
        ("s ransomware agency:europol", "search", ["ransomware"], {"agency": ["europol"]}),
        ('find "joint investigation team" since:2024-01', "search", ["joint investigation team"],
         {"since": ["2024-01"]}),
        ("search area:\"cyber crime\" country:md", "search", [], {"area": ["cyber crime"], "country": ["md"]}),
        ("SUB europol “money mules”", "subscribe", ["europol", "money mules"], {}),
        ("unfollow 3", "unsubscribe", ["3"], {}),
        ("l", "latest", [], {}),
        ("subs", "subscriptions", [], {}),
        ("", "help", [], {}),
        ("dance now", "help", [], {}),
        ("search http://x.org/a:b", "search", ["http://x.org/a:b"], {}),
    ],
)
def test_grammar(text: str, name: str, words: list[str], facets: dict[str, list[str]]) -> None:
    command = parse(text)
    assert command.name == name
    assert [w.text for w in command.words] == words
    assert command.facets == facets


def test_a_leading_minus_leaves_a_word_a_phrase_or_a_facet_out() -> None:
    command = parse('search cybercrime -europol -"press conference" -kind:training anti-mafia - x')
    assert [(w.text, w.quoted, w.excluded) for w in command.words] == [
        ("cybercrime", False, False), ("europol", False, True), ("press conference", True, True),
        ("anti-mafia", False, False), ("-", False, False), ("x", False, False)]
    assert command.facets == {} and command.excluded_facets == {"kind": ["training"]}
    assert command.rest == 'cybercrime -europol -"press conference" anti-mafia - x'


def test_unknown_command_is_named() -> None:
    assert parse("dance now").unknown == "dance"


@pytest.mark.parametrize(
    ("line", "expected"),
    [("/coop search x", "search x"), ("!coop help", "help"), ("!coop", ""), ("hello", None), ("/coopx", None)],
)
def test_prefixes(line: str, expected: str | None) -> None:
    assert strip_prefix(line) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises(text: str) -> None:
    assert parse(text).name


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["search", "latest", "show", "subscribe", "unsubscribe", "sources", "help", "x"]),
       st.text(max_size=80))
def test_every_command_always_replies(seeded_deps: Deps, name: str, rest: str) -> None:
    ctx = CommandContext(platform="console", channel="fuzz")
    reply = handle(f"{name} {rest}", ctx, seeded_deps)
    assert reply.text


@pytest.fixture(scope="module")
def seeded_deps(tmp_path_factory: pytest.TempPathFactory) -> Deps:
    from bot.settings import Settings

    folder = tmp_path_factory.mktemp("fuzz")
    sources = folder / "sources.toml"
    sources.write_text("sources = []\n", encoding="utf-8")
    settings_ = Settings(COOP_DATABASE_URL=f"sqlite:///{folder / 'c.sqlite3'}", COOP_SOURCES=sources)
    runtime = Runtime.build(settings_)
    runtime.seed()
    return Deps(store=runtime.store, taxonomy=runtime.taxonomy, ingestor=runtime.ingestor)
