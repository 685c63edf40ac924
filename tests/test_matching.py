"""The subscription index finds exactly the subscriptions a plain check of every one of them would find."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import SubscriptionIndex, send_time, stems
from bot.models import (
    AgencyRole,
    AgencyTag,
    AreaTag,
    CooperationTag,
    CountryTag,
    Release,
    Schedule,
    Subscription,
    Tags,
)
from tests.conftest import threads_switching_often

AGENCIES, AREAS, COUNTRIES = ["europol", "eurojust", "interpol"], ["cybercrime", "terrorism"], ["DE", "MD", "FR"]
KINDS = ["agreement", "operation"]
VOCABULARY = ["money", "mules", "mule", "ransomware", "joint", "team", "teams", "cocaine", "port"]


def plain_match(sub: Subscription, release: Release) -> bool:
    if sub.paused:
        return False
    tags = set(release.tags.agency_ids()) | set(release.tags.area_ids()) | set(release.tags.country_codes())
    if not set(sub.agencies + sub.areas + sub.countries) <= tags or not set(sub.kinds) <= set(
        release.tags.cooperation_ids()
    ):
        return False
    text = " ".join(w.decode() for w in stems(f"{release.title}\n{release.text}"))

    def says(keyword: str) -> bool:  # the keyword's words in a row, any form of each ("mule" is "mules")
        return f" {' '.join(w.decode() for w in stems(keyword))} " in f" {text} "

    kinds = set(release.tags.cooperation_ids())
    for kind, value in sub.excluded:
        if says(value) if kind == "keyword" else value in (kinds if kind == "kind" else tags):
            return False
    return all(says(k) for k in sub.keywords)


_KEYWORDS = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=2).map(" ".join)
_EXCLUDED = st.one_of(
    st.tuples(st.just("agency"), st.sampled_from(AGENCIES)), st.tuples(st.just("area"), st.sampled_from(AREAS)),
    st.tuples(st.just("country"), st.sampled_from(COUNTRIES)), st.tuples(st.just("kind"), st.sampled_from(KINDS)),
    st.tuples(st.just("keyword"), _KEYWORDS),
)


subscriptions = st.builds(
    Subscription,
    id=st.integers(1, 10_000), platform=st.just("test"), channel=st.sampled_from(["A", "B", "C"]),
    agencies=st.lists(st.sampled_from(AGENCIES), max_size=2, unique=True),
    areas=st.lists(st.sampled_from(AREAS), max_size=2, unique=True),
    countries=st.lists(st.sampled_from(COUNTRIES), max_size=1),
    kinds=st.lists(st.sampled_from(KINDS), max_size=1),
    keywords=st.lists(_KEYWORDS, max_size=2),
    excluded=st.lists(_EXCLUDED, max_size=2),
    paused=st.booleans(),
)


@st.composite
def releases(draw: st.DrawFn) -> Release:
    tags = Tags(
        agencies=[AgencyTag(id=a, role=AgencyRole.PARTY) for a in draw(st.sets(st.sampled_from(AGENCIES)))],
        crime_areas=[AreaTag(id=a, score=3.0) for a in draw(st.sets(st.sampled_from(AREAS)))],
        countries=[CountryTag(code=c) for c in draw(st.sets(st.sampled_from(COUNTRIES)))],
        cooperation=[CooperationTag(id=k) for k in draw(st.sets(st.sampled_from(KINDS)))],
    )
    text = " ".join(draw(st.lists(st.sampled_from([*VOCABULARY, "Money", "MULES."]), max_size=12)))
    return Release(id="r", source_id="t", publisher="europol", title="News", text=text, tags=tags)


@settings(max_examples=300, deadline=None)
@given(st.lists(subscriptions, max_size=25), releases())
def test_the_index_agrees_with_checking_every_subscription(subs: list[Subscription], release: Release) -> None:
    index = SubscriptionIndex(subs)
    found = sorted(id(s) for s in index.match(release))
    assert found == sorted(id(s) for s in subs if plain_match(s, release))



def test_many_channels_with_one_subscription_all_match() -> None:
    subs = [Subscription(id=n, platform="t", channel=f"C{n}", agencies=["europol"], keywords=["money mules"])
            for n in range(50)]
    release = Release(id="r", source_id="t", publisher="europol", title="Money mules",
                      text="Europol action.", tags=Tags(agencies=[AgencyTag(id="europol", role=AgencyRole.PARTY)]))
    assert len(SubscriptionIndex(subs).match(release)) == 50
    release.title = "Money laundering"
    assert SubscriptionIndex(subs).match(release) == []


def test_a_keyword_matches_other_forms_of_its_words() -> None:
    release = Release(id="r", source_id="t", publisher="europol", title="Human smugglers arrested",
                      text="Money mules were recruited online.")
    subs = [Subscription(id=n, platform="t", channel="A", keywords=[keyword]) for n, keyword in
            enumerate(["smuggler", "money mule", "recruitment", "mule money", "smuggling"])]
    matched = {s.keywords[0] for s in SubscriptionIndex(subs).match(release)}
    assert matched == {"smuggler", "money mule", "recruitment"}  # "recruited"; not the same words in another order


def test_a_subscription_leaves_out_what_it_excludes() -> None:
    europol = [AgencyTag(id="europol", role=AgencyRole.PARTY)]
    training = Release(id="t", source_id="t", publisher="europol", title="Cybercrime course", text="A course.",
                       tags=Tags(agencies=europol, cooperation=[CooperationTag(id="training")]))
    operation = Release(id="o", source_id="t", publisher="europol", title="Ransomware gang arrested",
                        text="A press conference followed.", tags=Tags(agencies=europol))
    subs = [Subscription(id=1, platform="t", channel="A", agencies=["europol"], excluded=[("kind", "training")]),
            Subscription(id=2, platform="t", channel="B", excluded=[("keyword", "press conference")]),
            Subscription(id=3, platform="t", channel="C", excluded=[("agency", "europol")])]
    index = SubscriptionIndex(subs)
    assert [s.id for s in index.match(training)] == [2]
    assert [s.id for s in index.match(operation)] == [1]


def test_held_alerts_go_out_at_the_next_hour_and_weekly_ones_on_monday() -> None:
    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=UTC)  # 24 November 2026 is a Tuesday, the 30th a Monday

    assert send_time(Schedule.INSTANT, at(24, 12), 8) == at(24, 12)
    assert send_time(Schedule.DAILY, at(24, 7), 8) == at(24, 8)
    assert send_time(Schedule.DAILY, at(24, 12), 8) == at(25, 8)
    assert send_time(Schedule.DAILY, at(24, 8), 8) == at(25, 8)
    assert send_time(Schedule.WEEKLY, at(24, 12), 8) == at(30, 8)
    assert send_time(Schedule.WEEKLY, at(30, 6), 8) == at(30, 8)
    assert send_time(Schedule.WEEKLY, at(29, 23), 0) == at(30, 0)


def test_words_are_stemmed_right_when_several_polls_store_releases_at_once() -> None:
    words = [f"{stem}{n}{ending}" for n in range(400) for stem in ("traffick", "smuggl", "launder")
             for ending in ("ing", "ers", "ed")]
    expected = [snowballstemmer.stemmer("porter").stemWord(word) for word in words]
    texts = [" ".join(words[start::8]) for start in range(8)]
    with threads_switching_often(), ThreadPoolExecutor(8) as pool:
        found = list(pool.map(stems, texts))
    assert [[w.decode() for w in stemmed] for stemmed in found] == [expected[start::8] for start in range(8)]
