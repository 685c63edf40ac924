"""Tags a release with agencies (and their role), crime areas, countries and kinds of cooperation, with evidence.

Pure functions over text: build a Classifier once from the taxonomy, then call it for every release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from bot.matcher import TITLE_MARK, Hit, PhraseMatcher, Scan, fold_plain, keep_longest
from bot.models import AgencyRole, AgencyTag, AreaTag, CooperationTag, CountryTag, Tags
from bot.taxonomy import PhraseEntry, Taxonomy

WEAK_WEIGHT = 0.4
TITLE_FACTOR = 2.5
LEAD_FACTOR = 1.5
LEAD_TOKENS = 60
SCOPE_KINDS = {"agreement", "meeting", "policy", "training", "report"}
MAX_COUNTED = 2
MAX_EVIDENCE = 3
_STOPWORD_TEXT = {
    "en": {"the", "and", "of", "to", "in", "with", "for", "is", "on", "was", "by", "has"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "dans", "pour", "avec", "est", "sur"},
    "de": {"der", "die", "das", "und", "mit", "von", "den", "ist", "fur", "im", "zu", "eine"},
    "es": {"el", "los", "las", "del", "y", "en", "con", "por", "para", "una", "que", "se"},
    "ro": {"si", "din", "cu", "pentru", "este", "care", "la", "pe", "ale", "sunt", "unei", "acest"},
    "it": {"il", "della", "di", "che", "con", "per", "sono", "gli", "nel", "delle", "una", "dei"},
    "nl": {"de", "het", "een", "van", "en", "met", "voor", "zijn", "op", "dat", "bij", "niet"},
    "da": {"og", "af", "til", "med", "det", "en", "for", "der", "som", "har", "blev", "fra"},
}
_STOPWORDS = {lang: {w.encode() for w in ws} for lang, ws in _STOPWORD_TEXT.items()}
EVIDENCE_CHARS = 200


@dataclass(frozen=True)
class ClassifierConfig:
    area_threshold: float = 2.5
    area_relative: float = 0.3
    cooperation_threshold: float = 1.0
    cooperation_relative: float = 0.5
    enumeration_factor: float = 2.5


class Classifier:
    def __init__(self, taxonomy: Taxonomy, config: ClassifierConfig | None = None) -> None:
        self.taxonomy = taxonomy
        self.config = config or ClassifierConfig()
        self.matcher = PhraseMatcher()
        for agency_id, agency in taxonomy.agencies.items():
            for name in [agency.name, *agency.names]:
                self.matcher.add(name, "agency", agency_id, exact=name.isupper() and len(name) <= 5)
            for short in agency.abbreviations:
                self.matcher.add(short, "agency", agency_id, exact=True)
        for phrase in taxonomy.roles.party:
            self.matcher.add(phrase, "role", "party")
        self._add_phrases("area", taxonomy.areas)
        self._add_phrases("coop", taxonomy.cooperation)
        for code, country in taxonomy.countries.items():
            for name in country.names:
                self.matcher.add(name, "country", code)
            for short in country.abbreviations:
                self.matcher.add(short, "country", code, exact=True)

    def _add_phrases(self, group: str, entries: dict[str, PhraseEntry]) -> None:
        for entry_id, entry in entries.items():
            for phrase in entry.strong:
                self.matcher.add(phrase, group, entry_id, 1.0, exact=_looks_like_acronym(phrase))
            for phrase in entry.weak:
                self.matcher.add(phrase, group, entry_id, WEAK_WEIGHT, exact=_looks_like_acronym(phrase))
            for phrase in entry.exclude:
                self.matcher.add(phrase, f"exclude-{group}", entry_id, 0.0)

    def classify(self, title: str, text: str, publisher: str = "") -> Tags:
        document = f"{title}\n{TITLE_MARK}\n{text}" if title else text
        scanned, hits = self.matcher.find(document)
        hits = _drop_excluded(hits)
        title_end = scanned.title_end() if title else 0
        cooperation = _scored(_Document(scanned, title_end, set(), 1.0), hits, "coop",
                              self.config.cooperation_threshold, self.config.cooperation_relative)
        # A list of crimes states the scope of an agreement, a meeting or a policy; in an operation's release it
        # lists what else a network did, which is not what the release is about.
        scope = bool(cooperation) and cooperation[0][0] in SCOPE_KINDS
        view = _Document(scanned, title_end, _enumerating_sentences(hits),
                         self.config.enumeration_factor if scope else 1.0)
        return Tags(
            agencies=self._agencies(view, hits, publisher),
            crime_areas=[
                AreaTag(id=i, score=s, evidence=e)
                for i, s, e in _scored(view, hits, "area", self.config.area_threshold, self.config.area_relative)
            ],
            countries=_countries(view, hits, self._publisher_country(publisher)),
            cooperation=[CooperationTag(id=i, evidence=e) for i, _, e in cooperation],
            language=detect_language(scanned.tokens),
        )

    def _publisher_country(self, publisher: str) -> str | None:
        """National publishers carry their country in their ID (md-mia is Moldova's ministry)."""
        prefix = publisher[:2].upper()
        return prefix if publisher[2:3] == "-" and prefix in self.taxonomy.countries else None

    def _agencies(self, view: _Document, hits: list[Hit], publisher: str) -> list[AgencyTag]:
        party_sentences = {h.sentence for h in hits if h.group == "role"}
        support: dict[str, list[Hit]] = defaultdict(list)
        found: dict[str, AgencyTag] = {}
        if publisher in self.taxonomy.agencies:
            found[publisher] = AgencyTag(id=publisher, role=AgencyRole.PUBLISHER)
        for hit in hits:
            if hit.group != "agency":
                continue
            tag = found.setdefault(hit.id, AgencyTag(id=hit.id, role=AgencyRole.MENTIONED))
            if tag.role is AgencyRole.MENTIONED and hit.sentence in party_sentences:
                tag.role = AgencyRole.PARTY
            support[hit.id].append(hit)
        for agency_id, tag in found.items():
            tag.evidence = _evidence(view, support[agency_id]) if support[agency_id] else tag.evidence
        order = {AgencyRole.PUBLISHER: 0, AgencyRole.PARTY: 1, AgencyRole.MENTIONED: 2}
        return sorted(found.values(), key=lambda t: order[t.role])


@dataclass(frozen=True)
class _Document:
    scan: Scan
    title_tokens: int
    enumerations: set[int]
    enumeration_factor: float
    sentences: dict[int, str] = field(default_factory=dict)  # whitespace-normalised, shared by the tags citing it

    def factor(self, hit: Hit) -> float:
        if hit.first < self.title_tokens:
            return TITLE_FACTOR
        if hit.group == "area" and hit.sentence in self.enumerations:
            return self.enumeration_factor
        return LEAD_FACTOR if hit.first < self.title_tokens + LEAD_TOKENS else 1.0

    def snippet(self, hit: Hit) -> str:
        """The sentence that gave the tag, cut around the phrase when it is long."""
        sentence = self.sentences.get(hit.sentence)
        if sentence is None:
            sentence = self.sentences[hit.sentence] = " ".join(self.scan.sentence_text(hit.sentence).split())
        if len(sentence) <= EVIDENCE_CHARS:
            return sentence
        at = max(0, fold_plain(sentence).lower().find(hit.key.split(b" ")[0].decode(errors="ignore")))
        start = max(0, at - EVIDENCE_CHARS // 2)
        piece = sentence[start : start + EVIDENCE_CHARS]
        if start > 0:
            piece = "…" + piece.split(" ", 1)[-1]
        return piece.rsplit(" ", 1)[0] + "…" if start + EVIDENCE_CHARS < len(sentence) else piece


def _looks_like_acronym(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(phrase) <= 8


def _drop_excluded(hits: list[Hit]) -> list[Hit]:
    if not any(group.startswith("exclude-") for group in set(map(attrgetter("group"), hits))):
        return keep_longest(hits)
    excluded: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for hit in hits:
        if hit.group.startswith("exclude-"):
            excluded[(hit.group.removeprefix("exclude-"), hit.id)].append((hit.first, hit.last))
    kept = [
        hit
        for hit in hits
        if not hit.group.startswith("exclude-")
        and not any(f <= hit.first and hit.last <= last for f, last in excluded.get((hit.group, hit.id), ()))
    ]
    return keep_longest(kept)


def _enumerating_sentences(hits: list[Hit]) -> set[int]:
    """Sentences that list three or more crime areas state a cooperation's scope: each area there counts."""
    areas: dict[int, set[str]] = defaultdict(set)
    for hit in hits:
        if hit.group == "area" and hit.weight >= 1.0:
            areas[hit.sentence].add(hit.id)
    return {sentence for sentence, named in areas.items() if len(named) >= 3}


def _scored(
    view: _Document, hits: list[Hit], group: str, threshold: float, relative: float
) -> list[tuple[str, float, list[str]]]:
    scores: dict[str, float] = defaultdict(float)
    counted: dict[tuple[str, bytes], int] = defaultdict(int)
    support: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.group != group:
            continue
        counted[(hit.id, hit.key)] += 1
        if counted[(hit.id, hit.key)] > MAX_COUNTED:
            continue
        scores[hit.id] += hit.weight * view.factor(hit)
        support[hit.id].append(hit)
    floor = max(threshold, relative * max(scores.values(), default=0.0))
    chosen = [(i, round(s, 2), _evidence(view, support[i])) for i, s in scores.items() if s >= floor]
    return sorted(chosen, key=lambda item: -item[1])


def _evidence(view: _Document, hits: list[Hit]) -> list[str]:
    """Up to three different sentences, strongest hits first: only for tags that were kept."""
    chosen: dict[int, Hit] = {}
    for hit in sorted(hits, key=attrgetter("weight"), reverse=True):  # stable: equal weights keep text order
        if hit.sentence not in chosen:
            chosen[hit.sentence] = hit
            if len(chosen) == MAX_EVIDENCE:
                break
    return [view.snippet(hit) for hit in chosen.values()]


def _countries(view: _Document, hits: list[Hit], publisher_country: str | None) -> list[CountryTag]:
    found: dict[str, CountryTag] = {}
    if publisher_country:
        found[publisher_country] = CountryTag(code=publisher_country, evidence=["the publisher's country"])
    support: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.group == "country":
            found.setdefault(hit.id, CountryTag(code=hit.id))
            support[hit.id].append(hit)
    for code, hits_of_country in support.items():
        found[code].evidence = _evidence(view, hits_of_country)
    return list(found.values())


def detect_language(tokens: list[bytes]) -> str:
    present = set(tokens[:400])
    counts = {lang: len(stop & present) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] >= 3 else "en"
