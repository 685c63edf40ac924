"""Neutral replies and releases as Block Kit, built with slack_sdk's models so Slack's limits are checked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.models import Release
from bot.platforms.slack.text import escape, link, mention
from bot.textutil import truncate_words
from handlers.home import Yours
from handlers.replies import Action, Card, Reply, Visibility, digest_heading, release_card

MAX_BLOCKS = 50
HOME_BLOCKS = 100  # a Home tab view may have twice a message's blocks
MAX_HOME_CHANNELS = 30  # channels listed under "Your subscriptions", so the newest releases still fit
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,30}")  # only a channel ID becomes a channel link
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
SLASH_COMMAND = "/coop"  # the command the app registers; plain-text replies name it
ACTION_IDS = {"share": "coop_share", "more_like": "coop_more_like", "subscribe": "coop_subscribe", "page": "coop_page"}


def _section(text: str) -> SectionBlock:
    """A section of mrkdwn; its line breaks are kept (a card's title above its newsroom and date, a digest's lines),
    and only a text too long for Slack is cut, at a word."""
    fitting = text if len(text) <= SECTION_LIMIT else truncate_words(text, SECTION_LIMIT)
    return SectionBlock(text=MarkdownTextObject(text=fitting))


def _buttons(actions: list[Action], skip: frozenset[str] = frozenset()) -> list[Block]:
    elements = [
        ButtonElement(text=truncate_words(a.label, 75), action_id=ACTION_IDS[a.kind], value=a.value[:2000])
        for a in actions
        if a.kind not in skip
    ]
    return [ActionsBlock(elements=elements[:25])] if elements else []


def story_note(card: Card) -> str:
    return f" · same story as `{escape(card.story)}`" if card.story else ""


def card_blocks(card: Card, skip_actions: frozenset[str] = frozenset()) -> list[Block]:
    head = (f"*{link(card.url, card.title)}*\n{escape(card.publisher)} · {card.date:%d %b %Y}"
            f"{card.language_note()}{story_note(card)}")
    blocks: list[Block] = [_section(head)]
    if card.summary:
        blocks.append(_section(escape(card.summary)))
    tags = [", ".join(group) for group in card.tag_groups()]
    if tags:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(" | ".join(tags))[:3000])]))
    return blocks + _buttons(card.actions, skip_actions)


def reply_message(reply: Reply) -> dict[str, Any]:
    """Arguments for respond(): blocks, the plain-text fallback and whether the whole channel sees it."""
    blocks: list[Block] = [_section(escape(reply.text))]
    if reply.lines:
        blocks.append(_section(escape("\n".join(reply.lines))))
    for card in reply.cards:
        blocks += [DividerBlock(), *card_blocks(card)]
    blocks += _buttons(reply.actions)
    return {
        "text": truncate_words(reply.plain(SLASH_COMMAND), 3000),
        "blocks": [b.to_dict() for b in blocks[:MAX_BLOCKS]],
        "response_type": "in_channel" if reply.visibility is Visibility.CHANNEL else "ephemeral",
    }


def home_view(reply: Reply, yours: Yours | None = None) -> dict[str, Any]:
    """views.publish's view for the App Home tab: what coop holds, the reader's own subscriptions, the newest
    releases, then the commands to try."""
    blocks: list[Block] = [HeaderBlock(text="coop"), _section(escape(reply.text))]
    if yours is not None:
        blocks += _yours(yours)
    if reply.cards:
        blocks.append(_section("*Newest releases*"))
    for card in reply.cards:
        blocks += [DividerBlock(), *card_blocks(card)]
    tries = "\n".join(f"`{escape(line)}`" for line in reply.lines)
    blocks += [DividerBlock(), _section(f"*Try in any channel coop is in*\n{tries}")]
    return {"type": "home", "blocks": [b.to_dict() for b in blocks[:HOME_BLOCKS]]}


def _yours(yours: Yours) -> list[Block]:
    """Each channel as Slack links it (its name, for those who may see it), then the reader's subscriptions there."""
    blocks: list[Block] = [DividerBlock(), _section("*Your subscriptions*")]
    for channel, lines in list(yours.channels.items())[:MAX_HOME_CHANNELS]:
        name = f"<#{channel}>" if _CHANNEL_ID.fullmatch(channel) else escape(channel)
        blocks.append(_section("\n".join([name, *(escape(line) for line in lines)])))
    return [*blocks, ContextBlock(elements=[MarkdownTextObject(text=escape(yours.text))])]


def alert_message(releases: list[Release], taxonomy: Any, updated: bool = False, note: str = "",
                  compact: bool = False, mentions: Sequence[str] = ()) -> dict[str, Any]:
    """chat.postMessage arguments for one alert, or one digest for a burst; `note` (why it came) and the people it
    mentions go under the card, or under a digest's heading, where cutting the digest to Slack's 50 blocks cannot
    drop them. Compact: one line per release."""
    if compact:
        blocks, fallback = _compact_blocks(releases, taxonomy, updated)
    elif len(releases) == 1:
        blocks, fallback = _card_alert(releases[0], taxonomy, updated)
    else:
        blocks, fallback = _digest(releases, taxonomy, updated)
    cc = mention(mentions)
    if under := " · ".join(part for part in (escape(note), cc) if part):
        blocks.insert(1 if len(releases) > 1 else len(blocks), ContextBlock(elements=[MarkdownTextObject(text=under)]))
    return {
        "text": " · ".join(part for part in (escape(truncate_words(fallback, 3000)), cc) if part),
        "blocks": [b.to_dict() for b in blocks[:MAX_BLOCKS]],
        "unfurl_links": False,
        "unfurl_media": False,
        "metadata": {
            "event_type": "coop_release",
            "event_payload": {"release_ids": ",".join(r.id for r in releases), "revision": releases[0].revision},
        },
    }


def _card_alert(release: Release, taxonomy: Any, updated: bool) -> tuple[list[Block], str]:
    card = release_card(release, taxonomy)
    blocks: list[Block] = []
    if updated:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Updated (revision {card.revision})")]))
    blocks += card_blocks(card, skip_actions=frozenset({"share"}))
    return blocks, _fallback(card, updated)


def _fallback(card: Card, updated: bool) -> str:
    return f"{'Updated: ' if updated else ''}{card.title} ({card.publisher}, {card.date:%d %b %Y})"


def _digest(releases: list[Release], taxonomy: Any, updated: bool) -> tuple[list[Block], str]:
    head = digest_heading(len(releases), updated)
    blocks: list[Block] = [HeaderBlock(text=truncate_words(head, HEADER_LIMIT))]
    for release in releases[: (MAX_BLOCKS - 2) // 2]:  # room for the heading and the note
        card = release_card(release, taxonomy, with_actions=False)
        blocks += [_section(f"*{link(card.url, card.title)}*\n{escape(card.facts)}{story_note(card)}"),
                   DividerBlock()]
    return blocks, head


def _compact_blocks(releases: list[Release], taxonomy: Any, updated: bool) -> tuple[list[Block], str]:
    """One line per release: its title, linked, then the line under a card's title. A digest's lines are packed
    into as few sections as Slack's 3,000 characters a section allow."""
    cards = [release_card(release, taxonomy, with_actions=False) for release in releases]
    if len(cards) == 1:
        updated_mark = "Updated: " if updated else ""
        return [_section(f"{updated_mark}{_compact_line(cards[0])}")], _fallback(cards[0], updated)
    head = digest_heading(len(cards), updated)
    sections = [f"*{escape(head)}*"]
    for card in cards:
        line = f"• {_compact_line(card)}"
        if len(sections[-1]) + len(line) < SECTION_LIMIT:
            sections[-1] += f"\n{line}"
        else:
            sections.append(line)
    return [_section(text) for text in sections], head


def _compact_line(card: Card) -> str:
    return f"*{link(card.url, card.title)}* · {escape(card.meta_line())}"
