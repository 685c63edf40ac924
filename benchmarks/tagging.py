"""Tagging speed: ours, a naive loop of substring tests over the same phrases, and a lower bound."""

from __future__ import annotations

import itertools
import re
import time
from collections import deque
from collections.abc import Callable

from benchmarks.corpus import documents
from bot.classify import LEAD_TOKENS, Classifier
from bot.matcher import END, fold_plain, scan

_WORD = re.compile(r"\w+")


def _rate(docs: list[tuple[str, str]], work: Callable[[str, str], object], seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for title, text in docs:
            work(title, text)
        done += len(docs)
    return done / (time.perf_counter() - started)


def run(classifier: Classifier, seconds: float) -> dict[str, float]:
    docs = documents(classifier.taxonomy)
    taxonomy = classifier.taxonomy
    phrases = [fold_plain(p).lower() for area in taxonomy.areas.values() for p in [*area.strong, *area.weak]]
    phrases += [fold_plain(n).lower() for a in taxonomy.agencies.values() for n in [a.name, *a.names]]
    phrases += [fold_plain(n).lower() for c in taxonomy.countries.values() for n in c.names]

    def naive(title: str, text: str) -> object:
        folded = fold_plain(f"{title}\n{text}").lower()
        return [p for p in phrases if p in folded]

    def limit(title: str, text: str) -> object:
        return _WORD.findall(f"{title}\n{text}".lower())

    ours = _rate(docs, lambda t, x: classifier.classify(t, x, "eurojust"), seconds)
    return {
        "tagging_docs_per_s": round(ours),
        "tagging_naive_docs_per_s": round(_rate(docs, naive, seconds)),
        "tagging_limit_docs_per_s": round(_rate(docs, limit, seconds)),
        "tagging_phrases": len(phrases),
        **_breakdown(classifier, docs, seconds),
    }


def _breakdown(classifier: Classifier, docs: list[tuple[str, str]], seconds: float) -> dict[str, float]:
    """Where a release's time goes, in µs, each step timed alone and including the ones before it: the matched
    string, the automaton's walk over it, the matcher's loop over the matches, the whole classification."""
    automaton = classifier.matcher.compile()
    lowered = [scan(text, title, LEAD_TOKENS).lowered + END for title, text in docs]
    walked = itertools.cycle(lowered)  # in the order _rate goes through the documents

    def walk(title: str, text: str) -> object:
        return deque(automaton.iter_long(next(walked)), 0)

    steps: dict[str, Callable[[str, str], object]] = {
        "scan": lambda t, x: scan(x, t, LEAD_TOKENS),
        "walk": walk,
        "find": lambda t, x: classifier.matcher.find(x, t, LEAD_TOKENS),
        "classify": lambda t, x: classifier.classify(t, x, "eurojust"),
    }
    return {f"tagging_{name}_us": round(1e6 / _rate(docs, step, seconds / 2), 1) for name, step in steps.items()}
