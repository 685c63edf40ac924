"""Feed text made safe for Slack mrkdwn: no mentions, no spoofed links, no broadcast from a feed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

# Slack user IDs (U…, and W… in Enterprise Grid): nothing else is ever written into a mention
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,30}")


def escape(text: str) -> str:
    """Slack's own escaping: with &, < and > escaped, no <!channel>, <@U…> or <url|label> survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """The release's own http(s) URL with the characters that would end or split a Slack link encoded."""
    if not url or urlsplit(url).scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def link(url: str | None, label: str) -> str:
    target = safe_url(url)
    return f"<{target}|{escape(label)}>" if target else escape(label)


def mention(users: Sequence[str]) -> str:
    """The people who asked to be mentioned in an alert (`notify`), as Slack mentions that notify them."""
    shown = [f"<@{user}>" for user in users if _USER_ID.fullmatch(user)]
    return f"cc {' '.join(shown)}" if shown else ""
