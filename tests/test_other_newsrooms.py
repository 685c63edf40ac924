"""Releases written the way the other newsrooms write them (Europol, INTERPOL, Frontex, the EPPO, OLAF, CEPOL, the
EEAS, the Council, the EU Drugs Agency): the development set is one newsroom's, and these are the phrasings it lacks."""

from __future__ import annotations

import pytest

from tests.classifier import CLASSIFIER


def _kinds(publisher: str, title: str, text: str) -> list[str]:
    return CLASSIFIER.classify(title, text, publisher).cooperation_ids()


def test_a_job_title_is_not_an_appointment() -> None:
    letter = ("INTERPOL's Secretary General and the Executive Director of Europol signed a joint letter on foreign "
              "terrorist fighters.")
    assert _kinds("interpol", "INTERPOL and Europol strengthen cooperation", letter)[0] == "agreement"
    appointed = "The Management Board chose her from twelve candidates."
    assert _kinds("cepol", "CEPOL welcomes its new Executive Director", appointed) == ["policy"]


def test_police_chiefs_meeting_is_not_police_action() -> None:
    convention = ("More than 600 police chiefs and experts are meeting at Europol's headquarters. The Executive "
                  "Director opened the convention with a call for more data sharing.")
    assert _kinds("europol", "European Police Chiefs Convention opens at Europol", convention) == ["meeting"]


@pytest.mark.parametrize(
    ("publisher", "title", "text", "kind"),
    [
        ("europol", "Victim Identification Taskforce identifies 50 children",
         "Specialists from 20 countries met at Europol's headquarters to analyse images.", "meeting"),
        ("eurojust", "Prosecutors from the Western Balkans at Eurojust",
         "The prosecutors met with Eurojust's President and came together with the national desks.", "meeting"),
        ("frontex", "Irregular border crossings down 20% in the first half of the year",
         "The number fell by 20%, according to preliminary data collected by Frontex.", "report"),
        ("council-of-the-eu", "Russia: Council prolongs economic sanctions for six months",
         "The Council today decided to prolong the restrictive measures targeting sectors of Russia's economy.",
         "policy"),
        ("council-of-the-eu", "Council adopts conclusions on drug trafficking",
         "The Council today adopted conclusions calling for stronger action against networks in ports.", "policy"),
        ("council-of-the-eu", "EU adds 20 individuals to terrorist list",
         "The Council today decided to add 20 persons to the EU terrorist list.", "policy"),
        ("europol", "Europol's head to serve a second term",
         "The Management Board reappointed her for four more years.", "policy"),
        ("council-of-the-eu", "Ministers discuss internal security at the Justice and Home Affairs Council",
         "Ministers of justice and home affairs took stock of migration and internal security.", "meeting"),
        ("eeas", "EUCAP Sahel Niger trains investigators on terrorism financing",
         "The mission held a two-week session for 25 investigators on financial investigations.", "training"),
        ("eeas", "EUAM Ukraine mentors prosecutors", "The mission's experts advised and mentored 40 prosecutors.",
         "training"),
        ("eeas", "EU and Morocco hold migration dialogue", "The annual dialogue in Rabat covered border management.",
         "meeting"),
    ],
)
def test_the_kind_other_newsrooms_write(publisher: str, title: str, text: str, kind: str) -> None:
    assert _kinds(publisher, title, text)[0] == kind


def test_a_platform_named_after_joint_investigation_teams_is_not_an_operation() -> None:
    text = "During a visit, the agencies focused on the Joint Investigation Teams Collaboration Platform."
    assert _kinds("eurojust", "Eurojust and eu-LISA discuss closer cooperation", text) == ["meeting"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Council extends restrictive measures against Iran",
         "The Council today added ten persons to its list of restrictive measures."),
        ("Le Conseil prolonge les mesures restrictives à l'encontre de la Russie",
         "Le Conseil a décidé de prolonger les sanctions."),
        ("El Consejo prorroga las medidas restrictivas contra Rusia", "Las sanciones se mantienen seis meses más."),
        ("Consiliul prelungește măsurile restrictive împotriva Rusiei", "Sancțiunile rămân în vigoare."),
    ],
)
def test_sanctions_imposed_are_policy(title: str, text: str) -> None:
    imposed = CLASSIFIER.classify(title, text, "council-of-the-eu")
    assert "sanctions-violation" not in imposed.area_ids()
    assert imposed.cooperation_ids() == ["policy"]


def test_only_the_violation_of_sanctions_is_a_crime() -> None:
    for title, text in [
        ("Three arrested for violating restrictive measures against Russia",
         "The suspects exported dual-use goods in breach of restrictive measures, circumventing restrictive "
         "measures through companies in third countries."),
        ("Verstoß gegen Sanktionen: drei Festnahmen",
         "Die Beschuldigten sollen Güter unter Umgehung der Sanktionen nach Russland geliefert haben. Der Verstoß "
         "gegen Sanktionen wird mit Haft bestraft."),
        ("Violation des mesures restrictives : trois arrestations",
         "Les suspects auraient organisé le contournement des sanctions contre la Russie."),
        ("Încălcarea sancțiunilor: trei persoane reținute",
         "Suspecții ar fi organizat eludarea sancțiunilor impuse Rusiei."),
    ]:
        violated = CLASSIFIER.classify(title, text)
        assert "sanctions-violation" in violated.area_ids(), title
        assert violated.cooperation_ids()[0] == "operation", title


def test_climate_gases_smuggled_are_environmental_crime() -> None:
    tags = CLASSIFIER.classify("OLAF operation stops illegal refrigerant gases entering the EU",
                               "Customs stopped 40 tonnes of hydrofluorocarbons (HFCs) smuggled from Türkiye.",
                               "olaf")
    assert "environmental-crime" in tags.area_ids()


@pytest.mark.parametrize(
    ("title", "text", "area"),
    [
        ("Romanian network exploiting women in the UK dismantled",
         "Police dismantled a network that sexually exploited women. Eight suspects were arrested.",
         "trafficking-in-human-beings"),
        ("EU Drugs Agency warns of nitazenes",
         "The agency issued a risk communication on nitazenes, highly potent synthetic opioids.", "drug-trafficking"),
        ("Business email compromise: 8 arrests", "Criminals used business email compromise to divert payments.",
         "fraud"),
        ("Carousel of fake invoices", "The network issued fake invoices to claim VAT refunds.", "fraud"),
        ("Pickpockets arrested", "The pickpockets targeted tourists in city centres.", "organised-property-crime"),
        ("Stolen luxury cars shipped to Africa", "They stole luxury cars and shipped them abroad.",
         "organised-property-crime"),
        ("Gang stealing cars with keyless entry dismantled", "The gang stole over 200 cars in Germany.",
         "organised-property-crime"),
        ("E-waste shipped to Africa", "The company shipped end-of-life vehicles and electronic waste to Ghana.",
         "environmental-crime"),
        ("Deepfake adverts lure investors", "Criminals used deepfake videos of celebrities to promote fake "
         "investments.", "fraud"),
        ("Crypto ATMs used to hide the origin of cash", "Cash was turned into bitcoin to hide its origin.",
         "money-laundering"),
        ("Tennis players paid by a betting network", "Players were paid to lose matches on which the network bet.",
         "sports-corruption"),
        ("Companies circumvented EU sanctions", "They re-exported the goods to Russia through Central Asia.",
         "sanctions-violation"),
        ("Deportation of children: evidence gathered", "Investigators collected evidence in Kyiv.",
         "core-international-crimes"),
        ("Factory dumped toxic waste", "The company dumped toxic waste in a river for years.", "environmental-crime"),
        ("Songbirds seized at the border", "Customs found 300 songbirds caught in the wild.", "environmental-crime"),
        ("Fake euro coins minted in a garage", "The workshop produced fake euro coins.", "currency-counterfeiting"),
        ("Two teenagers radicalised online arrested", "They planned an attack on a concert.", "terrorism"),
        ("Minors exploited to commit thefts", "The network sent them to shopping centres every day.",
         "trafficking-in-human-beings"),
        ("Network exploiting young women dismantled", "Seven suspects were arrested in Romania and France.",
         "trafficking-in-human-beings"),
        ("Action against a hacktivist group", "Its members attacked the websites of ministries.", "cybercrime"),
        ("Marketplace for stolen credentials taken offline", "It sold the logins of 2 million accounts.",
         "cybercrime"),
        ("Online network coerced minors into harming themselves", "Its members met on gaming platforms.",
         "child-sexual-exploitation"),
        ("Fake police officers scamming the elderly arrested", "They called pensioners at night.", "fraud"),
        ("Children forced to commit pickpocketing", "The network sent them to metro stations.",
         "trafficking-in-human-beings"),
        ("Small boat crossings: 9 arrests", "The network sold places on dinghies for EUR 2 000.",
         "migrant-smuggling"),
        ("Converted blank-firing pistols seized", "The workshop sold them on messaging apps.", "firearms-trafficking"),
        ("Fake branded clothing seized in port", "Customs found 40 containers of trainers.",
         "intellectual-property-crime"),
        ("Torture of prisoners of war documented", "Investigators heard 30 witnesses.", "core-international-crimes"),
        ("Fake vaccination certificates sold online", "The shop delivered them by post.", "document-fraud"),
        ("Luxury cars exported in breach of EU sanctions", "They were shipped to Belarus through Georgia.",
         "sanctions-violation"),
        ("Shell companies used to whitewash criminal profits", "The money came back as loans.", "money-laundering"),
        ("Fake charity collected donations", "The money never reached the flood's victims.", "fraud"),
        ("Spoofing calls from fake bank employees", "Victims were told to move their savings.", "fraud"),
        ("Network forcing women into prostitution dismantled", "The women were recruited online.",
         "trafficking-in-human-beings"),
        ("Domestic servitude: couple charged", "The housekeeper worked 16 hours a day without pay.",
         "trafficking-in-human-beings"),
        ("Workers exploited on farms in Italy", "They were recruited in Asia with false promises.",
         "trafficking-in-human-beings"),
        ("Network organised illegal border crossings", "Drivers waited on the Polish side.", "migrant-smuggling"),
        ("Trafficking of protected reptiles stopped", "Customs found 300 tortoises in a van.", "environmental-crime"),
        ("Illegal oil discharges from ships investigated", "Satellite images showed the slicks.",
         "environmental-crime"),
        ("Fake car parts sold as originals", "Workshops fitted them to customers' cars.",
         "intellectual-property-crime"),
        ("Fake notes seized in Portugal", "The notes were printed in a flat.", "currency-counterfeiting"),
        ("Stolen icons returned to Cyprus", "They had been taken from churches in the 1970s.",
         "cultural-goods-trafficking"),
        ("Suspected member of Hamas arrested", "He is accused of raising funds for the organisation.", "terrorism"),
        ("Militia leader sentenced for massacre of civilians", "The court heard 40 witnesses.",
         "core-international-crimes"),
        ("Illegal arms trade uncovered", "The rifles came from former army stocks.",
         "firearms-trafficking"),
        ("Fixed football matches uncovered", "Referees were paid EUR 5 000 a game.", "sports-corruption"),
        ("Betting fraud in tennis tournaments", "Players lost sets on order.", "sports-corruption"),
        ("Counterfeit driving licences sold online", "Buyers paid EUR 800 each.", "document-fraud"),
        ("Sanctioned oligarch's yacht seized", "The yacht was moored in Spain.", "sanctions-violation"),
        ("Voice phishing gang taken down", "Its call centres phoned thousands of victims.", "fraud"),
    ],
)
def test_crimes_named_the_way_other_newsrooms_name_them(title: str, text: str, area: str) -> None:
    assert area in CLASSIFIER.classify(title, text).area_ids()


def test_an_early_warning_is_a_report() -> None:
    text = "The agency issued a risk communication on nitazenes, highly potent synthetic opioids."
    assert _kinds("euda", "EU Drugs Agency warns of nitazenes", text) == ["report"]


def test_the_genocide_networks_full_name_is_eurojust_and_no_investigation() -> None:
    text = ("The EU Network for investigation and prosecution of genocide, crimes against humanity and war crimes "
            "welcomed a new contact point.")
    tags = CLASSIFIER.classify("A new contact point joins the network", text, "eeas")
    assert "eurojust" in tags.agency_ids()
    assert "operation" not in tags.cooperation_ids()


def test_chemical_weapons_precursors_are_not_drugs() -> None:
    tags = CLASSIFIER.classify("Precursors for chemical weapons seized",
                               "Customs seized chemical weapons precursors destined for Syria.", "olaf")
    assert tags.area_ids() == ["cbrn"]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("The operation was carried out in close cooperation with Europol.", "europol"),
        ("Spanish police, in partnership with Europol, arrested 10 suspects.", "europol"),
        ("The operation took place with the participation of Frontex officers.", "frontex"),
        ("The suspects were located thanks to INTERPOL's databases and arrested.", "interpol"),
        ("The project is funded by the European Commission.", "european-commission"),
        ("OLAF shared intelligence with the customs authorities, who then seized the goods.", "olaf"),
        ("OLAF contributed to the investigation by tracing the goods.", "olaf"),
        ("Europol was involved from the start of the case.", "europol"),
        ("The authorities worked closely with Europol.", "europol"),
        ("The EPPO opened an investigation into the VAT fraud.", "eppo"),
    ],
)
def test_the_ways_other_newsrooms_say_an_agency_took_part(text: str, agency: str) -> None:
    roles = {tag.id: tag.role.value for tag in CLASSIFIER.classify("", text, "").agencies}
    assert roles[agency] == "party"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("INTERPOL coordinated the operation. Participating countries: Argentina, Brazil, Chile.", ["AR", "BR", "CL"]),
        ("Officers seized 5 tonnes of cocaine. Countries involved: the Netherlands and Belgium.", ["NL", "BE"]),
    ],
)
def test_the_closing_list_of_participating_countries_is_involved(text: str, codes: list[str]) -> None:
    assert CLASSIFIER.classify("Operation against traffickers", text, "europol").involved_country_codes() == codes


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("The Joint Cybercrime Action Taskforce hosted the operational meeting.", "europol"),
        ("The fugitive was the subject of a Red Notice and was located through the I-24/7 network.", "interpol"),
        ("The National Central Bureaus in Rome and Buenos Aires exchanged information.", "interpol"),
        ("The European Judicial Cybercrime Network (EJCN) met in The Hague.", "eurojust"),
    ],
)
def test_units_and_tools_name_their_agency(text: str, agency: str) -> None:
    assert agency in CLASSIFIER.classify("", text, "").agency_ids()
