"""`show`: one release, its facts, tags and the evidence for each tag."""

from __future__ import annotations

from handlers.context import CommandContext, Deps
from handlers.parser import ParsedCommand
from handlers.replies import Reply, release_card


def run(command: ParsedCommand, ctx: CommandContext, deps: Deps) -> Reply:
    if not command.words:
        return Reply(text="Which release? For example: show 1a2b3c4d5e6f (the ID in square brackets)", error=True)
    release_id = command.words[0].text.strip("[]")
    release = deps.store.releases.get(release_id)
    if release is None:
        return Reply(text=f"No release has the ID “{release_id}”. Search first: search <words>", error=True)
    lines = [f"Facts: {release.facts}"] if release.facts else []
    for agency in release.tags.agencies:
        lines.append(f"agency {agency.id} ({agency.role.value}): {' | '.join(agency.evidence[:1])}")
    for area in release.tags.crime_areas:
        lines.append(f"area {area.id} (score {area.score}): {' | '.join(area.evidence[:2])}")
    for country in release.tags.countries:
        lines.append(f"country {country.code} ({country.role.value}): {' | '.join(country.evidence[:1])}")
    for kind in release.tags.cooperation:
        lines.append(f"kind {kind.id}: {' | '.join(kind.evidence[:1])}")
    card = release_card(release, deps.taxonomy)
    return Reply(text=f"Release {release.id}, revision {release.revision}:", cards=[card], lines=lines)
