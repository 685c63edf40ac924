"""The command line as an operator uses it: seed, search, one command, run on the console, bad settings."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.conftest import COOP, coop_env, run_coop
from tests.feedserver import feed_server, rss


def test_seed_twice_leaves_three_releases_and_search_finds_all(tmp_path: Path) -> None:
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    assert run_coop("seed", env=env).returncode == 0
    second = run_coop("seed", env=env)
    assert "0 new, 0 updated, 3 unchanged; 3 releases" in second.stdout
    found = run_coop("search", "cooperation", "--json", env=env)
    assert found.returncode == 0
    releases = json.loads(found.stdout)
    assert len(releases) == 3
    moldova = next(r for r in releases if r["publisher"] == "md-mia")  # the same fields as a spreadsheet export
    assert (moldova["date"], moldova["language"], moldova["countries"]) == ("2024-01-30", "en", ["MD"])


def test_search_on_the_command_line_is_the_chat_search(tmp_path: Path) -> None:
    # the same fallback, OR and exclusions as /coop search: no seed says both phrases, each says one
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    run_coop("seed", env=env)
    some = run_coop("search", '"secure communication line" "TOPCOP project"', env=env)
    assert some.stdout.startswith("No release has all of") and some.stdout.count("\n[") == 2
    either = json.loads(run_coop("search", '"secure communication line" OR "TOPCOP project"', "--json",
                                 env=env).stdout)
    assert sorted(r["publisher"] for r in either) == ["europol", "md-mia"]
    assert [r["publisher"] for r in json.loads(run_coop("search", "cybercrime -europol", "--json", env=env).stdout)
            ] == ["eurojust"]


def test_readme_first_command_answers_search_cybercrime_on_the_console(tmp_path: Path) -> None:
    empty_sources = tmp_path / "sources.toml"
    empty_sources.write_text("sources = []\n", encoding="utf-8")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "COOP_SOURCES": str(empty_sources),
           "COOP_HTTP_PORT": "0"}
    result = run_coop("run", env=env, stdin="/coop search cybercrime\n")
    assert result.returncode == 0, result.stderr
    assert "Interpol and Europol Agree Joint Initiatives" in result.stdout
    assert "imported 3 seed releases" in result.stderr  # coop's own log, without the libraries' routine steps
    assert "apscheduler" not in result.stderr and "alembic" not in result.stderr


def _run_polling(tmp_path: Path, url: str) -> subprocess.CompletedProcess[str]:
    """`coop run` on the console with one source, stopped by the end of its input as soon as it has started."""
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nid = "slow"\npublisher = "europol"\nurl = "{url}"\n', encoding="utf-8")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}", "COOP_SOURCES": str(sources),
           "COOP_HTTP_PORT": "0"}
    return run_coop("run", env=env, stdin="/coop latest\n")


def test_a_stop_lets_the_poll_under_way_finish(tmp_path: Path) -> None:
    with feed_server() as feeds:
        feeds.set("/feed", rss(("a", "Europol and Eurojust dismantle a network", "Text.")), delay=1.5)
        result = _run_polling(tmp_path, feeds.url("/feed"))
    assert result.returncode == 0, result.stderr
    after = run_coop("search", "dismantle", "--json", env={"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert [r["title"] for r in json.loads(after.stdout)] == ["Europol and Eurojust dismantle a network"]


def test_stopping_while_a_feed_is_being_fetched_is_quiet(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections and never answers: the poll outlasts the grace
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        result = _run_polling(tmp_path, f"http://127.0.0.1:{silent.getsockname()[1]}/feed")
    assert result.returncode == 0, result.stderr
    assert "Interpol and Europol Agree Joint Initiatives" in result.stdout
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr


def test_command_runs_one_chat_command(tmp_path: Path) -> None:
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    run_coop("seed", env=env)
    result = run_coop("command", "latest md-mia", env=env)
    assert result.returncode == 0
    assert "Leveraging global partnerships" in result.stdout
    assert "Moldova's Ministry of Internal Affairs ·" in result.stdout  # a publisher that is not an agency


def test_invalid_setting_exits_2_naming_the_variable(tmp_path: Path) -> None:
    result = run_coop("seed", env={"COOP_HTTP_PORT": "not-a-port"})
    assert result.returncode == 2
    assert "COOP_HTTP_PORT" in result.stderr
    result = run_coop("seed", env={"COOP_CONFIG_DIR": str(tmp_path / "missing")})
    assert result.returncode == 2
    assert "COOP_CONFIG_DIR" in result.stderr


def test_secret_values_are_never_printed(tmp_path: Path) -> None:
    result = run_coop("seed", env={"COOP_HTTP_PORT": "x", "SLACK_BOT_TOKEN": "xoxb-very-secret"})
    assert "xoxb-very-secret" not in result.stderr + result.stdout


def test_bad_taxonomy_names_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "taxonomy.toml").write_text(
        '[agencies.Bad_ID]\nname = "x"\n[roles]\nparty = ["signed"]\n[areas]\n[cooperation]\n', encoding="utf-8"
    )
    (config / "sources.toml").write_text("sources = []\n", encoding="utf-8")
    result = run_coop("seed", env={"COOP_CONFIG_DIR": str(config)})
    assert result.returncode == 2
    assert "taxonomy.toml" in result.stderr and "Bad_ID" in result.stderr


def test_bad_source_names_the_key(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[sources]]\nid = "Bad Id"\npublisher = "x"\nurl = "ftp://x"\n', encoding="utf-8")
    result = run_coop("poll", "--once", env={"COOP_SOURCES": str(sources),
                                             "COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert result.returncode == 2
    assert "sources.0.id" in result.stderr and "sources.0.url" in result.stderr


def test_version_and_help_with_examples() -> None:
    assert run_coop("--version").stdout.startswith("coop ")
    help_text = run_coop("--help").stdout
    assert "examples:" in help_text and "coop search cybercrime" in help_text


def test_classify_jsonl_answers_every_line_and_names_a_bad_one(tmp_path: Path) -> None:
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    lines = [
        json.dumps({"id": "a", "title": "Ransomware gang dismantled by Europol and Eurojust",
                    "text": "German and Dutch police took down the servers. Europol coordinated the action day. "
                            "Its machines were rented in Iceland."}),
        "{not json",
        json.dumps({"id": 7, "title": "Eurojust annual report", "text": "The report was published today."}),
        json.dumps({"title": "A release with no ID"}),
        "[1, 2]",
    ]
    result = run_coop("classify", "--jsonl", env=env, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # one line was bad; the others are still answered
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(answers[0]) == {"id", "agencies", "crime_areas", "countries", "countries_mentioned", "cooperation",
                               "summary"}
    assert answers[0]["id"] == "a" and {"europol", "eurojust"} <= set(answers[0]["agencies"])
    assert answers[0]["crime_areas"][0] == "cybercrime" and set(answers[0]["countries"]) == {"DE", "NL"}
    assert answers[0]["countries_mentioned"] == ["IS"]  # named in passing: not what the release is about
    assert answers[0]["summary"].startswith("German and Dutch police took down the servers.")
    assert answers[1]["line"] == 2 and "not a JSON object" in answers[1]["error"]
    assert answers[2]["id"] == 7 and answers[2]["crime_areas"] == []
    assert answers[3] == {"line": 4, "error": 'no "id": every line needs one'}
    assert answers[4] == {"line": 5, "error": "not a JSON object: a list"}


def test_classify_a_file_shows_tags_evidence_summary_and_facts(tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text("Ransomware gang dismantled\nEuropol supported German police against a ransomware group.\n",
                       encoding="utf-8")
    result = run_coop("classify", str(release), env={"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert result.returncode == 0
    assert "area cybercrime (score" in result.stdout
    assert "“Europol supported German police against a ransomware group.”" in result.stdout
    assert "facts: Europol · operation · cybercrime, organised crime · DE" in result.stdout
    assert "== " + str(release) + ": Ransomware gang dismantled\n" in result.stdout


def test_classify_names_a_file_it_cannot_read_and_tags_the_others(tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text("Ransomware gang dismantled\nEuropol supported German police.\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    result = run_coop("classify", str(tmp_path / "missing.txt"), str(tmp_path / "binary.txt"), str(release), env=env)
    assert result.returncode == 2
    assert f"coop classify: cannot read {tmp_path / 'missing.txt'}: No such file or directory" in result.stderr
    assert f"cannot read {tmp_path / 'binary.txt'}: 'utf-8' codec can't decode" in result.stderr
    assert "Traceback" not in result.stderr
    assert "agency europol (party)" in result.stdout


def test_classify_reads_a_seed_file_as_coop_seed_does(tmp_path: Path) -> None:
    """A dateline is not the title, and the publisher is recognised: Moldova's ministry makes MD involved."""
    seeds = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))
    result = run_coop("classify", *map(str, seeds), env={"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert result.returncode == 0
    titles = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("== ")]
    assert len(titles) == 3 and not any(title[:2].isdigit() for title in titles)  # no "10 October 2017"
    assert titles[0] == (
        "Michèle Coninx and Pedro Serrano signed a Letter of Understanding at Eurojust's premises in The Hague"
    )
    assert "publisher: Moldova's Ministry of Internal Affairs" in result.stdout
    assert "country MD (involved)\n    “the publisher's country”" in result.stdout


def test_eval_misses_say_what_the_classifier_saw(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    item = {"title": "Migrants smuggled", "summary": "Police in Austria arrested two smugglers of Syrian migrants.",
            "content": "", "tags": {"Partner": ["Europol"], "Member State": ["Italy"], "Third states": ["Syria"]}}
    gold.write_text(json.dumps(item) + "\n", encoding="utf-8")
    result = run_coop("eval", "-v", str(gold), env={"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "missed agency europol: Migrants smuggled" in lines
    assert "extra country AT: Migrants smuggled | Police in Austria arrested two smugglers of Syrian migrants." in lines
    assert "missed country IT: Migrants smuggled | not named" in lines
    assert ("missed country SY: Migrants smuggled | only mentioned: Police in Austria arrested two smugglers of "
            "Syrian migrants.") in lines


def test_a_reader_that_goes_away_gets_no_traceback(tmp_path: Path) -> None:
    env = coop_env({"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"})
    process = subprocess.Popen([COOP, "classify", str(PROJECT_ROOT / "seeds" / "001_dbaf3df3ce01b1c9.txt")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before coop has written anything: its first write finds no reader
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_eval_scores_a_labelled_file_and_refuses_a_missing_one(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    items = [
        {"title": "Cocaine ring dismantled", "summary": "<p>Spanish police seized cocaine.</p>", "content": "",
         "tags": {"Crime type": ["Drug trafficking"], "Partner": ["Europol"], "Member State": ["Spain"]}},
        {"title": "Eurojust annual report", "summary": "The report was published.", "content": "", "tags": {}},
        {"title": "Three arrests for violation of export sanctions", "summary": "", "content": "", "tags": {}},
    ]
    gold.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    env = {"COOP_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    result = run_coop("eval", str(gold), env=env)
    assert result.returncode == 0
    assert "items: 3" in result.stdout
    assert "drug-trafficking                   1.00   1.00   1.00   1   0   0" in result.stdout
    # Eurojust has no term for a sanctions violation: that tag counts as a false alarm, and apart without it
    assert "all areas (micro)                  0.50   1.00   0.67   1   1   0" in result.stdout
    assert "areas the labels name (micro)      1.00   1.00   1.00   1   0   0" in result.stdout
    assert "agencies: recall 0.00 (0/1)" in result.stdout  # Europol is not named in the text
    assert "countries: precision 1.00 recall 1.00 F1 1.00" in result.stdout
    missing = run_coop("eval", str(tmp_path / "missing.jsonl"), env=env)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
