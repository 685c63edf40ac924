"""Scores the classifier against a publisher-labelled development set (Eurojust's own tags, mapped to our IDs)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.classify import Classifier
from bot.models import CountryRole, Tags
from bot.taxonomy import Taxonomy
from bot.textutil import fold

# Eurojust's `Crime type` terms onto our crime-area IDs; a tuple means either ID counts.
CRIME_TYPE_MAP: dict[str, tuple[str, ...]] = {
    "Art theft": ("cultural-goods-trafficking",),
    "Core international crimes": ("core-international-crimes",),
    "Corruption": ("corruption",),
    "Counterfeiting": ("intellectual-property-crime", "currency-counterfeiting"),
    "Crimes against children": ("child-sexual-exploitation",),
    "Crimes against life, limb and personal freedom": ("crimes-against-persons",),
    "Cybercrime": ("cybercrime",),
    "Drug trafficking": ("drug-trafficking",),
    "Economic crimes": ("fraud",),
    "Fraud": ("fraud",),
    "Environmental crime": ("environmental-crime",),
    "Foreign terrorist fighters": ("terrorism",),
    "Terrorism": ("terrorism",),
    "Intellectual property crimes": ("intellectual-property-crime",),
    "Migrant smuggling": ("migrant-smuggling",),
    "Money laundering": ("money-laundering",),
    "Organised crime": ("organised-crime",),
    "Robbery": ("organised-property-crime",),
    "Sport-related crime": ("sports-corruption",),
    "Trafficking in firearms": ("firearms-trafficking",),
    "Trafficking in human beings": ("trafficking-in-human-beings",),
}
# An area none of the publisher's terms names (sanctions-violation, cbrn, ...) is never in the labels: a false
# alarm there cannot be told from a right tag, so the report also scores without those areas.
LABELLED_AREAS = frozenset(area for areas in CRIME_TYPE_MAP.values() for area in areas)
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    items: int = 0
    areas: Counts = field(default_factory=Counts)
    unlabelled_fp: int = 0  # false alarms in areas that none of the publisher's terms names
    per_area: dict[str, Counts] = field(default_factory=dict)
    agencies: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    # Institutional news and agreements often carry no country label at all, though the text names the partner
    # country: scored apart so both readings of the same run are visible.
    countries_labelled: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    @property
    def labelled_areas(self) -> Counts:
        """The areas scored as if the areas the labels cannot name had not been tagged."""
        return Counts(self.areas.tp, self.areas.fp - self.unlabelled_fp, self.areas.fn)


def plain_text(value: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", value)).split())


def gold_areas(tags: dict[str, list[str]]) -> set[tuple[str, ...]]:
    return {CRIME_TYPE_MAP[t] for t in tags.get("Crime type", []) if t in CRIME_TYPE_MAP}


def name_index(taxonomy: Taxonomy) -> dict[str, str]:
    """Every name, abbreviation and ID of an agency or country, folded, pointing to its ID."""
    index: dict[str, str] = {}
    for agency_id, agency in taxonomy.agencies.items():
        for name in [agency_id, agency.name, *agency.names, *agency.abbreviations]:
            index[fold(name)] = agency_id
    for code, country in taxonomy.countries.items():
        for name in [code, *country.names, *country.abbreviations]:
            index.setdefault(fold(name), code)
    index.update({"emcdda/euda": "euda", "usa": "US", "czech republic": "CZ", "jits network": "eurojust"})
    return index


def evaluate(items: Iterable[dict[str, Any]], classifier: Classifier) -> Report:
    names = name_index(classifier.taxonomy)
    report = Report()
    for item in items:
        report.items += 1
        text = plain_text(item.get("summary", "")) + "\n\n" + plain_text(item.get("content", ""))
        tags = classifier.classify(plain_text(item["title"]), text, "eurojust")
        _score_areas(report, item, set(tags.area_ids()))
        _score_agencies(report, item, tags, names)
        _score_countries(report, item, tags, names)
    return report


def _ids(labels: list[str], names: dict[str, str]) -> set[str]:
    """Our IDs for the publisher's labels; a label we have no name for is left out."""
    return {names[key] for key in map(fold, labels) if key in names}


def _score_agencies(report: Report, item: dict[str, Any], tags: Tags, names: dict[str, str]) -> None:
    wanted = _ids(item["tags"].get("Partner", []), names)
    _score_set(report.agencies, wanted, set(tags.agency_ids()) & wanted)
    report.misses += [f"missed agency {a}: {item['title'][:80]}" for a in sorted(wanted - set(tags.agency_ids()))]


def _score_countries(report: Report, item: dict[str, Any], tags: Tags, names: dict[str, str]) -> None:
    states = item["tags"].get("Member State", []) + item["tags"].get("Third states", [])
    gold = _ids(states, names)
    _score_set(report.countries, gold, set(tags.involved_country_codes()))
    if states:
        _score_set(report.countries_labelled, gold, set(tags.involved_country_codes()))
    report.misses += _country_misses(tags, gold, item["title"][:80])


def _country_misses(tags: Tags, gold: set[str], title: str) -> list[str]:
    """Each country scored wrong, with what the classifier saw: the sentence that made it involved, or that it
    was only mentioned, or that the text never names it (the feed cuts the text)."""
    found = {country.code: country for country in tags.countries}
    lines = []
    for code in sorted(gold | set(found)):
        country = found.get(code)
        quote = country.evidence[0] if country and country.evidence else ""
        involved = country is not None and country.role is CountryRole.INVOLVED
        if involved and code not in gold:
            lines.append(f"extra country {code}: {title} | {quote}")
        elif not involved and code in gold:
            lines.append(f"missed country {code}: {title} | {'only mentioned: ' + quote if country else 'not named'}")
    return lines


def _score_areas(report: Report, item: dict[str, Any], predicted: set[str]) -> None:
    gold = gold_areas(item["tags"])
    matched: set[str] = set()
    for options in gold:
        hit = next((o for o in options if o in predicted), None)
        counts = report.per_area.setdefault(options[0], Counts())
        if hit:
            matched.add(hit)
            report.areas.tp += 1
            counts.tp += 1
        else:
            report.areas.fn += 1
            counts.fn += 1
            report.misses.append(f"missed {options[0]}: {item['title'][:80]}")
    for extra in predicted - matched:
        report.areas.fp += 1
        report.unlabelled_fp += extra not in LABELLED_AREAS
        report.per_area.setdefault(extra, Counts()).fp += 1
        report.misses.append(f"extra {extra}: {item['title'][:80]}")


def _score_set(counts: Counts, gold: set[Any], predicted: set[Any]) -> None:
    counts.tp += len(gold & predicted)
    counts.fp += len(predicted - gold)
    counts.fn += len(gold - predicted)


def format_report(report: Report) -> str:
    lines = [f"items: {report.items}", "", f"{'crime area':32} {'P':>6} {'R':>6} {'F1':>6}  tp  fp  fn"]
    for area, c in sorted(report.per_area.items()):
        lines.append(f"{area:32} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f} {c.tp:3} {c.fp:3} {c.fn:3}")
    lines += [
        _micro_line("all areas (micro)", report.areas),
        _micro_line("areas the labels name (micro)", report.labelled_areas),
        "",
        f"agencies: recall {report.agencies.recall:.2f} "
        f"({report.agencies.tp}/{report.agencies.tp + report.agencies.fn})",
        f"countries: precision {report.countries.precision:.2f} recall {report.countries.recall:.2f} "
        f"F1 {report.countries.f1:.2f}",
        f"countries, items with country labels only: precision {report.countries_labelled.precision:.2f} "
        f"recall {report.countries_labelled.recall:.2f} F1 {report.countries_labelled.f1:.2f}",
    ]
    return "\n".join(lines)


def _micro_line(label: str, c: Counts) -> str:
    return f"{label:32} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f} {c.tp:3} {c.fp:3} {c.fn:3}"
