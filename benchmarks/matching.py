"""Matching one release against many subscriptions through the index."""

from __future__ import annotations

import random
import time

from benchmarks.corpus import documents
from bot.classify import Classifier
from bot.matching import SubscriptionIndex
from bot.models import Release, Subscription


def _subscriptions(count: int, classifier: Classifier, rng: random.Random) -> list[Subscription]:
    agencies, areas = list(classifier.taxonomy.agencies), list(classifier.taxonomy.areas)
    countries = list(classifier.taxonomy.countries)
    subs = []
    for n in range(count):
        kind = rng.random()
        sub = Subscription(id=n, platform="bench", channel=f"C{n}")
        if kind < 0.4:
            sub.agencies.append(rng.choice(agencies))
        elif kind < 0.7:
            sub.areas.append(rng.choice(areas))
            sub.countries.append(rng.choice(countries))
        elif kind < 0.9:
            sub.areas.append(rng.choice(areas))
        else:
            sub.keywords.append(rng.choice(["joint investigation team", "ransomware", "money mules", "cocaine"]))
        subs.append(sub)
    return subs


def run(classifier: Classifier, sizes: list[int]) -> dict[str, float]:
    rng = random.Random(3)
    docs = documents(classifier.taxonomy)[:50]
    releases = [classifier_release(classifier, n, title, text) for n, (title, text) in enumerate(docs)]
    figures: dict[str, float] = {}
    for size in sizes:
        index = SubscriptionIndex(_subscriptions(size, classifier, rng))
        started = time.perf_counter()
        rounds = 0
        while time.perf_counter() - started < 1.0:
            for release in releases:
                index.match(release)
            rounds += len(releases)
        figures[f"match_ms_{size // 1000}k"] = round((time.perf_counter() - started) / rounds * 1000, 3)
    return figures


def classifier_release(classifier: Classifier, n: int, title: str, text: str) -> Release:
    return Release(id=f"b{n}", source_id="bench", publisher="eurojust", title=title, text=text,
                   tags=classifier.classify(title, text, "eurojust"))
