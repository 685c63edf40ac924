"""Tags a release with agencies (and their role), crime areas, countries and kinds of cooperation, with evidence.

Pure functions over text: build a Classifier once from the taxonomy, then call it for every release.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from bot.language import detect_language
from bot.matcher import BODY, LEAD, TITLE, Hit, PhraseMatcher, Scan, fold_plain
from bot.models import AgencyRole, AgencyTag, AreaTag, CooperationTag, CountryRole, CountryTag, Tags
from bot.taxonomy import PhraseEntry, Taxonomy
from bot.textutil import content_hash, without_credits

# Raise it when a change to this module, the matcher, the summary or the facts line changes what a stored release
# gets.
RULES_VERSION = "2026-11-27.5"
WEAK_WEIGHT = 0.4
TITLE_FACTOR = 2.5
LEAD_FACTOR = 1.5
_FACTORS = {TITLE: TITLE_FACTOR, LEAD: LEAD_FACTOR, BODY: 1.0}
LEAD_TOKENS = 60
SCOPE_KINDS = {"agreement", "meeting", "policy", "training"}
MAX_COUNTED = 2
# Evidence sentences kept per tag: as many as `show` and `coop classify` print for each kind of tag.
EVIDENCE = {"area": 3, "agency": 2, "country": 1, "coop": 1}
EVIDENCE_CHARS = 200


@dataclass(frozen=True)
class ClassifierConfig:
    area_threshold: float = 2.5
    area_relative: float = 0.3
    cooperation_threshold: float = 1.0
    cooperation_relative: float = 0.5
    enumeration_factor: float = 2.5
    charge_factor: float = 2.5


# Every group of phrases the classifier reads; a taxonomy may leave any of them empty (no countries.toml, no
# nationality words) and still classify.
_GROUPS = ("agency", "role", "case", "charge", "nationality", "people", "area", "coop", "country")


class Classifier:
    def __init__(self, taxonomy: Taxonomy, config: ClassifierConfig | None = None) -> None:
        self.taxonomy = taxonomy
        self.config = config or ClassifierConfig()
        # Stored releases were tagged by the classifier with this fingerprint; another one means tag them again.
        self.fingerprint = content_hash(RULES_VERSION, taxonomy.model_dump_json(), repr(self.config))[:16]
        # A role, case or nationality word inside a name or a crime ("organised crime", "European Public
        # Prosecutor's Office") is none of those, and a body's name is not what it does ("EU Agency for Law
        # Enforcement Training" holds no training, the "Network of National Experts on Joint Investigation Teams"
        # no operation).
        names = frozenset({"agency", "area", "country"})
        self.matcher = PhraseMatcher(hidden={"role": names, "case": names, "charge": names, "nationality": names,
                                             "people": names,
                                             "coop": frozenset({"agency"}), "country": frozenset({"place"})},
                                     groups=_GROUPS)
        for agency_id, agency in taxonomy.agencies.items():
            for name in [agency.name, *agency.names]:
                self.matcher.add(name, "agency", agency_id, exact=name.isupper() and len(name) <= 5)
            for short in agency.abbreviations:
                self.matcher.add(short, "agency", agency_id, exact=True)
        for phrase in taxonomy.roles.party:
            self.matcher.add(phrase, "role", "party")
        for phrase in taxonomy.roles.case:
            self.matcher.add(phrase, "case", "case")
        for phrase in taxonomy.roles.charges:
            self.matcher.add(phrase, "charge", "charge")
        for phrase in taxonomy.roles.nationality:
            self.matcher.add(phrase, "nationality", "nationality")
        for phrase in taxonomy.roles.peoples:
            self.matcher.add(phrase, "people", "people")
        self._cases = bool(taxonomy.roles.case)
        self._add_phrases("area", taxonomy.areas)
        self._add_phrases("coop", taxonomy.cooperation)
        for code, country in taxonomy.countries.items():
            for name in country.names:
                self.matcher.add(name, "country", code)
            for short in country.abbreviations:
                self.matcher.add(short, "country", code, exact=True)
            for body in country.authorities:
                # A national body named in a release takes part in it: its sentence is one of the case, as one
                # naming the police is, and every country named there is involved with its own.
                acronym = _looks_like_acronym(body)
                self.matcher.add(body, "country", code, exact=acronym)
                self.matcher.add(body, "case", "case", exact=acronym)
        for place in taxonomy.not_countries:  # found only to hide the country name inside it
            self.matcher.add(place, "place", "place")
        self.matcher.compile()

    def _add_phrases(self, group: str, entries: dict[str, PhraseEntry]) -> None:
        for entry_id, entry in entries.items():
            for phrase in entry.strong:
                self.matcher.add(phrase, group, entry_id, 1.0, exact=_looks_like_acronym(phrase))
            for phrase in entry.weak:
                self.matcher.add(phrase, group, entry_id, WEAK_WEIGHT, exact=_looks_like_acronym(phrase))
            for phrase in entry.exclude:
                self.matcher.add(phrase, f"exclude-{group}", entry_id, 0.0)

    def classify(self, title: str, text: str, publisher: str = "") -> Tags:
        scanned, groups = self.matcher.find(without_credits(text), title, LEAD_TOKENS)
        config, quotes = self.config, _Quotes(scanned)
        cooperation = _scored(groups["coop"], scanned, {}, config.cooperation_threshold, config.cooperation_relative)
        # A list of crimes states the scope of an agreement, a meeting or a policy; in an operation's release it
        # lists what else a network did, and in a report what its cases were about ("most cases concerned fraud,
        # money laundering and drug trafficking"): neither is what the release is about.
        scope = bool(cooperation) and cooperation[0][0] in SCOPE_KINDS
        charged = {hit[1] for hit in groups["charge"]}
        areas = _scored(groups["area"], scanned, self._weighty_sentences(groups, scope, charged),
                        config.area_threshold, config.area_relative, charged)
        return Tags(
            agencies=self._agencies(groups, publisher, quotes),
            crime_areas=[AreaTag(id=i, score=s, evidence=quotes.evidence(h, EVIDENCE["area"], by_weight=True))
                         for i, s, h in areas],
            countries=_countries(groups, self._publisher_country(publisher), quotes, self._cases),
            cooperation=[CooperationTag(id=i, evidence=quotes.evidence(h, EVIDENCE["coop"], by_weight=True))
                         for i, _, h in cooperation],
            language=detect_language(scanned.lowered),
        )

    def _weighty_sentences(self, groups: dict[str, list[Hit]], scope: bool, charged: set[int]) -> dict[int, float]:
        """Sentences whose crimes weigh the same wherever they stand outside the title: a list of crimes (more when
        it states a scope, as the body's weight when it does not), and what suspects are arrested for, charged
        with or convicted of ("arrested for fraud, forgery and money laundering"): those are the case's own crimes,
        however far down the feed's text names them."""
        listing = self.config.enumeration_factor if scope else 1.0  # an operation's list: what else a network did
        weights = dict.fromkeys(_enumerating_sentences(groups["area"]), listing)
        weights.update(dict.fromkeys(charged, self.config.charge_factor))
        return weights

    def _publisher_country(self, publisher: str) -> str | None:
        """National publishers carry their country in their ID (md-mia is Moldova's ministry)."""
        prefix = publisher[:2].upper()
        return prefix if publisher[2:3] == "-" and prefix in self.taxonomy.countries else None

    def _agencies(self, groups: dict[str, list[Hit]], publisher: str, quotes: _Quotes) -> list[AgencyTag]:
        party_sentences = {sentence for _, sentence, _ in groups["role"]}
        support: dict[str, list[Hit]] = {}
        parties: set[str] = set()
        for hit in groups["agency"]:
            support.setdefault(hit[0].id, []).append(hit)
            if hit[1] in party_sentences:
                parties.add(hit[0].id)
        roles: dict[str, AgencyRole] = {}
        if publisher in self.taxonomy.agencies:
            roles[publisher] = AgencyRole.PUBLISHER
        for agency_id in sorted(support, key=lambda a: a not in parties):  # stable: text order within a role
            roles.setdefault(agency_id, AgencyRole.PARTY if agency_id in parties else AgencyRole.MENTIONED)
        limit = EVIDENCE["agency"]
        return [AgencyTag(id=agency_id, role=role, evidence=quotes.evidence(support.get(agency_id, []), limit))
                for agency_id, role in roles.items()]


class _Quotes:
    """Evidence: the sentences that gave a tag, as written; each sentence is read and cut once per release."""

    def __init__(self, scanned: Scan) -> None:
        self.scan = scanned
        self.sentences: dict[int, str] = {}
        self.cuts: dict[tuple[int, str], str] = {}

    def evidence(self, hits: list[Hit], limit: int, by_weight: bool = False) -> list[str]:
        """Up to `limit` different sentences, in text order or strongest hits first: only for tags that were kept."""
        chosen: dict[int, Hit] = {}
        for hit in sorted(hits, key=_weight, reverse=True) if by_weight else hits:  # stable: text order on a tie
            if hit[1] not in chosen:
                chosen[hit[1]] = hit
                if len(chosen) == limit:
                    break
        return [self.snippet(hit) for hit in chosen.values()]

    def snippet(self, hit: Hit) -> str:
        """The sentence that gave the tag, cut around the phrase when it is long."""
        index = hit[1]
        sentence = self.sentences.get(index)
        if sentence is None:
            sentence = self.scan.sentence_text(index).strip()
            if "  " in sentence or "\t" in sentence or "\r" in sentence:
                sentence = " ".join(sentence.split())
            self.sentences[index] = sentence
        if len(sentence) <= EVIDENCE_CHARS:
            return sentence
        word = hit[0].key.split(None, 1)[0]
        cut = self.cuts.get((index, word))
        if cut is None:
            cut = self.cuts[(index, word)] = _cut_around(sentence, word)
        return cut


def _cut_around(sentence: str, word: str) -> str:
    """About EVIDENCE_CHARS of a long sentence around the first place it has `word` (folded)."""
    at = sentence.lower().find(word)
    if at < 0:
        at = max(0, fold_plain(sentence).lower().find(word))
    start = max(0, at - EVIDENCE_CHARS // 2)
    piece = sentence[start : start + EVIDENCE_CHARS]
    if start > 0:
        piece = "…" + piece.split(" ", 1)[-1]
    return piece.rsplit(" ", 1)[0] + "…" if start + EVIDENCE_CHARS < len(sentence) else piece


def _looks_like_acronym(phrase: str) -> bool:
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(phrase) <= 8


def _enumerating_sentences(hits: list[Hit]) -> set[int]:
    """Sentences that list three or more crime areas state a cooperation's scope: each area there counts."""
    areas: dict[int, set[str]] = defaultdict(set)
    for phrase, sentence, _ in hits:
        if phrase.weight >= 1.0:
            areas[sentence].add(phrase.id)
    return {sentence for sentence, named in areas.items() if len(named) >= 3}


def _scored(
    hits: list[Hit], scanned: Scan, weighty: dict[int, float], threshold: float, relative: float,
    charged: set[int] | None = None,
) -> list[tuple[str, float, list[Hit]]]:
    """Each tag's score: its phrases' weights times where they stand (the title, the lead, or a weighty sentence
    outside the title), each phrase counted at most twice. A tag needs the threshold and a share of the top score,
    which drops passing mentions; a crime of the charge (a strong phrase in a `charged` sentence) is none, so it
    needs only the threshold."""
    scores: dict[str, float] = {}
    counted: dict[int, int] = {}
    support: dict[str, list[Hit]] = {}
    for hit in hits:
        phrase, sentence, start = hit
        seen = counted.get(phrase.number, 0)
        if seen == MAX_COUNTED:
            continue
        counted[phrase.number] = seen + 1
        zone = scanned.zone(start)
        factor = weighty.get(sentence, _FACTORS[zone]) if zone != TITLE else TITLE_FACTOR
        scores[phrase.id] = scores.get(phrase.id, 0.0) + phrase.weight * factor
        support.setdefault(phrase.id, []).append(hit)
    floor = max(threshold, relative * max(scores.values(), default=0.0))
    of_charge = {hit[0].id for hit in hits if hit[1] in charged and hit[0].weight >= 1.0} if charged else set()
    chosen = [(i, round(s, 2), support[i]) for i, s in scores.items()
              if s >= floor or s >= threshold and i in of_charge]
    return sorted(chosen, key=lambda item: -item[1])


def _weight(hit: Hit) -> float:
    return hit[0].weight


def _countries(
    groups: dict[str, list[Hit]], publisher_country: str | None, quotes: _Quotes, cases: bool
) -> list[CountryTag]:
    """Every country named, involved ones first: a national publisher's own country, those in the title, and those
    in a sentence of the case (authorities, arrests, a court). The evidence quotes what made a country involved."""
    case_sentences = {hit[1] for hit in groups["case"]}
    nationalities = _nationalities(groups, quotes.scan.lowered) if cases else set()
    title_end = quotes.scan.title_end
    support: dict[str, list[Hit]] = {}
    involving: dict[str, list[Hit]] = {publisher_country: []} if publisher_country else {}
    for hit in groups["country"]:
        support.setdefault(hit[0].id, []).append(hit)
        if (not cases or hit[2] < title_end or hit[1] in case_sentences) and hit[2] not in nationalities:
            involving.setdefault(hit[0].id, []).append(hit)
    limit = EVIDENCE["country"]
    tags = [CountryTag(code=code, role=CountryRole.INVOLVED,
                       evidence=quotes.evidence(found, limit) if found else ["the publisher's country"])
            for code, found in involving.items()]
    return tags + [CountryTag(code=code, role=CountryRole.MENTIONED, evidence=quotes.evidence(found, limit))
                   for code, found in support.items() if code not in involving]


# From the end of a word to the start of the next one in the matched string: the gap widens after punctuation,
# and a list of nationalities may be joined by a word ("led" joins the leaders' nationality to their group:
# "Pakistani-led migrant smuggling network"). Each word order has its languages' joining words:
# adjectives first in English, German and Dutch ("Afghan, Iraqi and Syrian migrants"), after the noun in French,
# Spanish, Italian and Romanian ("marroquies, argelinos y tunecinos"). Dutch "en" is Spanish "in".
_TO_ADJECTIVE_BEFORE = re.compile(" +(?:(?:and|or|und|oder|en|led) +)?")
_TO_ADJECTIVE_AFTER = re.compile(" +(?:(?:et|ou|y|o|e|ed|si|sau) +)?")


def _nationalities(groups: dict[str, list[Hit]], lowered: str) -> set[int]:
    """Where country hits stand for people's nationality, so their state neither acts nor is the place of the
    case: an adjective right before a nationality word ("Syrian migrants", "Belarusian nationals") or right after
    it ("ressortissants syriens"), and the adjectives listed with it ("Afghan and Syrian migrants"), a people's
    among them ("Iraqi and Kurdish migrants"). Returns the hits' positions in the matched string."""
    if not groups["nationality"]:
        return set()
    nationality_at = {hit[2] for hit in groups["nationality"]}
    sentences = {hit[1] for hit in groups["nationality"]}
    listed = sorted(groups["country"] + groups["people"], key=_start) if groups["people"] else groups["country"]
    found: set[int] = set()
    for hit in reversed(listed):  # from the end, so a list is marked from its last adjective back
        if hit[1] in sentences and _next_word_at(hit, lowered, _TO_ADJECTIVE_BEFORE) in nationality_at:
            nationality_at.add(hit[2])
            found.add(hit[2])
    # A key ends with the first space of a gap and the next one starts at the second: a noun's adjective starts
    # right where the noun's key ends, with no punctuation between them.
    after_noun = {hit[2] + len(hit[0].key) for hit in groups["nationality"]}
    for hit in listed:
        if hit[2] in after_noun:
            found.add(hit[2])
            after_noun.add(_next_word_at(hit, lowered, _TO_ADJECTIVE_AFTER))
    return found


def _start(hit: Hit) -> int:
    return hit[2]


def _next_word_at(hit: Hit, lowered: str, gap_pattern: re.Pattern[str]) -> int:
    """Where the key of the word after a hit would start, across a gap, punctuation or a joining word (-1: none)."""
    gap = gap_pattern.match(lowered, hit[2] + len(hit[0].key) - 1)
    return gap.end() - 1 if gap else -1
