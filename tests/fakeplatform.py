"""A platform that records what it was asked to send, and can fail on demand like a real chat service."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.delivery import CARD, AlertStyle, PermanentError, TransientError
from bot.models import Release


@dataclass
class RecordingPlatform:
    name: str = "fake"
    prefix: str = "/coop"
    posts: list[tuple[str, list[str]]] = field(default_factory=list)
    posted: list[Release] = field(default_factory=list)  # every release posted, as it was then
    edits: list[tuple[str, str, list[str]]] = field(default_factory=list)  # channel, message, "id@revision"s
    notices: list[tuple[str, str]] = field(default_factory=list)
    fail_next: list[Exception] = field(default_factory=list)
    gone_channels: set[str] = field(default_factory=set)
    remembers: bool = False  # answers find_sent from what it received, as Slack's metadata or Matrix's history do
    threads: dict[str, str] = field(default_factory=dict)  # a reply's reference: the message it replies to
    followed: dict[str, list[int]] = field(default_factory=dict)  # a message's reference: the subscriptions it names
    compact: dict[str, bool] = field(default_factory=dict)  # a message's reference: one line per release or not
    mentions: dict[str, list[str]] = field(default_factory=dict)  # a message's reference: the people it mentions
    waited: dict[str, bool] = field(default_factory=dict)  # a message's reference: it says it waited for a pause

    async def post_alert(self, workspace: str, channel: str, releases: list[Release], thread: str | None = None,
                         style: AlertStyle = CARD) -> str:
        if channel in self.gone_channels:
            raise PermanentError("channel_not_found")
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.posts.append((channel, [r.id for r in releases]))
        self.posted += releases
        if thread:
            self.threads[f"ref-{len(self.posts)}"] = thread
        self.followed[f"ref-{len(self.posts)}"] = [sub.id for sub in style.followed]
        self.compact[f"ref-{len(self.posts)}"] = style.compact
        self.mentions[f"ref-{len(self.posts)}"] = style.mentions
        self.waited[f"ref-{len(self.posts)}"] = style.waited
        return f"ref-{len(self.posts)}"

    async def edit_alert(self, workspace: str, channel: str, message_ref: str, releases: list[Release],
                         changed: Release, style: AlertStyle = CARD) -> str:
        self.edits.append((channel, message_ref, [f"{r.id}@{r.revision}" for r in releases]))
        self.followed[message_ref] = [sub.id for sub in style.followed]
        self.compact[message_ref] = style.compact
        self.mentions[message_ref] = style.mentions
        return message_ref

    async def find_sent(self, workspace: str, channel: str, release: Release, thread: str | None = None) -> str | None:
        if not self.remembers:
            return None
        return next((f"ref-{n + 1}" for n, (c, ids) in enumerate(self.posts) if c == channel and release.id in ids),
                    None)

    async def notify(self, workspace: str, channel: str, text: str) -> None:
        if channel in self.gone_channels:
            raise PermanentError("channel_not_found")
        self.notices.append((channel, text))


__all__ = ["RecordingPlatform", "TransientError"]
