"""Neutral replies and releases as Block Kit, built with slack_sdk's models so Slack's limits are checked."""

from __future__ import annotations

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
from bot.platforms.slack.text import escape, link
from bot.textutil import truncate_words
from handlers.replies import Action, Card, Reply, Visibility, digest_heading, release_card

MAX_BLOCKS = 50
HOME_BLOCKS = 100  # a Home tab view may have twice a message's blocks
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
SLASH_COMMAND = "/coop"  # the command the app registers; plain-text replies name it
ACTION_IDS = {"share": "coop_share", "more_like": "coop_more_like", "subscribe": "coop_subscribe", "page": "coop_page"}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate_words(text, SECTION_LIMIT)))


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


def home_view(reply: Reply) -> dict[str, Any]:
    """views.publish's view for the App Home tab: what coop holds, the newest releases, then the commands to try."""
    blocks: list[Block] = [HeaderBlock(text="coop"), _section(escape(reply.text))]
    if reply.cards:
        blocks.append(_section("*Newest releases*"))
    for card in reply.cards:
        blocks += [DividerBlock(), *card_blocks(card)]
    tries = "\n".join(f"`{escape(line)}`" for line in reply.lines)
    blocks += [DividerBlock(), _section(f"*Try in any channel coop is in*\n{tries}")]
    return {"type": "home", "blocks": [b.to_dict() for b in blocks[:HOME_BLOCKS]]}


def alert_message(releases: list[Release], taxonomy: Any, updated: bool = False, note: str = "") -> dict[str, Any]:
    """chat.postMessage arguments for one alert, or one digest for a burst; `note` (why it came) goes under the
    card, or under a digest's heading, where cutting the digest to Slack's 50 blocks cannot drop it."""
    followed: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=escape(note))])] if note else []
    if len(releases) == 1:
        card = release_card(releases[0], taxonomy)
        blocks: list[Block] = []
        if updated:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Updated (revision {card.revision})")]))
        blocks += [*card_blocks(card, skip_actions=frozenset({"share"})), *followed]
        fallback = f"{'Updated: ' if updated else ''}{card.title} ({card.publisher}, {card.date:%d %b %Y})"
    else:
        head = digest_heading(len(releases), updated)
        blocks = [HeaderBlock(text=truncate_words(head, HEADER_LIMIT)), *followed]
        for release in releases[: (MAX_BLOCKS - 1 - len(followed)) // 2]:
            card = release_card(release, taxonomy, with_actions=False)
            blocks += [_section(f"*{link(card.url, card.title)}*\n{escape(card.facts)}{story_note(card)}"),
                       DividerBlock()]
        fallback = head
    return {
        "text": escape(truncate_words(fallback, 3000)),
        "blocks": [b.to_dict() for b in blocks[:MAX_BLOCKS]],
        "unfurl_links": False,
        "unfurl_media": False,
        "metadata": {
            "event_type": "coop_release",
            "event_payload": {"release_ids": ",".join(r.id for r in releases), "revision": releases[0].revision},
        },
    }
