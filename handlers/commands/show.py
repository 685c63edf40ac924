"""`show`: one release, its facts, tags and the evidence for each tag."""

from __future__ import annotations

from bot.feeds import normalise_url
from bot.models import Release
from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card

MIN_PREFIX = 4  # shorter beginnings of an ID match too many releases to be meant


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not command.words:
        return Reply(text="Which release? For example: show 1a2b3c4d5e6f (the ID in square brackets)", error=True)
    # Slack may send a pasted link as <url> or <url|label>
    release = find_release(command.words[0].text.strip("[]<>").split("|")[0], deps)
    if isinstance(release, str):
        return Reply(text=release, error=True)
    lines = [f"Facts: {release.facts}"] if release.facts else []
    for agency in release.tags.agencies:
        lines.append(f"agency {agency.id} ({agency.role.value}): {' | '.join(agency.evidence[:1])}")
    for area in release.tags.crime_areas:
        lines.append(f"area {area.id} (score {area.score}): {' | '.join(area.evidence[:2])}")
    for country in release.tags.countries:
        lines.append(f"country {country.code} ({country.role.value}): {' | '.join(country.evidence[:1])}")
    for kind in release.tags.cooperation:
        lines.append(f"kind {kind.id}: {' | '.join(kind.evidence[:1])}")
    for other in deps.store.releases.same_story(release):
        publisher = deps.taxonomy.agency_name(other.publisher)
        lines.append(f"same story: [{other.id}] {other.title} ({publisher}, {other.date:%d %b %Y})")
    card = release_card(release, deps.taxonomy)
    return Reply(text=f"Release {release.id}, revision {release.revision}:", cards=[card], lines=lines)


def find_release(wanted: str, deps: Deps) -> Release | str:
    """The release with this ID, the only one whose ID starts so, or the one at this address; else what is wrong."""
    if wanted.startswith(("http://", "https://")):
        at_url = deps.store.releases.by_url(normalise_url(wanted))
        return at_url or f"No release at {wanted} is in the store. Search for its title: search <words>"
    release = deps.store.releases.get(wanted)
    if release is not None:
        return release
    starting = deps.store.releases.ids_starting(wanted.lower()) if len(wanted) >= MIN_PREFIX else []
    if len(starting) > 1:
        return f"Several releases have an ID starting with “{wanted}”; write more of it."
    release = deps.store.releases.get(starting[0]) if starting else None
    return release or f"No release has the ID “{wanted}”. Search first: search <words>"
