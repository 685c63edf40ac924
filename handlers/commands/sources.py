"""`sources`: every watched newsroom and its health; `sources add|remove` for admins."""

from __future__ import annotations

from bot.models import utcnow
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, Visibility


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    action = command.words[0].text.lower() if command.words else ""
    if action in ("add", "remove", "rm"):
        return _change(action, command, ctx, deps)
    states = {s.source_id: s for s in deps.store.sources.all()}
    lines = []
    for source in deps.sources:
        state = states.get(source.id)
        if state is None or (state.last_success is None and state.last_error is None):
            lines.append(f"  {source.id}: not polled yet ({source.url})")
            continue
        ok = f"last success {state.last_success:%Y-%m-%d %H:%M}" if state.last_success else "never succeeded"
        err = f"; last error: {state.last_error}" if state.last_error and state.consecutive_failures else ""
        fails = f"; {state.consecutive_failures} failures in a row" if state.consecutive_failures else ""
        weekly = deps.store.releases.per_week(source.id)
        lines.append(f"  {source.id}: {ok}{fails}{err}; {weekly:.1f} items a week")
    return Reply(text=f"{len(deps.sources)} sources (checked {utcnow():%H:%M} UTC):", lines=lines)


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
