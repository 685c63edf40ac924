"""The phrase automaton finds what a scan of every phrase occurrence, sentence by sentence, would keep."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.matcher import BODY, GAP, LEAD, SENTENCE_MARK, TITLE, PhraseMatcher

# "mega" ends "omega" and "alpha" ends "xalpha": a phrase must not match inside a longer word
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "mega", "xalpha"]
SEPARATORS = [" ", " ", " ", "  ", ", ", "-", ". ", "\n"]
HIDDEN = {"role": frozenset({"area"})}

phrase_specs = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        st.sampled_from(["area", "role", "country", "exclude-area"]),
        st.sampled_from(["x", "y"]),
    ),
    min_size=1,
    max_size=8,
)
texts = st.lists(st.tuples(st.sampled_from(WORDS + ["Alpha", "BETA"]), st.sampled_from(SEPARATORS)), max_size=30)

Found = tuple[int, int, str, str]  # first word, last word, group, ID


def _expected(lowered: str, specs: list[tuple[list[str], str, str]]) -> Counter[tuple[str, str, int, int]]:
    """Every occurrence of every phrase in every sentence, kept or dropped by the rules the automaton follows.

    A phrase's words are one separator apart: in the matched string, exactly one gap."""
    keys: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for words, group, id_ in specs:
        keys.setdefault(tuple(words), []).append((group, id_))
    sentences: list[list[list[tuple[str, int]]]] = [[[]]]  # sentence -> runs of words one gap apart
    previous_end = -1
    for match in re.finditer(r"\S+", lowered):
        word, start = match.group(), match.start()
        if word == SENTENCE_MARK:
            sentences.append([[]])
        elif start - previous_end != len(GAP):
            sentences[-1].append([(word, start - 1)])
        else:
            sentences[-1][-1].append((word, start - 1))
        previous_end = match.end()
    expected: Counter[tuple[str, str, int, int]] = Counter()
    for number, runs in enumerate(sentences):
        found: list[Found] = []
        starts: list[int] = []
        for run in runs:
            run_words, base = tuple(word for word, _ in run), len(starts)
            starts += [at for _, at in run]
            found += [(base + i, base + j, group, id_) for i in range(len(run_words)) for j in range(i, len(run_words))
                      for group, id_ in keys.get(run_words[i : j + 1], [])]
        for first, _, group, id_ in _kept(found):
            expected[(group, id_, number, starts[first])] += 1
    return expected


def _kept(found: list[Found]) -> list[Found]:
    excluded = [(f, last, g.removeprefix("exclude-"), i) for f, last, g, i in found if g.startswith("exclude-")]
    kept: list[Found] = []
    reach: dict[str, int] = {}
    named: dict[tuple[str, str], int] = {}  # one stretch of words names a thing once
    for first, last, group, id_ in sorted(found, key=lambda item: (item[0], -item[1])):
        if group.startswith("exclude-") or any(
            f <= first and last <= end and (g, i) == (group, id_) for f, end, g, i in excluded
        ):
            continue
        if reach.get(group, -1) >= last or any(
            f <= first and last <= end and end - f > last - first and g in HIDDEN.get(group, ())
            for f, end, g, _ in found
        ):
            continue
        if named.get((group, id_), -1) >= first:
            continue
        reach[group] = named[(group, id_)] = last
        kept.append((first, last, group, id_))
    return kept


def _chained(found: list[Found]) -> bool:
    """Three phrases each overlapping the next: the one case the automaton's union keys leave out."""
    spans = {(f, last) for f, last, _, _ in found}
    def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[0] <= a[1] < b[1]
    return any(overlaps(a, b) and overlaps(b, c) for a in spans for b in spans for c in spans)


@settings(max_examples=300, deadline=None)
@given(phrase_specs, texts)
def test_the_automaton_keeps_what_a_full_scan_keeps(specs: list[tuple[list[str], str, str]],
                                                     pieces: list[tuple[str, str]]) -> None:
    matcher = PhraseMatcher(hidden=HIDDEN)
    for words, group, id_ in specs:
        matcher.add(" ".join(words), group, id_)
    text = "".join(word + separator for word, separator in pieces)
    scanned, groups = matcher.find(text)
    lowered = scanned.lowered
    every = [(i, j, "", "") for i, j in _spans_in_text(lowered, specs)]
    assume(not _chained(every))
    found = Counter((hit[0].group, hit[0].id, hit[1], hit[2]) for hits in groups.values() for hit in hits)
    assert found == _expected(lowered, specs)
    for hits in groups.values():
        for phrase, sentence, at in hits:
            assert lowered.startswith(phrase.key, at)
            assert lowered.count(f" {SENTENCE_MARK} ", 0, at + 1) == sentence


def _spans_in_text(lowered: str, specs: list[tuple[list[str], str, str]]) -> list[tuple[int, int]]:
    """Word spans of every phrase occurrence, counting sentence marks as words (they break no chain here)."""
    words = lowered.split()
    phrases = {tuple(w) for w, _, _ in specs}
    return [(i, j) for i in range(len(words)) for j in range(i, len(words)) if tuple(words[i : j + 1]) in phrases]


def test_words_are_two_spaces_apart_and_the_lead_is_counted_in_words() -> None:
    matcher = PhraseMatcher()
    matcher.add("Alpha-Beta", "area", "x")
    scanned, groups = matcher.find("alpha  beta")
    assert scanned.lowered.split(GAP) == ["", "alpha", "beta", ""]
    assert [h[2] for h in groups["area"]] == [1]
    assert [len(matcher.find(text)[1]["area"]) for text in ("alpha-beta", "alpha, beta", "alpha. Beta")] == [1, 0, 0]
    words = ["omega"] * 70
    words[5] = words[65] = "alpha beta"
    scanned, groups = matcher.find(" ".join(words), lead_words=60)
    assert [scanned.zone(start) for _, _, start in groups["area"]] == [LEAD, BODY]
    scanned, groups = matcher.find(" ".join(words), title="Alpha beta", lead_words=60)
    assert [scanned.zone(start) for _, _, start in groups["area"]] == [TITLE, LEAD, BODY]


def _matcher_of(*phrases: tuple[str, str, str]) -> PhraseMatcher:
    matcher = PhraseMatcher()
    for text, group, id_ in phrases:
        matcher.add(text, group, id_)
    return matcher


def test_overlapping_phrases_are_both_found() -> None:
    matcher = _matcher_of(("signed a memorandum", "coop", "agreement"), ("memorandum of understanding", "coop", "mou"),
                          ("understanding", "word", "understanding"))
    _, groups = matcher.find("The agencies signed a memorandum of understanding on Monday.")
    assert sorted(hit[0].id for hit in groups["coop"]) == ["agreement", "mou"]
    assert [hit[0].id for hit in groups["word"]] == ["understanding"]


def test_overlapping_phrases_of_one_tag_name_it_once() -> None:
    """"Illicit trafficking of cultural goods" names one crime, though two of its phrases overlap there."""
    matcher = _matcher_of(("illicit trafficking of cultural", "area", "cultural-goods"),
                          ("cultural goods", "area", "cultural-goods"), ("goods", "word", "goods"))
    _, groups = matcher.find("Priorities: illicit trafficking of cultural goods. Cultural goods were returned.")
    assert [(hit[0].key.strip(), hit[1]) for hit in groups["area"]] == [
        ("illicit  trafficking  of  cultural", 0), ("cultural  goods", 1)]
    assert [hit[1] for hit in groups["word"]] == [0, 1]


def test_a_phrase_never_starts_inside_a_word_nor_hides_one_that_starts_at_a_word() -> None:
    matcher = _matcher_of(("arms", "area", "arms"), ("mega beta", "area", "mega-beta"),
                          ("beta gamma", "area", "beta-gamma"))
    _, groups = matcher.find("Firearms seized. Omega beta gamma.")
    assert [(hit[0].id, hit[1]) for hit in groups["area"]] == [("beta-gamma", 1)]


def test_a_suspended_hyphen_is_matched_as_written() -> None:
    """German joins two compounds with one hyphen ("Grenz- und Küstenwache"): a phrase written so is found where the
    text writes it so, and the words without the hyphen are another phrase."""
    matcher = _matcher_of(("Grenz- und Kustenwache", "agency", "frontex"), ("Grenz und Kustenwache", "word", "plain"))
    _, groups = matcher.find("Die Grenz- und Küstenwache half. Grenz und Küstenwache.")
    assert [(hit[0].id, hit[1]) for hit in groups["agency"]] == [("frontex", 0)]
    assert [hit[1] for hit in groups["word"]] == [1]
