"""Tagging speed: ours, a naive loop of substring tests over the same phrases, and a lower bound."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from benchmarks.corpus import documents
from bot.classify import Classifier
from bot.matcher import fold_plain

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
    }
