"""Feed and newsroom-page parsing over bytes already fetched: safe, bounded, and never fetching anything itself."""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.sax import SAXParseException

import feedparser

from bot.models import Release
from bot.textutil import content_hash, find_date, stable_id

MAX_TITLE = 500
MAX_TEXT = 50_000
MAX_ITEMS = 500
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_PAGE = re.compile(rb"^\s*(?:<!doctype\s+html|<html)", re.IGNORECASE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|at_medium|at_campaign|ref|xtor)$", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}


class FeedError(ValueError):
    """The document is not a usable feed; the message says why, in words an operator understands."""


@dataclass
class FeedItem:
    key: str
    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    categories: dict[str, list[str]] = field(default_factory=dict)
    feed_hash: str | None = None  # set when the text came from the page: identity stays the feed's version
    page_etag: str | None = None  # the page's validators when its text was fetched, for conditional rechecks
    page_last_modified: str | None = None

    def to_release(self, source_id: str, publisher: str) -> Release:
        return Release(
            id=stable_id(source_id, self.key),
            source_id=source_id,
            publisher=publisher,
            url=self.url,
            title=self.title,
            published=self.published,
            text=self.text,
            publisher_tags=self.categories,
            content_hash=self.feed_hash or content_hash(self.title, self.text),
        )


def reject_unsafe(body: bytes) -> None:
    """Entity declarations are refused before any parser sees them (feedparser's fallback would expand them)."""
    if _ENTITY_DECLARATION.search(body):
        raise FeedError("the document declares XML entities (<!ENTITY); refused as unsafe")


def parse_feed(body: bytes) -> list[FeedItem]:
    reject_unsafe(body)
    if _HTML_PAGE.match(body[:1024]):
        raise FeedError("got an HTML page where a feed was expected (has the feed moved?)")
    parsed: Any = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=True)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXParseException):
        # Half a feed (a cut connection) would store half-texts that later come back as revisions.
        raise FeedError(f"the feed is not well-formed XML (cut short?): {str(problem)[:200]}")
    if not entries:
        raise FeedError(f"no items in the feed{': ' + str(problem)[:200] if problem else ''}")
    return [_item(entry) for entry in entries[:MAX_ITEMS]]


def _item(entry: Any) -> FeedItem:
    title = " ".join(html_to_text(entry.get("title", "")).split())[:MAX_TITLE] or "(untitled)"
    parts = [entry.get("summary", "")]
    parts += [c.get("value", "") for c in entry.get("content", []) if c.get("value") != entry.get("summary")]
    text = "\n\n".join(html_to_text(p) for p in parts if p)[:MAX_TEXT]
    url = normalise_url(entry["link"]) if entry.get("link") else None
    guid = entry.get("id") or entry.get("guid")
    key = str(guid) if guid else (url or content_hash(title, " ".join(text.split())))  # line breaks: not an edit
    return FeedItem(key=key, title=title, text=text, url=url, published=_date(entry), categories=_categories(entry))


def _date(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _categories(entry: Any) -> dict[str, list[str]]:
    """Eurojust groups its categories ("Crime type", "Partner", ...) as the category domain; keep the groups."""
    grouped: dict[str, list[str]] = {}
    for tag in entry.get("tags", []) or []:
        term = html_to_text(tag.get("term") or "")
        if term:
            grouped.setdefault(tag.get("scheme") or "Category", []).append(term)
    return grouped


def normalise_url(url: str) -> str:
    """Scheme and host in lower case, no tracking parameters, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Paragraphs, a blank line apart; markup and scripts are dropped, entities decoded. A block element or a blank
    line in the text starts a paragraph, with markup or without: a photo caption set apart ("Vincent Jamin") must
    not run into the first sentence. A single line break is a space, as text wrapped at 72 characters has them
    in the middle of sentences."""
    text = markup
    if "<" in markup or "&" in markup:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        text = html.unescape("".join(extractor.parts))
    paragraphs = (" ".join(paragraph.split()) for paragraph in _BLANK_LINE.split(text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def newsroom_links(page: bytes, base_url: str, link_pattern: str, limit: int = 50) -> list[str]:
    """Release links of a newsroom listing page, in page order, each once."""
    reject_unsafe(page)
    collector = _LinkCollector()
    collector.feed(page.decode("utf-8", errors="replace"))
    pattern = re.compile(link_pattern)
    seen: dict[str, None] = {}
    for href in collector.links:
        url = normalise_url(urljoin(base_url, href))
        if urlsplit(url).scheme in ("http", "https") and pattern.search(url):
            seen.setdefault(url, None)
    if not seen:
        raise FeedError("the newsroom page has no links matching link_pattern (has the site changed?)")
    return list(seen)[:limit]


@dataclass
class PageText:
    title: str
    text: str
    published: datetime | None


def extract_page(page: bytes, url: str, max_chars: int) -> PageText | None:
    """The main text of a release page (trafilatura), with its title and date where the page gives them."""
    import trafilatura

    reject_unsafe(page)
    extracted = trafilatura.bare_extraction(
        page.decode("utf-8", errors="replace"), url=url, with_metadata=True, include_comments=False
    )
    document = extracted.as_dict() if extracted is not None and hasattr(extracted, "as_dict") else extracted
    if not isinstance(document, dict) or not document.get("text"):
        return None
    text = str(document["text"])[:max_chars]
    published = None
    if document.get("date"):
        try:
            published = datetime.fromisoformat(str(document["date"])).replace(tzinfo=UTC)
        except ValueError:
            published = find_date(str(document["date"]))
    return PageText(title=html_to_text(str(document.get("title") or ""))[:MAX_TITLE], text=text, published=published)
