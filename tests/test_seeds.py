"""The seed parser: titles, dates, publishers, and bodies free of contact blocks and Europol's tag block."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import load_seed_rules
from bot.models import Release
from bot.runtime import SEEDS_DIR
from bot.seeds import parse_seed
from bot.settings import PROJECT_ROOT


def _seed(prefix: str) -> Release:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return parse_seed(path.name, path.read_text(encoding="utf-8"), load_seed_rules(PROJECT_ROOT / "config"))


def test_eurojust_seed() -> None:
    release = _seed("000")
    assert release.publisher == "eurojust"
    assert release.published == datetime(2017, 10, 10, tzinfo=UTC)
    assert "Letter of Understanding" in release.text
    # no title line: the first sentence as a headline, without "Today," and the two signatories' offices
    assert release.title == (
        "Michèle Coninx and Pedro Serrano signed a Letter of Understanding at Eurojust's premises in The Hague"
    )
    for contact in ("Tel:", "Mobile:", "E-mail", "[at]", "mailto:", "@MajaEUspox", "BERL 03", "✘", "**"):
        assert contact not in release.text, contact


def test_europol_seed() -> None:
    release = _seed("001")
    assert release.publisher == "europol"
    assert release.title == (
        "Interpol and Europol Agree Joint Initiatives to Enhance Global Response Against Transnational Crime"
    )
    assert release.published == datetime(2011, 10, 12, tzinfo=UTC)
    assert release.url is not None and release.url.startswith("https://www.europol.europa.eu/newsroom/news/")
    assert release.publisher_tags["Crime areas"] == ["Cybercrime"]
    assert release.publisher_tags["Organisations"] == ["Interpol"]
    for noise in ("CRIME AREAS", "TARGET GROUPS", "ORGANISATIONS", "Source URL", "[Press Release]", "(#)"):
        assert noise not in release.text, noise
    assert release.text.startswith("LYON, France")


def test_moldova_seed() -> None:
    release = _seed("002")
    assert release.publisher == "md-mia"
    assert release.title.startswith("Leveraging global partnerships")
    assert release.published == datetime(2024, 1, 30, tzinfo=UTC)
    assert release.url is None
    assert "Joint Strategic Cooperation Forum" in release.text


def test_project_keeps_its_own_copy_of_the_shared_seeds() -> None:
    shared = PROJECT_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared is not beside the project")
    for path in shared.glob("*.txt"):
        assert (SEEDS_DIR / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 October 2017", datetime(2017, 10, 10, tzinfo=UTC)),
        ("on 12 Oct 2011 in Lyon", datetime(2011, 10, 12, tzinfo=UTC)),
        ("between January 30 and 31, 2024", datetime(2024, 1, 30, tzinfo=UTC)),
        ("March 3, 2020", datetime(2020, 3, 3, tzinfo=UTC)),
        ("no date here", None),
        ("31 February 2020", None),
        ("1st May 2024", datetime(2024, 5, 1, tzinfo=UTC)),
        ("La Haye, le 1er juin 2024", datetime(2024, 6, 1, tzinfo=UTC)),
        ("La Haya, 3 de junio de 2024", datetime(2024, 6, 3, tzinfo=UTC)),
        ("Den Haag, 3. März 2024", datetime(2024, 3, 3, tzinfo=UTC)),
        ("Chișinău, 12 martie 2024", datetime(2024, 3, 12, tzinfo=UTC)),
        ("L'Aia, 5 dicembre 2023", datetime(2023, 12, 5, tzinfo=UTC)),
        ("Den Haag, 14 mei 2024", datetime(2024, 5, 14, tzinfo=UTC)),
        ("Lisboa, 2 de dezembro de 2024", datetime(2024, 12, 2, tzinfo=UTC)),
    ],
)
def test_find_date(text: str, expected: datetime | None) -> None:
    from bot.textutil import find_date

    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("raw", "title", "text"),
    [
        ("10 October 2017\n\nGang dismantled\nPolice arrested six.\n\nMore.", "Gang dismantled",
         "Police arrested six.\n\nMore."),
        ("Gang dismantled\n\nPolice arrested six.", "Gang dismantled", "Police arrested six."),
        # a long first line is text, not a title: the title comes from its first sentence
        ("Police in Spain arrested six people. " * 8, "Police in Spain arrested six people",
         ("Police in Spain arrested six people. " * 8).strip()),
        # a list of places stays; an office after a name and an acronym in brackets go
        ("Police in Spain, France, and Italy arrested six people. " * 4,
         "Police in Spain, France, and Italy arrested six people",
         ("Police in Spain, France, and Italy arrested six people. " * 4).strip()),
        ("Today, Ann Lee, Director of the Agency (AGY), opened the conference in Riga after a long week of talks. " * 2,
         "Ann Lee opened the conference in Riga after a long week of talks",
         ("Today, Ann Lee, Director of the Agency (AGY), opened the conference in Riga after a long week of talks. "
          * 2).strip()),
        # the period of an abbreviation is not the end of the first sentence
        ("Police and the U.S. Secret Service arrested six people in Riga. " * 4,
         "Police and the U.S. Secret Service arrested six people in Riga",
         ("Police and the U.S. Secret Service arrested six people in Riga. " * 4).strip()),
        # an office that does not follow a name stays
        ("In Spain, the Head of the National Police, Ann Lee, said the network was dismantled in June. " * 2,
         "In Spain, the Head of the National Police, Ann Lee, said the network was dismantled in June",
         ("In Spain, the Head of the National Police, Ann Lee, said the network was dismantled in June. " * 2).strip()),
    ],
)
def test_the_title_is_the_first_short_line_that_is_not_a_date(raw: str, title: str, text: str) -> None:
    release = parse_seed("x.txt", raw, [])
    assert (release.title, release.text) == (title, text)
