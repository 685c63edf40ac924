"""Countries: found by names and demonyms, involved or only mentioned (case sentences, nationalities), in several
languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify import Classifier
from bot.matcher import key_of
from bot.settings import PROJECT_ROOT
from bot.taxonomy import TaxonomyError, load_taxonomy
from tests.classifier import CLASSIFIER, TAXONOMY


def test_countries_from_names_and_demonyms() -> None:
    tags = CLASSIFIER.classify("", "German and Italian authorities, with support from Moldova, arrested 5.")
    assert {"DE", "IT", "MD"} <= set(tags.country_codes())


def _roles(title: str, text: str, publisher: str = "") -> dict[str, str]:
    return {c.code: c.role.value for c in CLASSIFIER.classify(title, text, publisher).countries}

@pytest.mark.parametrize(
    ("title", "text", "publisher", "roles"),
    [
        ("", "Police in Spain arrested the suspects. The cocaine came from Colombia.", "",
         {"ES": "involved", "CO": "mentioned"}),
        ("Eurojust and Panama sign a working arrangement", "The text was signed in The Hague.", "",
         {"PA": "involved"}),
        ("", "Les autorités françaises ont perquisitionné. Le réseau vendait en Suisse.", "",
         {"FR": "involved", "CH": "mentioned"}),
        ("", "Die deutschen und österreichischen Behörden nahmen die Verdächtigen fest.", "",
         {"DE": "involved", "AT": "involved"}),
        ("", "La Guardia Civil y la policía italiana detuvieron a los sospechosos.", "",
         {"ES": "involved", "IT": "involved"}),
        ("", "The migrants travelled through Serbia, Hungary and Austria.", "", {"RS": "mentioned",
         "HU": "mentioned", "AT": "mentioned"}),
        ("", "Vietnamese nationals were smuggled into the United Kingdom.", "", {"VN": "mentioned",
         "GB": "mentioned"}),
        ("", "A meeting on drug policy.", "md-mia", {"MD": "involved"}),  # the national publisher's own country
        # a nationality is not a state, even where the case is, and a list of them is one nationality each
        ("", "Police in Austria arrested two Syrian nationals.", "", {"AT": "involved", "SY": "mentioned"}),
        ("Romanian authorities arrest Afghan, Iraqi and Syrian migrants", "", "",
         {"RO": "involved", "AF": "mentioned", "IQ": "mentioned", "SY": "mentioned"}),
        ("", "The Dutch police arrested a suspect of Moroccan origin.", "", {"NL": "involved", "MA": "mentioned"}),
        ("", "The Spanish National Police arrested two suspects.", "", {"ES": "involved"}),
        ("", "Police in Holland arrested two suspects.", "", {"NL": "involved"}),
        # talk of operational cooperation is no case: the host country is a venue
        ("", "The forum on operational cooperation met in The Hague, the Netherlands.", "", {"NL": "mentioned"}),
        ("", "Die Polizei nahm zwei türkische Staatsangehörige fest.", "", {"TR": "mentioned"}),
        # languages that put the noun first: "ressortissants syriens", a list after it too
        ("", "La police belge a arrêté deux ressortissants syriens.", "", {"BE": "involved", "SY": "mentioned"}),
        ("", "La Policía Nacional detuvo a ciudadanos marroquíes, argelinos y tunecinos.", "",
         {"MA": "mentioned", "DZ": "mentioned", "TN": "mentioned"}),
        ("", "I carabinieri hanno arrestato migranti afghani e pakistani in Italia.", "",
         {"AF": "mentioned", "PK": "mentioned", "IT": "involved"}),
        ("", "Poliția din România a reținut cetățeni moldoveni.", "", {"RO": "involved", "MD": "mentioned"}),
        # Spanish "en" is "in", not the Dutch "and": the country after it is a place, not one more nationality
        ("", "La policía detuvo a migrantes marroquíes en España.", "", {"MA": "mentioned", "ES": "involved"}),
        ("", "Police in Spain arrested two suspects of Algerian nationality.", "", {"ES": "involved",
         "DZ": "mentioned"}),
        # a punctuation mark after the noun ends it: the next sentence's country is not a nationality
        ("", "Police arrested ten migrants, Germany's prosecutors said.", "", {"DE": "involved"}),
        # a migrant named with a word before the noun, and a list that names a people of no country
        ("", "Police in Austria arrested smugglers of Syrian irregular migrants.", "",
         {"AT": "involved", "SY": "mentioned"}),
        ("", "Police arrested the smugglers of Pakistani, Bengali and Egyptian migrants in Italy.", "",
         {"PK": "mentioned", "EG": "mentioned", "IT": "involved"}),
        ("", "La polizia ha arrestato trafficanti di migranti curdi e iracheni.", "", {"IQ": "mentioned"}),
        ("", "Police arrested Iraqi smugglers and Kurdish migrants in Germany.", "", {"IQ": "involved",
         "DE": "involved"}),
        # matching ignores case: a word that is a country's name in another language names nothing in English
        ("", "Italian police arrested the suspects on the island of Sicily.", "", {"IT": "involved"}),
        # the state waging a war is neither where its crimes happen nor an authority of the case
        ("", "Investigators gather evidence of the atrocities of Russia's war of aggression in Ukraine.", "",
         {"RU": "mentioned", "UA": "involved"}),
        ("", "Prosecutors investigate crimes committed by Russian forces in Bucha, Ukraine.", "",
         {"RU": "mentioned", "UA": "involved"}),
        ("", "Les enquêteurs documentent les crimes de l'invasion russe en Ukraine.", "",
         {"RU": "mentioned", "UA": "involved"}),
        ("Forbrydelser begået under Ruslands krig mod Ukraine", "", "", {"RU": "mentioned", "UA": "involved"}),
        # the war's victim after "against" is where the crimes happen
        ("", "Prosecutors investigate crimes of Russia's war against Ukraine.", "",
         {"RU": "mentioned", "UA": "involved"}),
        ("Misdaden tijdens Ruslands oorlog tegen Oekraïne", "", "", {"RU": "mentioned", "UA": "involved"}),
        # a country after "pro-" or "anti-" is a stance: its state is not a party to the case
        ("Action against pro-Russian hacktivists", "Police in Germany and Poland searched 24 homes.", "",
         {"RU": "mentioned", "DE": "involved", "PL": "involved"}),
        ("", "Police arrested anti-Israeli extremists in Austria.", "", {"IL": "mentioned", "AT": "involved"}),
        # a National Desk is its country's authorities at Eurojust
        ("", "The Italian and Spanish National Desks at Eurojust set up a coordination centre.", "",
         {"IT": "involved", "ES": "involved"}),
        # a criminal group's nationality (or its leaders') is its members', not a state acting
        ("", "Police in Italy dismantled an Albanian drug trafficking network.", "", {"AL": "mentioned",
         "IT": "involved"}),
        ("Pakistani-led migrant smuggling network dismantled in Romania", "", "", {"PK": "mentioned",
         "RO": "involved"}),
        ("", "Authorities searched the offices of a Russian-Eurasian criminal network in Latvia.", "",
         {"RU": "mentioned", "LV": "involved"}),
        ("", "Albanian authorities arrested the leaders of an Albanian network.", "", {"AL": "involved"}),
        # the state that sanctions target is their object, not a party to the case
        ("", "Dutch authorities arrested three suspects of violating the sanctions against Russia.", "",
         {"RU": "mentioned", "NL": "involved"}),
        # the centre at Eurojust is named after the country the aggression was against; the crime happened there
        ("", "The Commissioner visited the International Centre for the Prosecution of the Crime of Aggression "
         "against Ukraine.", "", {"UA": "mentioned"}),
        ("", "Prosecutors investigate the crime of aggression against Ukraine.", "", {"UA": "involved"}),
        # a case word inside an agency's name is not the case: the venue stays a venue
        ("", "The European Public Prosecutor's Office held its conference in Lisbon, Portugal.", "",
         {"PT": "mentioned"}),
    ],
)
def test_involved_and_mentioned_countries(title: str, text: str, publisher: str, roles: dict[str, str]) -> None:
    assert _roles(title, text, publisher) == roles

WITHOUT_NATIONALITIES = Classifier(
    TAXONOMY.model_copy(update={"roles": TAXONOMY.roles.model_copy(update={"nationality": []})})
)
NATIONALITY_TEXT = ["Syrian", "Iraqi", "Spanish", "Austria", "migrants", "nationals", "origin", "and", "or",
                    "police", "arrested", "in", "the", "of", ",", ".", "National", "Police", "ressortissants",
                    "syriens", "et", "Kurdish", "irregular migrants", "pro-Russian", "anti", "Albanian-led", "network",
                    "sanctions against", "Eurasian"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NATIONALITY_TEXT), max_size=40))
def test_a_nationality_only_ever_makes_a_country_mentioned(words: list[str]) -> None:
    """The nationality rule takes countries out of the involved ones and nothing else: every country is still
    found, and none becomes involved because of it."""
    text = " ".join(words)
    with_rule, without = CLASSIFIER.classify("", text), WITHOUT_NATIONALITIES.classify("", text)
    assert sorted(with_rule.country_codes()) == sorted(without.country_codes())
    assert set(with_rule.involved_country_codes()) <= set(without.involved_country_codes())


def test_a_taxonomy_without_its_optional_lists_still_classifies() -> None:
    """No case or nationality words: every country named is involved; no countries at all: none is found."""
    bare_roles = TAXONOMY.roles.model_copy(update={"case": [], "nationality": [], "peoples": []})
    no_roles = Classifier(TAXONOMY.model_copy(update={"roles": bare_roles}))
    text = "Europol supported the action. The migrants came from Syria; police arrested them in Austria."
    assert no_roles.classify("", text).involved_country_codes() == ["SY", "AT"]
    no_countries = Classifier(TAXONOMY.model_copy(update={"countries": {}}))
    assert no_countries.classify("", text).country_codes() == []
    assert "europol" in no_countries.classify("", text).agency_ids()

@pytest.mark.parametrize("code", sorted(TAXONOMY.countries))
def test_every_country_is_found_by_its_name(code: str) -> None:
    name = TAXONOMY.countries[code].names[0]
    assert code in CLASSIFIER.classify("", f"Police in {name} arrested two suspects.").involved_country_codes()


@pytest.mark.parametrize(
    ("text", "found", "not_found"),
    [
        ("Pirates attacked a tanker in the Gulf of Guinea.", set(), {"GN"}),
        ("The boats crossed the Strait of Gibraltar to Spain.", {"ES"}, {"GI"}),
        ("Police in New Mexico arrested two suspects.", set(), {"MX"}),
        ("North Korean hackers stole cryptocurrency.", {"KP"}, {"KR"}),
        ("Guinea and Guinea-Bissau joined Papua New Guinea's police in the operation.", {"GN", "GW", "PG"}, set()),
    ],
)
def test_a_place_named_after_a_country_is_not_that_country(text: str, found: set[str], not_found: set[str]) -> None:
    codes = set(CLASSIFIER.classify("", text).country_codes())
    assert found <= codes
    assert not codes & not_found


def test_scam_centres_in_southeast_asia_are_found() -> None:
    text = "Police in Cambodia, Myanmar and Laos freed victims held in scam centres; Cambodian officers arrested 40."
    assert CLASSIFIER.classify("", text).involved_country_codes() == ["KH", "MM", "LA"]


def test_no_name_stands_for_two_countries() -> None:
    owner: dict[str, str] = {}
    for code, country in TAXONOMY.countries.items():
        for name in [*country.names, *country.abbreviations, *country.authorities]:
            assert owner.setdefault(key_of(name), code) == code, f"{name!r} names {owner[key_of(name)]} and {code}"


def test_a_bad_not_countries_list_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "taxonomy.toml").write_bytes((PROJECT_ROOT / "config" / "taxonomy.toml").read_bytes())
    (tmp_path / "countries.toml").write_text('not_countries = "Gulf of Guinea"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"countries\.toml: not_countries: Input should be a valid list"):
        load_taxonomy(tmp_path)


def test_demonyms_of_smaller_states() -> None:
    text = "Qatari, Kazakh, Ivorian and Sri Lankan authorities arrested the suspects."
    assert CLASSIFIER.classify("", text).involved_country_codes() == ["QA", "KZ", "CI", "LK"]


@pytest.mark.parametrize(
    ("title", "text", "codes"),
    [
        ("Cocaine ring dismantled", "The Guardia Civil and the Guardia di Finanza arrested 14 suspects.", ["ES", "IT"]),
        ("Operazione antidroga", "I Carabinieri hanno arrestato 9 persone su richiesta della DIICOT.", ["IT", "RO"]),
        ("Fraud investigation", "The FIOD and An Garda Síochána searched 20 premises; the FBI seized servers.",
         ["NL", "IE", "US"]),
        ("Migrant smugglers charged", "The National Crime Agency and the RCMP charged five suspects.", ["GB", "CA"]),
    ],
)
def test_a_countrys_own_police_and_prosecutors_name_it(title: str, text: str, codes: list[str]) -> None:
    assert CLASSIFIER.classify(title, text).involved_country_codes() == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The proceeds were traced to Spain and Portugal by the National Crime Agency.", ["ES", "PT", "GB"]),
        ("Experts from the FIOD shared their experience with colleagues from Belgium.", ["NL", "BE"]),
        ("La Guardia Civil colaboró con Francia.", ["ES", "FR"]),
    ],
)
def test_a_national_body_takes_part_with_the_countries_beside_it(text: str, codes: list[str]) -> None:
    """A sentence naming a national body, with no other word of a case, is one of the case (the body acts)."""
    assert CLASSIFIER.classify("A cross-border case", text).involved_country_codes() == codes


def test_where_the_perpetrators_committed_the_crimes_is_involved() -> None:
    """Where the events happen counts, as `taxonomy.md` asks: the offenders' sentence is one of the case."""
    text = "The perpetrators, of Georgian origin, committed burglaries in Austria and Hungary."
    assert CLASSIFIER.classify("Burglars dismantled", text).involved_country_codes() == ["AT", "HU"]
