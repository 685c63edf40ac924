"""Turns a seed document (a release saved as text or markdown) into a Release: title, date, publisher, body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Release
from bot.textutil import BRACKETED, NOT_AN_END, content_hash, find_date, stable_id, truncate_words

SEED_SOURCE_ID = "seed"
UNKNOWN_PUBLISHER = "unknown"  # no publisher rule matched

_TAG_BLOCK_HEADS = ("CRIME AREAS", "TARGET GROUPS", "GENERAL TERMS", "ORGANISATIONS")
_SOURCE_URL = re.compile(r"^Source URL:\s*<?(?P<url>https?://[^>\s]+)>?\s*$", re.MULTILINE)
_CONTACT_HINTS = re.compile(r"\b(?:Tel|Mobile|E-mail|Office|Fax)\s*:|mailto:|\[at\]|^@\w+$", re.MULTILINE)
_HEADED_LINK = re.compile(r"^\*\*[^*]+:\*\*\s*<https?://[^>]+>\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:#|[^)]*)\)")
_MD_NOISE = re.compile(r"\*\*|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)|^#+\s*|[✘✔✓•]\s*", re.MULTILINE)
_DATE_LINE = re.compile(r"^\s*\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}\s*$")
# ", President of X," right after a name of two capitalised words: an office that a headline leaves out
_OFFICE_AFTER_NAME = re.compile(
    r"(\b[A-Z][\w'-]+ [A-Z][\w'-]+),\s+(?=[A-Z])[^,]*\b(?:President|Director|Secretary|Minister|Commissioner|Head|"
    r"Chief|Chair|Prosecutor|Judge|Member|Ambassador)\b[^,]*,\s+"
)
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


@dataclass(frozen=True)
class PublisherRule:
    """A publisher recognised by a phrase its releases carry (a contact address, a source line)."""

    publisher: str
    contains: str


def parse_seed(name: str, raw: str, rules: list[PublisherRule]) -> Release:
    text = raw.replace("\r\n", "\n")
    url_match = _SOURCE_URL.search(text)
    text = _SOURCE_URL.sub("", text)
    text, publisher_tags = _split_tag_block(text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    title, paragraphs = _take_title(paragraphs)
    body = "\n\n".join(_clean(p) for p in paragraphs if not _is_noise(p))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    if not title:
        title = _title_from_body(body)
    return Release(
        id=stable_id(SEED_SOURCE_ID, name),
        source_id=SEED_SOURCE_ID,
        publisher=_publisher(raw, rules),
        url=url_match.group("url") if url_match else None,
        title=title,
        published=find_date(raw),
        text=body,
        publisher_tags=publisher_tags,
        content_hash=content_hash(title, body),
    )


def _publisher(raw: str, rules: list[PublisherRule]) -> str:
    for rule in rules:
        if rule.contains in raw:
            return rule.publisher
    return UNKNOWN_PUBLISHER


def _split_tag_block(text: str) -> tuple[str, dict[str, list[str]]]:
    """Europol pages end with taxonomy lines; they are the publisher's tags, not the release's words."""
    kept: list[str] = []
    tags: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.split("\n"):
        head = next((h for h in _TAG_BLOCK_HEADS if line.startswith(h + " ")), None)
        if head is not None:
            current = head.capitalize()
            line = line[len(head):]
        elif current is None or not line.strip().startswith("["):
            current = None
            kept.append(line)
            continue
        tags.setdefault(current, []).extend(t.strip() for t in _MD_LINK.findall(line) if t.strip())
    return "\n".join(kept), tags


def _take_title(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The title is the first short line that is not a date: a paragraph of its own, or the first line of the
    first paragraph ("Title" with the text on the next line); some seeds have none."""
    rest = [p for p in paragraphs if not _DATE_LINE.match(p)]
    for index, paragraph in enumerate(rest[:3]):
        line, _, below = paragraph.partition("\n")
        if len(line) > 200 or (line.endswith(".") and len(line) > 120) or (below and index > 0):
            continue
        if below.strip():
            rest[index] = below.strip()
        else:
            del rest[index]
        return _tidy_title(line), rest
    return "", rest


def _tidy_title(line: str) -> str:
    line = _MD_NOISE.sub("", line).strip()
    if line.isupper():
        words = line.lower().split()
        line = " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))
    return line


def _title_from_body(body: str) -> str:
    """The first sentence as a headline: without "Today,", acronyms in brackets, the offices after names
    ("X, President of Eurojust, and Y signed" -> "X and Y signed") and the final stop."""
    first = re.split(r"(?<=[.!?])" + NOT_AN_END + r"\s", body, maxsplit=1)[0]
    first = re.sub(r"^(?:Today|Yesterday|This week),\s*", "", first)
    first = _OFFICE_AFTER_NAME.sub(r"\1 ", BRACKETED.sub("", first)).rstrip(".")
    return truncate_words(first[:1].upper() + first[1:], 120)


def _is_noise(paragraph: str) -> bool:
    if _CONTACT_HINTS.search(paragraph):
        return True
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if all(_HEADED_LINK.match(line) or _MD_LINK.fullmatch(line) for line in lines):
        return True
    return all(m.group(1) == "" or m.group(0).endswith("(#)") for m in _MD_LINK.finditer(paragraph)) and bool(
        _MD_LINK.fullmatch(paragraph.strip())
    )


def _clean(paragraph: str) -> str:
    paragraph = _MD_LINK.sub(r"\1", paragraph)
    paragraph = re.sub(r"<(https?://[^>]+)>", r"\1", paragraph)
    paragraph = _MD_NOISE.sub("", paragraph)
    return "\n".join(" ".join(line.split()) for line in paragraph.split("\n")).strip()
