"""`sources`: every watched newsroom and its health; `sources add|remove` for admins."""

from __future__ import annotations

from bot.activity import SourceActivity, per_week
from bot.models import Source, utcnow
from bot.store.sources import SourceState
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    action = command.words[0].text.lower() if command.words else ""
    if action in ("add", "remove", "rm"):
        return _change(action, command, ctx, deps)
    states = {s.source_id: s for s in deps.store.sources.all()}
    lines = [f"  {source.id}: {_health(source, states.get(source.id), deps)}" for source in deps.sources]
    return Reply(text=f"{len(deps.sources)} sources (checked {utcnow():%H:%M} UTC):", lines=lines)


def _health(source: Source, state: SourceState | None, deps: Deps) -> str:
    """A failing source says so first, with when it is tried next, then a quiet one; its pace where it is known."""
    if state is None or (state.last_success is None and state.last_error is None):
        return f"not polled yet ({source.url})"
    parts = [f"last success {state.last_success:%Y-%m-%d %H:%M}" if state.last_success else "never succeeded"]
    if failures := state.consecutive_failures:
        retry = f", next try {state.next_attempt:%H:%M} UTC" if state.next_attempt else ""
        parts.insert(0, f"failing ({failures} failure{'s' if failures > 1 else ''} in a row{retry}): "
                        f"{state.last_error}")
    if state.last_success:
        activity = deps.store.releases.activity(source.id)
        parts += _pace(activity)
        if quiet := _quiet(activity, deps):
            parts.insert(1 if failures else 0, quiet)
    return "; ".join(parts)


def _pace(activity: SourceActivity) -> list[str]:
    """Its newest release, and how many it publishes a week where enough are dated to tell."""
    parts = [f"newest release {activity.newest:%Y-%m-%d}"] if activity.newest else []
    gap = activity.usual_gap()
    return [*parts, f"about {per_week(gap):.1f} a week"] if gap else parts


def _quiet(activity: SourceActivity, deps: Deps) -> str | None:
    note = activity.quiet_note(deps.now(), deps.watcher)
    return f"quiet: {note} (has it moved?)" if note else None


def _change(action: str, command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not ctx.is_admin:
        return Reply(text="Only admins can add or remove sources.", error=True)
    admin = deps.source_admin
    if admin is None:
        return Reply(text="Sources can only be changed while the watcher runs (coop run).", error=True)
    args = [w.text for w in command.words[1:]]
    if not args:
        return Reply(text=f"Usage: sources {action} {'<url> [publisher]' if action == 'add' else '<id>'}", error=True)
    if action == "add":
        message = admin.add_from_chat(args[0], args[1] if len(args) > 1 else None)
    else:
        message = admin.remove_from_chat(args[0])
    return Reply(text=message, visibility=Visibility.CHANNEL)
