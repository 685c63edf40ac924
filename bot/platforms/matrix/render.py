"""Alerts and replies as Matrix message content: a plain `body` and a sanitised HTML `formatted_body`.

Feed text is untrusted. Every piece of it is HTML-escaped before it meets our markup, the finished HTML goes
through nh3 with a small allowlist (a second wall should the first ever crack), links are only the release's own
http(s) URL, and `@room` cannot notify a room: the word is broken with an invisible joiner and `m.mentions` is
empty, which tells clients and servers that the message mentions nobody.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import nh3

from bot.models import Release
from bot.taxonomy import Taxonomy
from bot.textutil import truncate_words
from handlers.replies import Action, Card, Reply, digest_heading, release_card

HTML_FORMAT = "org.matrix.custom.html"
RELEASE_IDS_KEY = "org.coop.release_ids"  # namespaced so clients ignore it; `find_sent` reads it after a crash
REVISION_KEY = "org.coop.revision"
ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "ul", "li", "p", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
SUMMARY_CHARS = 300
PREFIX = "!coop"
# A Matrix user ID (@localpart:server[:port]), as the spec's grammar has it: nothing else becomes a mention
_USER_ID = re.compile(r"@[\x21-\x39\x3b-\x7e]+:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def defuse(text: str) -> str:
    """Plain text that cannot ping a whole room: "@room" loses its meaning, nothing else changes for a reader."""
    return text.replace("@room", "@\u2060room")


def esc(text: str) -> str:
    return html.escape(defuse(text), quote=True)


def safe_href(url: str | None) -> str | None:
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return None
    return html.escape(url, quote=True)


def sanitise(markup: str) -> str:
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel=None)


def notice(body: str, markup: str, msgtype: str = "m.notice", **extra: Any) -> dict[str, Any]:
    return {"msgtype": msgtype, "body": defuse(body), "format": HTML_FORMAT,
            "formatted_body": sanitise(markup), "m.mentions": {}, **extra}


def alert_html(card: Card, label: str = "") -> str:
    parts = [f"{esc(label)} {title_html(card)}".strip(), meta_html(card)]
    if card.summary:
        parts.append(esc(truncate_words(card.summary, SUMMARY_CHARS)))
    parts.append(f"<code>{esc(card.release_id)}</code>")
    return "<br>".join(parts)


def title_html(card: Card) -> str:
    """The title in bold, linked only to the release's own http(s) address."""
    title = f"<b>{esc(card.title)}</b>"
    href = safe_href(card.url)
    return f'<a href="{href}">{title}</a>' if href else title


def meta_html(card: Card) -> str:
    return esc(card.meta_line())


def alert_plain(card: Card, label: str = "") -> str:
    """The alert's plain body: what its HTML (alert_html) says, with the same names."""
    lines = [f"{label} {card.title}".strip(), card.meta_line()]
    if card.summary:
        lines.append(truncate_words(card.summary, SUMMARY_CHARS))
    if card.url:
        lines.append(card.url)
    lines.append(card.release_id)
    return "\n".join(lines)


def alert_content(releases: list[Release], taxonomy: Taxonomy, updated: bool = False, note: str = "",
                  compact: bool = False, mentions: Sequence[str] = ()) -> dict[str, Any]:
    """One alert, or a digest, as cards or (compact) one line per release; `note` (why it came) ends it, in
    italics, and then the people who asked to be mentioned, as pills that notify them (`m.mentions`)."""
    ids: dict[str, Any] = {RELEASE_IDS_KEY: [r.id for r in releases]}
    if len(releases) == 1:
        ids[REVISION_KEY] = releases[0].revision
    cards = [release_card(r, taxonomy, with_actions=False) for r in releases]
    body, markup = (_compact if compact else _cards)(cards, updated)
    if note:
        body, markup = f"{body}\n{note}", f"{markup}<br><i>{esc(note)}</i>"
    if users := [user for user in mentions if _USER_ID.fullmatch(user)]:
        after, after_markup = (" · ", " · ") if note else ("\n", "<br>")  # on the note's line, or a line of its own
        body = f"{body}{after}cc {', '.join(users)}"
        markup = f"{markup}{after_markup}cc {', '.join(_pill(user) for user in users)}"
        # Homeservers' default push rules never notify for a notice, mention or not: an alert that someone asked to
        # be told of is a text message, as a person's would be.
        ids |= {"m.mentions": {"user_ids": users}, "msgtype": "m.text"}
    return notice(body, markup, **ids)


def _pill(user: str) -> str:
    """A link to a user, which clients show as their name and which, with `m.mentions`, notifies them."""
    return f'<a href="https://matrix.to/#/{html.escape(quote(user, safe="@:"), quote=True)}">{esc(user)}</a>'


def _cards(cards: list[Card], updated: bool) -> tuple[str, str]:
    if len(cards) == 1:
        label = "Updated:" if updated else "New:"
        return alert_plain(cards[0], label), alert_html(cards[0], label)
    head = digest_heading(len(cards), updated)
    items = "".join(f"<li>{alert_html(card)}</li>" for card in cards)
    return "\n\n".join([head, *(alert_plain(card) for card in cards)]), f"<b>{esc(head)}</b><ul>{items}</ul>"


def _compact(cards: list[Card], updated: bool) -> tuple[str, str]:
    lines = [(f"{card.title} · {card.meta_line()}", f"{title_html(card)} · {meta_html(card)}") for card in cards]
    if len(cards) == 1:
        label = "Updated:" if updated else "New:"
        url = f"\n{cards[0].url}" if cards[0].url else ""
        return f"{label} {lines[0][0]}{url}", f"{label} {lines[0][1]}"
    head = digest_heading(len(cards), updated)
    items = "".join(f"<li>{markup}</li>" for _, markup in lines)
    return "\n".join([head, *(f"• {plain}" for plain, _ in lines)]), f"<b>{esc(head)}</b><ul>{items}</ul>"


def edit_content(original_event_id: str, releases: list[Release], taxonomy: Taxonomy, note: str = "",
                 compact: bool = False, mentions: Sequence[str] = ()) -> dict[str, Any]:
    """An `m.replace` edit: clients show the new content in place; older clients show the starred fallback. The
    new content keeps its mentions, and the edit itself mentions nobody: a correction does not notify again."""
    new = alert_content(releases, taxonomy, updated=True, note=note, compact=compact, mentions=mentions)
    ids = {key: new[key] for key in (RELEASE_IDS_KEY, REVISION_KEY) if key in new}
    content = notice("* " + new["body"], "* " + new["formatted_body"], msgtype=new["msgtype"], **ids)
    content["m.new_content"] = new
    content["m.relates_to"] = {"rel_type": "m.replace", "event_id": original_event_id}
    return content


def card_html(card: Card) -> str:
    parts = [f"<code>{esc(card.release_id)}</code> {title_html(card)}", meta_html(card)]
    if card.summary:
        parts.append(esc(card.summary))
    return "<br>".join(parts)


def action_hint(action: Action) -> str | None:
    """Matrix has no buttons: the actions that are commands become the command to type."""
    if action.kind == "page":
        return f"{PREFIX} {action.value}"
    return None


def reply_content(reply: Reply) -> dict[str, Any]:
    hints = [h for h in (action_hint(a) for a in reply.actions) if h]
    body = reply.plain(PREFIX)
    parts = [f"<p>{esc(reply.text)}</p>" if reply.text else ""]
    if reply.lines:
        parts.append("<br>".join(esc(line) for line in reply.lines))
    if reply.cards:
        parts.append("<ul>" + "".join(f"<li>{card_html(c)}</li>" for c in reply.cards) + "</ul>")
    parts += [f"<p>More: <code>{esc(h)}</code></p>" for h in hints]
    return notice(body, "".join(parts))


def text_content(text: str) -> dict[str, Any]:
    return notice(text, esc(text))


def thread_relation(root_event_id: str) -> dict[str, Any]:
    """A reply in the thread of `root_event_id` (MSC3440); clients without threads show it as a plain reply."""
    return {"rel_type": "m.thread", "event_id": root_event_id, "is_falling_back": True,
            "m.in_reply_to": {"event_id": root_event_id}}
