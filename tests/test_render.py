"""One release as each platform shows it: the same tags, under the same names, the kind of cooperation included."""

from __future__ import annotations

import json

from bot.models import Release
from bot.platforms.matrix.render import alert_content
from bot.platforms.slack.blocks import alert_message, reply_message
from bot.runtime import Runtime
from handlers.context import Deps
from handlers.dispatch import handle
from handlers.replies import card_text, release_card
from tests.conftest import CHANNEL


def _eurojust_eeas(seeded: Runtime) -> Release:
    return next(r for r in seeded.store.releases.all() if r.title.startswith("Michèle Coninx"))


def test_every_platform_shows_the_kind_of_cooperation(seeded: Runtime) -> None:
    release = _eurojust_eeas(seeded)
    slack = json.dumps(alert_message([release], seeded.taxonomy)["blocks"])
    matrix = alert_content([release], seeded.taxonomy)
    console = card_text(release_card(release, seeded.taxonomy))
    # a channel subscribed with kind:agreement sees why the release came
    for shown in (slack, matrix["body"], matrix["formatted_body"], console):
        assert "agreement" in shown


def test_a_matrix_alert_names_the_agencies_alike_in_its_body_and_its_html(seeded: Runtime) -> None:
    matrix = alert_content([_eurojust_eeas(seeded)], seeded.taxonomy)
    tag_line = "Eurojust, EEAS, agreement, terrorism"
    assert tag_line in matrix["body"] and tag_line in matrix["formatted_body"]


def test_a_slack_card_has_its_newsroom_and_date_on_the_line_under_its_title(seeded: Runtime) -> None:
    # sections used to have every line break turned into a space, so the title ran into the newsroom's name
    head = alert_message([_eurojust_eeas(seeded)], seeded.taxonomy)["blocks"][0]["text"]["text"]
    title, meta = head.split("\n")
    assert title.startswith("*Michèle Coninx") and meta.startswith("Eurojust · ")


def test_a_slack_reply_keeps_one_line_per_line(deps: Deps) -> None:
    # `help`, `subscriptions` and `stats` came to Slack as one run-on paragraph
    blocks = reply_message(handle("help", CHANNEL, deps))["blocks"]
    lines = blocks[1]["text"]["text"].split("\n")
    assert lines[0] == "Commands:" and len(lines) > 15
