"""Summaries: the lead a busy reader needs, whole words, at most 300 characters; and the one-line facts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.runtime import Runtime
from bot.summarize import SUMMARY_LIMIT, summarize
from bot.textutil import without_credits


def test_the_dateline_goes_and_whole_lead_sentences_stay() -> None:
    text = ("THE HAGUE – Europol supported an action day against a drug ring. Ten suspects were arrested. "
            "Police searched 20 houses in three countries and seized weapons, cash and cocaine worth millions.")
    assert summarize(text) == ("Europol supported an action day against a drug ring. Ten suspects were arrested. "
                               "Police searched 20 houses in three countries and seized weapons, cash and cocaine "
                               "worth millions.")
    assert len(summarize(text * 3)) <= SUMMARY_LIMIT
    assert summarize(text * 3).endswith(".")  # sentences are never cut when a whole one fits


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("The Hague, 3 May 2024 - Eurojust and Europol met in Lyon.", "Eurojust and Europol met in Lyon."),
        ("Brussels, 12.03.2024 – The EU and Moldova met in Lyon.", "The EU and Moldova met in Lyon."),
        ("VIENNA, 3 May (UNODC) - The office and Europol met in Lyon.", "The office and Europol met in Lyon."),
        ("WASHINGTON, D.C., May 3, 2024 – The FBI and Europol met in Lyon.", "The FBI and Europol met in Lyon."),
        ("LYON, France – Interpol and Europol met in Lyon.", "Interpol and Europol met in Lyon."),
        # other languages' datelines, with their months in lowercase, articles and ordinal days
        ("La Haye, le 3 juin 2024 – Les autorités ont arrêté 9 suspects.", "Les autorités ont arrêté 9 suspects."),
        ("Den Haag, 3. März 2024 – Die Polizei nahm 9 Verdächtige fest.", "Die Polizei nahm 9 Verdächtige fest."),
        ("La Haya, 3 de junio de 2024 – La policía detuvo a 9 sospechosos.", "La policía detuvo a 9 sospechosos."),
        ("Haia, 3 de maio de 2024 – A polícia deteve 9 suspeitos no Porto.", "A polícia deteve 9 suspeitos no Porto."),
        ("Chișinău, 12 martie 2024 – Poliția a reținut 9 suspecți la Bălți.", "Poliția a reținut 9 suspecți la Bălți."),
        ("L'Aia, 4 aprile 2024 – La polizia ha arrestato 11 sospettati.", "La polizia ha arrestato 11 sospettati."),
        # a joint release's places, and a dateline in brackets
        ("Wiesbaden/The Hague, 3 May 2024 – German and Dutch police met in Lyon.",
         "German and Dutch police met in Lyon."),
        ("Madrid / Den Haag, 3 de junio de 2024 – La policía detuvo a 9 sospechosos.",
         "La policía detuvo a 9 sospechosos."),
        ("(The Hague, 3 May 2024) Europol and Eurojust met in Lyon.", "Europol and Eurojust met in Lyon."),
        ("(3 May 2024) Europol and Eurojust met in Lyon.", "Europol and Eurojust met in Lyon."),
        ("(Europol) Ten suspects were arrested in Lyon.", "(Europol) Ten suspects were arrested in Lyon."),
        # a name in other case with no date starts the sentence
        ("Europol – the EU's police agency – met Interpol.", "Europol – the EU's police agency – met Interpol."),
        ("Operation Trojan Shield - the largest yet - ended.", "Operation Trojan Shield - the largest yet - ended."),
    ],
)
def test_datelines_go(text: str, lead: str) -> None:
    assert summarize(text) == lead


def test_boilerplate_ends_the_lead() -> None:
    text = "Eurojust hosted a meeting of prosecutors on migrant smuggling.\n\nBackground\n\nEurojust was set up."
    assert summarize(text) == "Eurojust hosted a meeting of prosecutors on migrant smuggling."


def test_a_sentence_glued_to_the_next_is_split() -> None:
    text = "Eurojust took part in an event in Rotterdam.Ports are gateways for drugs into the EU. " * 6
    summary = summarize(text)
    assert "Rotterdam. Ports" in summary and "Rotterdam.Ports" not in summary


def test_a_caption_glued_to_the_sentence_that_repeats_it_goes() -> None:
    text = "Ms Ana PopMs Ana Pop has taken up her duties as head of the office. She was a judge."
    assert summarize(text) == "Ms Ana Pop has taken up her duties as head of the office. She was a judge."
    assert summarize("Bye bye, said the judge, and the court rose for the day.").startswith("Bye bye")


@pytest.mark.parametrize(("text", "summary"), [
    # a photo's caption, glued by the feed to the first sentence: names, or a heading before a sentence's start
    ("Ms Ana Pop and Mr Ion RusThe Minister of Justice, Mr Ion Rus, visited the agency today.",
     "The Minister of Justice, Mr Ion Rus, visited the agency today."),
    ("Mr Jan Novák-HorváthEurojust and the academy will train judges together from next year.",
     "Eurojust and the academy will train judges together from next year."),
    ("Support to the courts of the regionOn 4 May, the President informed the ministers of the work done.",
     "On 4 May, the President informed the ministers of the work done."),
    # a name in camel case is a name, not a glue
    ("EuroMed Justice held its first meeting of the year in Lisbon with twelve partners.",
     "EuroMed Justice held its first meeting of the year in Lisbon with twelve partners."),
    ("Users of EncroChat and SkyECC were identified by the investigators in six countries.",
     "Users of EncroChat and SkyECC were identified by the investigators in six countries."),
    ("LockBit Ransomware Group members were arrested in Poland after a long investigation.",
     "LockBit Ransomware Group members were arrested in Poland after a long investigation."),
    ("Operation EncroChat was presented to the judges of the appeal court in Lille last week.",
     "Operation EncroChat was presented to the judges of the appeal court in Lille last week."),
])
def test_a_caption_glued_to_the_first_sentence_goes(text: str, summary: str) -> None:
    assert summarize(text) == summary


def test_an_abbreviation_does_not_end_the_lead() -> None:
    text = ("The U.S. Department of State will fund the centre. Mr. K. Lee of the Council of Europe (Art. 9 of "
            "the convention) spoke. The centre opened in 2023. " * 3)
    summary = summarize(text)
    assert summary.startswith("The U.S. Department of State will fund the centre. Mr. K. Lee of the Council")
    assert summary.endswith("in 2023.")  # whole sentences, as before: "2023." still ends one


def test_a_photo_credit_is_not_the_lead() -> None:
    glued = "© Office of the Prosecutor General of UkraineThe seven members of the team agreed to amend it."
    assert summarize(glued) == "The seven members of the team agreed to amend it."
    alone = "© Office of the Prosecutor General of Ukraine\nThe seven members of the team agreed to amend it."
    assert summarize(alone) == "The seven members of the team agreed to amend it."


@pytest.mark.parametrize(("text", "left"), [
    ("© Europol\nSix arrests.", "\nSix arrests."),
    ("Credit: Spanish National PoliceSix arrests.", "Six arrests."),
    ("Photo credits: Czech PoliceMobile phones were seized.", "Mobile phones were seized."),
    ("Seized cash. Photo Credit: Guardia Civil\nSix arrests.", "Seized cash. \nSix arrests."),
    ("credits: EUDA", ""),
    # a word that only ends in "credit" is not a credit
    ("The agency accredits: ten trainers\nSix arrests.", "The agency accredits: ten trainers\nSix arrests."),
    ("Six arrests. Discredit: none\nTen searches.", "Six arrests. Discredit: none\nTen searches."),
])
def test_photo_credits_are_cut_and_other_words_kept(text: str, left: str) -> None:
    assert without_credits(text) == left


def test_a_first_sentence_too_long_is_cut_at_a_word() -> None:
    text = "Authorities " + "and prosecutors " * 40 + "met."
    summary = summarize(text)
    assert len(summary) <= SUMMARY_LIMIT and summary.endswith("…")
    assert set(summary.rstrip("…").split()) <= {"Authorities", "and", "prosecutors"}


def test_a_first_sentence_too_long_loses_its_asides_before_any_word() -> None:
    """A bracketed aside or who heads a delegation goes first, so the sentence ends where its writer ended it."""
    text = ("A delegation of the Ministry of Justice (MOJ), headed by the Deputy Minister of the institution, "
            "Ana Maria Ionescu, is taking part in the annual meeting of the network of prosecutors organised by "
            "Eurojust in The Hague, the Netherlands, between 30 and 31 January in the context of the EU-funded "
            "CLEAR project (Cooperation on legal evidence across regions and borders).")
    assert len(text) > SUMMARY_LIMIT
    assert summarize(text) == ("A delegation of the Ministry of Justice is taking part in the annual meeting of the "
                               "network of prosecutors organised by Eurojust in The Hague, the Netherlands, between "
                               "30 and 31 January in the context of the EU-funded CLEAR project.")
    # the asides stay where the sentence fits with them
    short = "A delegation of the Ministry of Justice (MOJ), headed by Ana Maria Ionescu, visited Eurojust."
    assert summarize(short) == short


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Europol", "arrested", "suspects.", "The", "police", "–", "\n", "in", "Spain."]),
                max_size=120))
def test_never_longer_than_the_limit_and_never_mid_word(words: list[str]) -> None:
    text = " ".join(words)
    summary = summarize(text)
    assert len(summary) <= SUMMARY_LIMIT
    assert set(summary.rstrip("…").split()) <= set(text.split())  # a word cut in half would not be a word of it


def test_the_facts_line_says_who_with_whom_what_and_where(seeded: Runtime) -> None:
    facts = {r.title[:20]: r.facts for r in seeded.store.releases.all()}
    assert facts["Michèle Coninx and P"] == "Eurojust with EEAS · agreement · terrorism, cybercrime, migrant smuggling"
    # the Netherlands only hosts the forum (Europol's seat): not a country of the facts line
    assert facts["Leveraging global pa"] == ("Moldova's Ministry of Internal Affairs with Europol · meeting · "
                                             "organised crime, drug trafficking, cbrn · MD")
