"""Search latency over a store of synthetic releases with a realistic (Zipf) vocabulary."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.corpus import documents
from bot.classify import Classifier
from bot.models import AgencyRole, AgencyTag, AreaTag, CountryTag, Release, Tags
from bot.store import Store
from bot.store.dialect import SearchFilter, SearchTerm
from bot.textutil import content_hash


def _vocabulary(classifier: Classifier) -> list[str]:
    words: dict[str, int] = {}
    for title, text in documents(classifier.taxonomy, count=200):
        for word in f"{title} {text}".lower().split():
            word = word.strip(".,;:()\"'")
            if word.isalpha():
                words[word] = words.get(word, 0) + 1
    return sorted(words, key=lambda w: -words[w])


def fill(store: Store, classifier: Classifier, count: int, rng: random.Random) -> list[str]:
    vocabulary = _vocabulary(classifier)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    agencies, areas = list(classifier.taxonomy.agencies), list(classifier.taxonomy.areas)
    countries = list(classifier.taxonomy.countries)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = 2000
    for first in range(0, count, batch):
        store.releases.add_new([_synthetic(n, rng, vocabulary, weights, (agencies, areas, countries), start)
                                for n in range(first, min(count, first + batch))])
    return vocabulary


def _synthetic(n: int, rng: random.Random, vocabulary: list[str], weights: list[float],
               names: tuple[list[str], list[str], list[str]], start: datetime) -> Release:
    agencies, areas, countries = names
    body = " ".join(rng.choices(vocabulary, weights, k=120))
    title = " ".join(rng.choices(vocabulary, weights, k=8)).capitalize()
    tags = Tags(agencies=[AgencyTag(id=rng.choice(agencies), role=AgencyRole.PARTY)],
                crime_areas=[AreaTag(id=rng.choice(areas), score=3.0)],
                countries=[CountryTag(code=rng.choice(countries))])
    return Release(id=f"s{n}", source_id="bench", publisher="europol", title=title, text=body,
                   published=start + timedelta(hours=n), tags=tags, content_hash=content_hash(title, body))


def _queries(vocabulary: list[str], rng: random.Random) -> list[SearchFilter]:
    common, rare = vocabulary[:20], vocabulary[len(vocabulary) // 2 :]
    queries = []
    for n in range(200):
        words = [rng.choice(common if n % 2 else rare)] + ([rng.choice(common)] if n % 3 == 0 else [])
        wanted = SearchFilter(terms=[SearchTerm(w) for w in words])
        if n % 7 == 0:  # a name the chat command resolves to a tag as well as text, as `search europol` does
            wanted.terms.append(SearchTerm("europol", tags=[("agency", "europol")]))
        if n % 4 == 0:
            wanted.facets.append(("agency", "europol"))
        if n % 5 == 0:
            wanted.since = datetime(2021, 1, 1, tzinfo=UTC)
        queries.append(wanted)
    return queries


def _stats(store: Store, label: str) -> dict[str, float]:
    """`stats` counts tags and months over every release matched: the whole store, and one agency's share."""
    figures = {}
    for name, wanted in (("all", SearchFilter()), ("agency", SearchFilter(facets=[("agency", "europol")]))):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            store.releases.counts(wanted)
            timings.append((time.perf_counter() - started) * 1000)
        figures[f"stats_{name}_ms_{label}"] = round(statistics.median(timings), 1)
    return figures


def run(classifier: Classifier, sizes: list[int], folder: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for size in sizes:
        store = Store.open(f"sqlite:///{folder / f'search-{size}.sqlite3'}")
        rng = random.Random(5)
        vocabulary = fill(store, classifier, size, rng)
        timings = []
        for wanted in _queries(vocabulary, rng):
            started = time.perf_counter()
            store.releases.search(wanted, limit=6)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        label = f"{size // 1000}k"
        figures[f"search_p50_ms_{label}"] = round(statistics.median(timings), 2)
        figures[f"search_p99_ms_{label}"] = round(timings[int(len(timings) * 0.99) - 1], 2)
        figures.update(_stats(store, label))
        store.close()
    return figures
