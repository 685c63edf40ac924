"""All dialect-specific SQL of the store: the full-text index and the ranked search over it.

SQLite uses FTS5 with bm25 (title weighted above body). A PostgreSQL store implements the same functions (create,
drop, index, search, counts) with a tsvector column and ts_rank_cd; callers never see the difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Insert, Table, text
from sqlalchemy.dialects import postgresql, sqlite

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
TAG_BONUS = 4.0  # a term that names a tag ("europol", "cybercrime"): releases with the tag come first
CANDIDATES = 1000  # newest full-text matches considered per lookup; bounds the cost of common words
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchTerm:
    """One thing the user asked for: words (or a phrase) found in the text, or any of these tags. A release with
    one of the tags ranks higher; with `word_first` (a word of a crime area, "cocaine") only if it also has the
    words, so releases that name them come before those only tagged with the area."""

    text: str
    phrase: bool = False
    tags: list[tuple[str, str]] = field(default_factory=list)
    word_first: bool = False
    # "ransomware OR phishing": the term matches when one of these does (its tags are all of theirs)
    alternatives: list[SearchTerm] = field(default_factory=list)


@dataclass
class SearchFilter:
    """Every term must match (as text or as tag), or with `any_term` one; facets are hard filters on tags; since
    and until on the date; a release that an excluded term matches (as text or as tag) is left out."""

    terms: list[SearchTerm] = field(default_factory=list)
    facets: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[SearchTerm] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None  # exclusive: the first moment no longer wanted
    any_term: bool = False  # one term is enough (when none has them all); more matching terms rank higher
    newest_first: bool = False  # ordered by date alone (latest), not by how well a release matches
    every_match: bool = False  # no CANDIDATES cut: an export must hold every match, however old and however many


def insert_ignoring_duplicates(conn: Connection, table: Table) -> Insert:
    """An INSERT that skips rows breaking a unique constraint (the outbox relies on it to queue once)."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement: Insert = module.insert(table).on_conflict_do_nothing()
    return statement


def upsert(conn: Connection, table: Table, values: dict[str, object], keys: list[str]) -> Insert:
    """INSERT, or UPDATE the row with the same key columns."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = module.insert(table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    result: Insert = statement.on_conflict_do_update(index_elements=keys, set_=changes)
    return result


def _require_sqlite(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        raise NotImplementedError(f"full-text search is implemented for SQLite only, not {conn.dialect.name}")


def create(conn: Connection) -> None:
    _require_sqlite(conn)
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE releases_fts USING fts5("
            "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    )


def reindex_all(conn: Connection) -> None:
    """The full-text index built again from the stored releases (after a change to how it splits words)."""
    drop(conn)
    create(conn)
    conn.execute(text("INSERT INTO releases_fts (rowid, title, body) SELECT seq, title, body FROM releases"))


def drop(conn: Connection) -> None:
    _require_sqlite(conn)
    conn.execute(text("DROP TABLE IF EXISTS releases_fts"))


def index(conn: Connection, seq: int, title: str, body: str) -> None:
    """Called inside the transaction that writes the release, so the index never lags behind."""
    conn.execute(text("DELETE FROM releases_fts WHERE rowid = :seq"), {"seq": seq})
    conn.execute(
        text("INSERT INTO releases_fts (rowid, title, body) VALUES (:seq, :title, :body)"),
        {"seq": seq, "title": title, "body": body},
    )


def match_expression(term: SearchTerm) -> str:
    """User text as an FTS5 query: every token quoted, so no user input is read as FTS syntax."""
    if term.alternatives:
        return " OR ".join(f"({e})" for e in map(match_expression, term.alternatives) if e)
    tokens = _WORD.findall(term.text)
    if not tokens:
        return ""
    if term.phrase:
        return '"' + " ".join(tokens) + '"'
    return " ".join(f'"{token}"' for token in tokens)


def search(conn: Connection, wanted: SearchFilter, limit: int, offset: int) -> list[tuple[int, float]]:
    """Release seqs with a score (higher is better): bm25 of the text terms plus a bonus per tag hit.

    Every full-text lookup stops after the newest CANDIDATES matches, so a word found in most of the store costs
    no more than a rare one (bm25 over every match of "the" in 100,000 releases takes over 100 ms). Terms that
    can only match as text are intersected inside FTS5 before that cut, so a rare word next to a common one is
    still found however old the release. Only ranking among more than CANDIDATES equally matching releases is
    limited to the newest of them, which for news is what a reader wants first.
    """
    params: dict[str, object] = {"limit": limit, "offset": offset}
    order = "r.sort_date DESC" if wanted.newest_first else "score DESC, r.sort_date DESC"
    sql = f"{_matching(wanted, params)} ORDER BY {order}, r.seq DESC LIMIT :limit OFFSET :offset"
    rows = conn.execute(text(sql), params).all()
    return [(int(row[0]), float(row[1])) for row in rows]


def counts(conn: Connection, wanted: SearchFilter) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
    """For every release the filter matches: how many have each tag ((kind, value, count), most first), and how
    many there are per month (("2024-06", count), in order)."""
    params: dict[str, object] = {}
    # the whole store is counted from the tables themselves: ten times quicker than through a filter's seqs
    everything = not (wanted.terms or wanted.facets or wanted.excluded or wanted.since or wanted.until)
    matched = "" if everything else f"SELECT seq FROM ({_matching(wanted, params)})"  # noqa: S608
    tag_rows = f"WHERE release_seq IN ({matched})" if matched else ""
    release_rows = f"WHERE seq IN ({matched})" if matched else ""
    tags = conn.execute(text(
        f"SELECT kind, value, COUNT(*) AS n FROM release_tags {tag_rows} "  # noqa: S608
        "GROUP BY kind, value ORDER BY n DESC, value"), params).all()
    # sort_date is stored as "2024-06-30 12:00:00.000000": its first seven characters are the month
    months = conn.execute(text(
        f"SELECT substr(sort_date, 1, 7) AS month, COUNT(*) FROM releases {release_rows} "  # noqa: S608
        "GROUP BY month ORDER BY month"), params).all()
    return [(row[0], row[1], int(row[2])) for row in tags], [(row[0], int(row[1])) for row in months]


def _matching(wanted: SearchFilter, params: dict[str, object]) -> str:
    """SELECT r.seq, score for every release the filter matches, unordered; its values are put in `params`."""
    expressions = [match_expression(term) for term in wanted.terms]
    required = (" OR " if wanted.any_term else " AND ").join(
        f"({e})" for term, e in zip(wanted.terms, expressions, strict=True) if e and not term.tags)
    where: list[str] = []
    cut = CANDIDATES if not wanted.every_match else None
    if required:
        params["required"] = required
        where.append(f"r.seq IN ({_fts_candidates(':required', cut=cut)})")
    tagged, bonuses = _tagged_terms(wanted.terms, expressions, "" if wanted.any_term else required, params, cut)
    where += tagged
    if wanted.any_term and where:
        where = [f"({' OR '.join(where)})"]
    join, text_score = "", "0"
    if any(expressions):
        params["scored"] = required or " OR ".join(f"({e})" for e in expressions if e)
        join = f"LEFT JOIN ({_fts_candidates(':scored', scored=True, cut=cut)}) fts ON fts.seq = r.seq"
        text_score = "COALESCE(fts.score, 0)"
    where += _facet_clauses(wanted, params)
    score = " + ".join([text_score, *bonuses])
    # every value is a bound parameter; only our own constants and clauses are formatted in
    return (f"SELECT r.seq, {score} AS score FROM releases r {join} "  # noqa: S608
            f"{'WHERE ' + ' AND '.join(where) if where else ''}")


def _tagged_terms(terms: list[SearchTerm], expressions: list[str], required: str,
                  params: dict[str, object], cut: int | None) -> tuple[list[str], list[str]]:
    """A term that names a tag matches as that tag or as text; a tag hit also ranks higher."""
    where: list[str] = []
    bonuses: list[str] = []
    for number, (term, expression) in enumerate(zip(terms, expressions, strict=True)):
        tag_clause = _tag_clause(term.tags, params, f"t{number}")
        if not tag_clause:
            continue
        tagged, named = f"r.seq IN ({tag_clause})", ""
        if expression:
            params[f"m{number}"] = " AND ".join(x for x in (f"({expression})", required) if x)
            named = f"r.seq IN ({_fts_candidates(f':m{number}', cut=cut)})"
        bonus = f"{tagged} AND {named}" if term.word_first and named else tagged
        bonuses.append(f"CASE WHEN {bonus} THEN {TAG_BONUS} ELSE 0 END")
        where.append(f"({tagged} OR {named})" if named else f"({tagged})")
    return where, bonuses


def _fts_candidates(parameter: str, cut: int | None, scored: bool = False) -> str:
    """The newest `cut` releases matching an FTS5 expression (FTS5 walks rowids backwards and stops); every one
    with no cut."""
    score = f", -bm25(releases_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score" if scored else ""
    limit = f" LIMIT {int(cut)}" if cut is not None else ""
    return (f"SELECT rowid AS seq{score} FROM releases_fts WHERE releases_fts MATCH {parameter} "  # noqa: S608
            f"ORDER BY rowid DESC{limit}")


def _tag_clause(tags: list[tuple[str, str]], params: dict[str, object], prefix: str) -> str:
    if not tags:
        return ""
    ors = []
    for number, (kind, value) in enumerate(tags):
        params[f"{prefix}k{number}"], params[f"{prefix}v{number}"] = kind, value
        ors.append(f"(kind = :{prefix}k{number} AND value = :{prefix}v{number})")
    return f"SELECT release_seq FROM release_tags WHERE {' OR '.join(ors)}"  # noqa: S608


def _facet_clauses(wanted: SearchFilter, params: dict[str, object]) -> list[str]:
    clauses = []
    for number, facet in enumerate(wanted.facets):
        clauses.append(f"r.seq IN ({_tag_clause([facet], params, f'f{number}')})")
    if wanted.since is not None:
        params["since"] = wanted.since
        clauses.append("r.sort_date >= :since")
    if wanted.until is not None:
        params["until"] = wanted.until
        clauses.append("r.sort_date < :until")
    return clauses + _excluded_clauses(wanted.excluded, params)


def _excluded_clauses(excluded: list[SearchTerm], params: dict[str, object]) -> list[str]:
    """Every match of an excluded term is left out, however old: these lookups have no CANDIDATES cut."""
    clauses = []
    for number, term in enumerate(excluded):
        if tag_clause := _tag_clause(term.tags, params, f"x{number}"):
            clauses.append(f"r.seq NOT IN ({tag_clause})")
        if expression := match_expression(term):
            params[f"x{number}"] = expression
            # only the parameter's name is formatted in; the user's words are its bound value
            clauses.append(f"r.seq NOT IN (SELECT rowid FROM releases_fts WHERE releases_fts MATCH :x{number})")  # noqa: S608
    return clauses
