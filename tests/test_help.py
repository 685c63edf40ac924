"""`help`, and what coop answers to a line that is no command: a typo of one, or a name typed alone."""

from __future__ import annotations

from handlers.commands.help import EXAMPLES, HELP
from handlers.context import Deps
from handlers.dispatch import handle
from tests.conftest import CHANNEL


def test_every_example_help_gives_works(deps: Deps) -> None:
    examples = handle("help", CHANNEL, deps).plain().split("Examples:\n", 1)[1].splitlines()
    assert len(examples) == len(EXAMPLES)
    for example in examples:
        reply = handle(example.removeprefix("  /coop "), CHANNEL, deps)
        assert not reply.error, (example, reply.text)


def test_help_on_one_command_and_every_example_it_gives_works(deps: Deps) -> None:
    deps.web_address = "https://coop.example.org"  # as an operator sets it, for export's examples
    for name in HELP:
        reply = handle(f"help {name}", CHANNEL, deps)
        assert reply.text.startswith(f"{name}: ") and not reply.error
        examples = reply.plain().split("Examples:\n", 1)[1].splitlines() if "Examples:" in reply.plain() else []
        for example in examples:
            answer = handle(example.removeprefix("  /coop "), CHANNEL, deps)
            assert not answer.error, (example, answer.text)
    assert handle("help sub", CHANNEL, deps).text.startswith("subscribe: ")  # through the aliases
    assert "Also typed as: sub, follow, watch." in handle("help subscribe", CHANNEL, deps).lines
    assert "kind: is one of agreement, operation" in handle("help latest", CHANNEL, deps).plain()
    assert handle("help dance", CHANNEL, deps).text == "I don't know the command “dance”. Here is what I can do."
    assert handle("help help", CHANNEL, deps).text == handle("help", CHANNEL, deps).text


def test_a_mistyped_command_gets_the_line_it_meant(deps: Deps) -> None:
    reply = handle("serach cybercrime since:2024", CHANNEL, deps)
    assert reply.text == "I don't know the command “serach”. Did you mean `/coop search cybercrime since:2024`?"
    assert reply.lines == ["Every command: /coop help"]  # not the whole list, which would bury the line
    assert handle("news eppo", CHANNEL, deps).text.endswith("Did you mean `/coop latest eppo`?")  # an alias's typo
    assert handle("help subscibe", CHANNEL, deps).text.endswith("Did you mean `/coop help subscribe`?")
    assert handle("dance now", CHANNEL, deps).text == "I don't know the command “dance”. Here is what I can do."


def test_a_name_typed_as_a_command_gets_how_to_see_and_follow_it(deps: Deps) -> None:
    reply = handle("europol", CHANNEL, deps)
    assert reply.text == ("I don't know the command “europol”. For the newest releases on europol: "
                          "`/coop latest europol`; for alerts on them here: `/coop subscribe europol`.")
    assert "`/coop latest md kind:agreement`" in handle("md kind:agreement", CHANNEL, deps).text
    assert "`/coop latest united kingdom ransomware`" in handle("united kingdom ransomware", CHANNEL, deps).text
    assert "Here is what I can do." in handle("europol dance", CHANNEL, deps).text  # "dance" names nothing
