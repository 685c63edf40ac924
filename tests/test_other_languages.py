"""Releases in French, German, Spanish, Romanian, Italian, Dutch and Portuguese get the tags an English one would:
the agencies that take part, the countries involved (in their inflected forms), the crime areas, and a summary that
starts where the release does."""

from __future__ import annotations

import pytest

from bot.models import AgencyRole, Tags
from bot.summarize import summarize
from tests.classifier import CLASSIFIER

FRENCH = (
    "Démantèlement d'un réseau criminel de trafic de cocaïne",
    "Le 28 mai 2024, les autorités françaises et espagnoles, avec le soutien d'Eurojust et d'Europol, ont arrêté "
    "9 suspects aux Pays-Bas, en Espagne et en France. L'organisation criminelle importait de la cocaïne "
    "d'Amérique du Sud. Les enquêteurs ont saisi 300 kg de cocaïne et 2 millions d'euros en espèces.",
)
GERMAN = (
    "Kriminelle Vereinigung von Drogenhändlern zerschlagen",
    "Am 14. Mai 2024 haben die Behörden Deutschlands und der Niederlande mit Unterstützung von Europol und "
    "Eurojust 12 Verdächtige festgenommen. Die Ermittlungen wurden von Eurojust koordiniert. Bei den "
    "Durchsuchungen am 15. und 16. Mai wurden in den Niederlanden 2 Tonnen Kokain beschlagnahmt.",
)
SPANISH = (
    "Desarticulada una organización criminal dedicada al tráfico de migrantes",
    "El 28 de mayo de 2024, las autoridades de España e Italia, con el apoyo de Eurojust y Europol, detuvieron a "
    "14 sospechosos. La red criminal habría introducido ilegalmente a más de 500 migrantes en la Unión Europea. "
    "La investigación fue coordinada por Eurojust.",
)
ROMANIAN = (
    "Rețea infracțională destructurată cu sprijinul Europol",
    "Polițiștii români și moldoveni, cu sprijinul Europol și Eurojust, au destructurat o grupare infracțională "
    "specializată în traficul de droguri. Ancheta a fost coordonată de procurorii din România și Republica "
    "Moldova, iar în Ucraina au fost efectuate 6 percheziții. Au fost confiscate 50 kg de cocaină și heroină.",
)
ITALIAN = (
    "Smantellata un'organizzazione criminale dedita al traffico di droga",
    "Le autorità italiane e spagnole, con il supporto di Eurojust ed Europol, hanno arrestato 11 sospettati in "
    "Italia e in Spagna. L'indagine, coordinata da Eurojust, ha rivelato che la rete criminale importava cocaina "
    "dal Sud America. Sono stati sequestrati 400 kg di cocaina.",
)
DUTCH = (
    "Criminele organisatie van drugshandelaars opgerold",
    "Nederlandse en Belgische autoriteiten hebben met steun van Eurojust en Europol een criminele organisatie "
    "opgerold die cocaïne smokkelde via de haven van Antwerpen. Het onderzoek werd gecoördineerd door Eurojust. "
    "In Spanje werden 20 verdachten aangehouden en 2 ton cocaïne in beslag genomen.",
)
PORTUGUESE = (
    "Desmantelada rede criminosa dedicada ao tráfico de seres humanos",
    "As autoridades portuguesas e espanholas, com o apoio da Eurojust e da Europol, desmantelaram uma rede "
    "criminosa que explorava trabalhadores agrícolas. A investigação foi coordenada pela Eurojust. Foram detidos "
    "15 suspeitos em Portugal e na Roménia e libertadas 40 vítimas de exploração laboral.",
)
RELEASES = {"fr": FRENCH, "de": GERMAN, "es": SPANISH, "ro": ROMANIAN, "it": ITALIAN, "nl": DUTCH, "pt": PORTUGUESE}


def _tags(language: str) -> Tags:
    title, text = RELEASES[language]
    return CLASSIFIER.classify(title, text, "")


def _roles(tags: Tags) -> dict[str, AgencyRole]:
    return {a.id: a.role for a in tags.agencies}


@pytest.mark.parametrize("language", RELEASES)
def test_the_agencies_that_support_or_coordinate_are_parties(language: str) -> None:
    assert _roles(_tags(language)) == {"europol": AgencyRole.PARTY, "eurojust": AgencyRole.PARTY}


@pytest.mark.parametrize(("language", "involved"), [
    ("fr", {"FR", "ES", "NL"}),
    ("de", {"DE", "NL"}),
    ("es", {"ES", "IT"}),
    ("ro", {"RO", "MD", "UA"}),
    ("it", {"IT", "ES"}),
    ("nl", {"NL", "BE", "ES"}),
    ("pt", {"PT", "ES", "RO"}),
])
def test_the_countries_involved_in_their_inflected_forms(language: str, involved: set[str]) -> None:
    assert set(_tags(language).involved_country_codes()) == involved


@pytest.mark.parametrize(("language", "areas"), [
    ("fr", {"organised-crime", "drug-trafficking"}),
    ("de", {"organised-crime", "drug-trafficking"}),
    ("es", {"organised-crime", "migrant-smuggling"}),
    ("ro", {"organised-crime", "drug-trafficking"}),
    ("it", {"organised-crime", "drug-trafficking"}),
    ("nl", {"organised-crime", "drug-trafficking"}),
    ("pt", {"organised-crime", "trafficking-in-human-beings"}),
])
def test_a_criminal_network_and_its_crime_in_each_language(language: str, areas: set[str]) -> None:
    assert set(_tags(language).area_ids()) == areas


@pytest.mark.parametrize("text", [
    "Europol hat einen Bericht über die Bekämpfung der organisierten Kriminalität veröffentlicht.",
    "Europol a publié un rapport sur la criminalité organisée.",
    "Europol a publicat un raport privind combaterea criminalității organizate.",
])
def test_organised_in_the_name_of_a_crime_is_not_a_role(text: str) -> None:
    assert _roles(CLASSIFIER.classify("", text, "")) == {"europol": AgencyRole.MENTIONED}


def test_a_german_date_with_an_ordinal_day_does_not_end_a_sentence() -> None:
    title, text = GERMAN
    assert summarize(text).startswith("Am 14. Mai 2024 haben die Behörden Deutschlands")
    assert "am 15. und 16. Mai wurden" in summarize(text)
    evidence = next(c for c in _tags("de").countries if c.code == "DE").evidence
    assert evidence[0].startswith("Am 14. Mai 2024")
    meeting = "Das Abkommen wurde am Rande der 34. Sitzung des Netzwerks von Vertretern Deutschlands unterzeichnet."
    assert next(c for c in CLASSIFIER.classify("", meeting, "").countries if c.code == "DE").evidence == [meeting]


def test_a_day_before_a_month_in_lowercase_does_not_end_a_sentence() -> None:
    tags = CLASSIFIER.classify("", "Politiet anholdt tre personer 25. maj i Danmark og Sverige.", "")
    assert next(c for c in tags.countries if c.code == "DK").evidence == [
        "Politiet anholdt tre personer 25. maj i Danmark og Sverige."]


def test_a_sentence_may_still_end_with_a_small_number() -> None:
    tags = CLASSIFIER.classify("", "The victims were aged between 18 and 34. Spanish police arrested them.", "")
    assert next(c for c in tags.countries if c.code == "ES").evidence == ["Spanish police arrested them."]
    assert summarize("The victims of the network were aged between 18 and 34. Spanish police arrested "
                     "the suspects in Madrid.", 60) == "The victims of the network were aged between 18 and 34."


@pytest.mark.parametrize(("title", "text", "kind"), [
    ("Formation des juges sur l'entraide judiciaire",
     "Le CEPOL a organisé une formation pour 40 juges et procureurs sur l'entraide judiciaire.", "training"),
    ("Schulung für Ermittler", "CEPOL organisierte eine Schulung für 30 Ermittler zur Bekämpfung der Geldwäsche.",
     "training"),
    ("Eurojust publica su informe anual", "Eurojust ha publicado hoy su informe anual 2024.", "report"),
    ("Reuniune a procurorilor la Eurojust",
     "Procurorii generali s-au întâlnit la Haga într-o reuniune organizată de Eurojust.", "meeting"),
    ("Eurojust et la Moldavie signent un accord de coopération",
     "Eurojust a signé aujourd'hui un accord de coopération avec le parquet général de la République de Moldavie.",
     "agreement"),
    ("Eurojust en Oekraïne ondertekenen een werkafspraak", "De werkafspraak werd vandaag ondertekend.", "agreement"),
    ("Jaarverslag van Eurojust gepubliceerd", "Het jaarverslag beschrijft de zaken van 2024.", "report"),
    ("Opleiding voor rechters over wederzijdse rechtshulp", "Veertig rechters volgden de opleiding.", "training"),
    ("Reunião dos procuradores-gerais na Eurojust", "Os procuradores-gerais discutiram a cooperação judiciária.",
     "meeting"),
    ("Eurojust e o Brasil assinam acordo de cooperação", "O acordo de cooperação foi assinado hoje em Haia.",
     "agreement"),
    ("Novo relatório sobre o tráfico de droga", "O relatório descreve as rotas da cocaína.", "report"),
])
def test_the_kind_of_cooperation_in_each_language(title: str, text: str, kind: str) -> None:
    assert CLASSIFIER.classify(title, text, "").cooperation_ids() == [kind]


@pytest.mark.parametrize(("text", "code"), [
    ("Les enquêteurs belges ont saisi 2 tonnes de cocaïne à Anvers.", "BE"),
    ("Trois suspects ont été mis en examen et écroués en Suisse.", "CH"),
    ("In Polen wurden Beweismittel sichergestellt.", "PL"),
    ("Gegen die Verdächtigen in Tschechien wurde Anklage erhoben.", "CZ"),
    ("La policía detuvo a 5 personas en Portugal.", "PT"),
    ("Los agentes incautaron 300 kilos de hachís en Marruecos.", "MA"),
    ("Polițiștii au reținut 5 persoane în Ungaria.", "HU"),
    ("La polizia ha sequestrato beni in Croazia.", "HR"),
    ("Gli inquirenti hanno indagato 12 persone in Slovenia.", "SI"),
    ("De politie heeft in Duitsland drie verdachten gearresteerd.", "DE"),
    ("Het Openbaar Ministerie vervolgt de verdachten in Frankrijk.", "FR"),
    ("Foram realizadas buscas em Espanha.", "ES"),
    ("Os suspeitos foram detidos na Alemanha.", "DE"),
])
def test_a_country_in_a_sentence_of_the_case_is_involved_in_each_language(text: str, code: str) -> None:
    """Police, investigators, arrests, seizures and charges in each language's words, as the English ones."""
    assert CLASSIFIER.classify("", text, "").involved_country_codes() == [code]


@pytest.mark.parametrize("title", [
    "Die Europäische Beobachtungsstelle für Drogen und Drogensucht hat ihren Jahresbericht veröffentlicht",
    "L'Observatoire européen des drogues et des toxicomanies publie son rapport annuel",
])
def test_the_drugs_agencys_name_is_not_drug_trafficking(title: str) -> None:
    tags = CLASSIFIER.classify(title, "", "")
    assert tags.agency_ids() == ["euda"] and tags.area_ids() == []


MOLDOVAN_MEETING = (
    "Ministrul Afacerilor Interne a avut o întrevedere cu directorul executiv adjunct al Europol",
    "Ministrul Afacerilor Interne a avut astăzi o întrevedere cu directorul executiv adjunct al Europol, la Haga. "
    "Părțile au discutat despre consolidarea cooperării în domeniul combaterii traficului de ființe umane, a "
    "traficului de arme și a criminalității cibernetice.",
)


def test_a_moldovan_ministrys_meeting_in_romanian_names_its_scope() -> None:
    """Romanian names crimes with an article or in the genitive ("traficului de arme"): the ministry's newsroom
    writes so, and a meeting's list of crimes is its scope."""
    tags = CLASSIFIER.classify(*MOLDOVAN_MEETING, "md-mia")
    assert tags.cooperation_ids() == ["meeting"]
    assert set(tags.area_ids()) == {"trafficking-in-human-beings", "firearms-trafficking", "cybercrime"}
    assert CLASSIFIER.classify("Europol și Ministerul Afacerilor Interne au semnat acordul de cooperare", "",
                               "md-mia").cooperation_ids() == ["agreement"]


@pytest.mark.parametrize(("text", "agency"), [
    ("l'Office européen de lutte antifraude", "olaf"),
    ("die Europäische Staatsanwaltschaft (EUStA)", "eppo"),
    ("Comisia Europeană a anunțat", "european-commission"),
    ("l'Agence de l'Union européenne pour la coopération judiciaire en matière pénale", "eurojust"),
    ("la Agencia de la Unión Europea para la Cooperación Policial", "europol"),
    ("die Agentur der Europäischen Union für Cybersicherheit", "enisa"),
    ("die Asylagentur der Europäischen Union", "euaa"),
    ("la Agencia de la Unión Europea sobre Drogas", "euda"),
    ("Agenția Uniunii Europene pentru Formare în Materie de Aplicare a Legii", "cepol"),
    ("die Agentur der Europäischen Union für das Betriebsmanagement von IT-Großsystemen", "eu-lisa"),
    ("la Organización Mundial de Aduanas", "wco"),
    ("Oficiul European de Luptă Antifraudă a investigat cazul.", "olaf"),
    ("Consiliul Uniunii Europene a adoptat concluziile.", "council-of-the-eu"),
    ("L'Ufficio europeo per la lotta antifrode ha indagato.", "olaf"),
    ("La Procura europea ha aperto un'indagine.", "eppo"),
    # German names with a suspended hyphen ("Grenz- und Küstenwache"), and a dative
    ("mit Unterstützung der Europäischen Agentur für die Grenz- und Küstenwache", "frontex"),
    ("die Agentur der Europäischen Union für die Aus- und Fortbildung auf dem Gebiet der Strafverfolgung", "cepol"),
    ("das Büro der Vereinten Nationen für Drogen- und Verbrechensbekämpfung", "unodc"),
    ("Ermittlungen der Europäischen Staatsanwaltschaft", "eppo"),
    # the Council of Europe is not the Council of the EU in any language
    ("Il Consiglio d'Europa ha pubblicato il rapporto.", "council-of-europe"),
    ("Consiliul Europei a publicat raportul.", "council-of-europe"),
    ("Het Europees Openbaar Ministerie heeft een onderzoek geopend.", "eppo"),
    ("Het Europees Bureau voor fraudebestrijding onderzocht de zaak.", "olaf"),
    ("met steun van het Europees Grens- en kustwachtagentschap", "frontex"),
    ("A Procuradoria Europeia abriu uma investigação.", "eppo"),
    ("O Organismo Europeu de Luta Antifraude investigou o caso.", "olaf"),
    ("O Observatório Europeu da Droga e da Toxicodependência publicou o relatório.", "euda"),
    ("O Conselho da Europa publicou o relatório.", "council-of-europe"),
])
def test_agency_names_in_other_languages(text: str, agency: str) -> None:
    assert CLASSIFIER.classify("", text, "").agency_ids() == [agency]


def test_a_romanian_company_is_not_a_spanish_signature() -> None:
    """Romanian "firmă" (a company) folds to Spanish "firma" (signs): only the Spanish verb before what is signed
    makes an agency a party."""
    company = CLASSIFIER.classify("", "Europol a descoperit că firma din Chișinău a spălat bani.", "")
    assert _roles(company) == {"europol": AgencyRole.MENTIONED}
    signing = CLASSIFIER.classify("", "Eurojust firma un acuerdo de trabajo con Europol.", "")
    assert _roles(signing) == {"eurojust": AgencyRole.PARTY, "europol": AgencyRole.PARTY}


@pytest.mark.parametrize(("title", "area"), [
    ("Des fonctionnaires ont reçu des pots-de-vin en échange de contrats publics", "corruption"),
    ("Beamte sollen Schmiergeld angenommen haben", "corruption"),
    ("Umsatzsteuerbetrug: Schaden von 20 Millionen Euro", "fraud"),
    ("Los ciberdelincuentes utilizaban programas maliciosos para robar datos bancarios", "cybercrime"),
    ("Les cybercriminels ont utilisé un logiciel malveillant", "cybercrime"),
    ("Caporalato: braccianti costretti al lavoro forzato", "trafficking-in-human-beings"),
    ("Il denaro veniva riciclato attraverso società di comodo", "money-laundering"),
    ("Trafic de déchets dangereux vers l'Afrique", "environmental-crime"),
    ("Tráfico ilegal de residuos peligrosos hacia África", "environmental-crime"),
    ("Der Verdächtige wird wegen Mordes gesucht", "crimes-against-persons"),
    ("Une bande de cambrioleurs a été démantelée", "organised-property-crime"),
    ("Hunderte Migranten in Lastwagen über die Grenze gebracht", "migrant-smuggling"),
    ("Witwassen van drugsgeld via vastgoed", "money-laundering"),
    ("Mensensmokkelaars opgepakt in België", "migrant-smuggling"),
    ("Plofkraken op geldautomaten: bende opgerold", "organised-property-crime"),
    ("Btw-fraude met mobiele telefoons", "fraud"),
    ("Branqueamento de capitais através de empresas de fachada", "money-laundering"),
    ("Auxílio à imigração ilegal: rede desmantelada", "migrant-smuggling"),
    ("Crimes de guerra cometidos na Ucrânia", "core-international-crimes"),
    ("Corrupção na contratação pública", "corruption"),
])
def test_a_crime_named_in_the_words_of_each_language(title: str, area: str) -> None:
    assert area in CLASSIFIER.classify(title, title).area_ids()


# Eurojust publishes some releases on Ukraine in other EU languages (the development set has a Danish and an
# Estonian one)
@pytest.mark.parametrize("title", [
    "Krigsforbrydelser begået i Ukraine",  # Danish
    "Ukrainas väidetavalt toimepandud raskete rahvusvaheliste kuritegude ühine uurimisrühm",  # Estonian
    "Kopīgā izmeklēšanas grupa par Ukrainā pastrādātajiem kara noziegumiem",  # Latvian
    "Jungtinė tyrimo grupė dėl Ukrainoje padarytų tarptautinių nusikaltimų",  # Lithuanian
    "Wspólny zespół dochodzeniowy w sprawie zbrodni wojennych popełnionych w Ukrainie",  # Polish
    "Spoločný vyšetrovací tím pre vojnové zločiny spáchané na Ukrajine",  # Slovak
    "Společný vyšetřovací tým pro válečné zločiny spáchané na Ukrajině",  # Czech
])
def test_core_international_crimes_in_ukraine_in_the_languages_of_its_translations(title: str) -> None:
    tags = CLASSIFIER.classify(title, title, "eurojust")
    assert tags.area_ids() == ["core-international-crimes"]
    assert tags.involved_country_codes() == ["UA"]


def test_the_centre_named_after_ukraine_in_danish_names_it_without_making_it_a_party() -> None:
    title = "Det Internationale Center for Retsforfølgning af Aggressionsforbrydelsen mod Ukraine"
    tags = CLASSIFIER.classify(title, title, "eurojust")
    assert tags.area_ids() == ["core-international-crimes"]
    assert (tags.involved_country_codes(), tags.mentioned_country_codes()) == ([], ["UA"])


@pytest.mark.parametrize("text", [
    "Rahvusvahelise Kriminaalkohtu prokurör osales kohtumisel.",
    "Prokurors no Starptautiskās Krimināltiesas piedalījās sanāksmē.",
    "Tarptautinio baudžiamojo teismo prokuroras dalyvavo susitikime.",
    "Prokurator Międzynarodowego Trybunału Karnego wziął udział w spotkaniu.",
    "Prokurátor Medzinárodného trestného súdu sa zúčastnil na stretnutí.",
    "Žalobce Mezinárodního trestního soudu se zúčastnil jednání.",
    "Anklageren ved Den Internationale Straffedomstol deltog i mødet.",
])
def test_the_international_criminal_court_in_the_languages_of_its_translations(text: str) -> None:
    assert CLASSIFIER.classify("", text, "").agency_ids() == ["icc"]
