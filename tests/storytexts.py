"""Releases for the story tests, written for them: one operation told by two newsrooms, another operation of the
same crime the same day, and a month of unrelated news so that coop knows which words are common."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import Release, utcnow
from bot.textutil import content_hash

DAY = (utcnow() - timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)  # a recent day

EUROPOL_TELLS = (
    "Harbour Light: 14 arrests as cocaine importers hid drugs in banana crates",
    "Europol supported the Spanish Guardia Civil and the Belgian Federal Judicial Police in Operation Harbour Light "
    "against a network that imported cocaine through the ports of Algeciras and Antwerp. On 12 March officers "
    "arrested 14 suspects and seized 3.2 tonnes of cocaine hidden in banana crates from Ecuador, EUR 1.4 million in "
    "cash and nine luxury vehicles. The network used a fruit wholesaler in Malaga as a front.",
)
EUROJUST_TELLS = (
    "Cocaine in banana crates: Eurojust helps Spain and Belgium stop importing network",
    "With the support of Eurojust, Spanish and Belgian judicial authorities have dismantled a criminal network that "
    "smuggled cocaine hidden in banana crates from Ecuador through Algeciras and Antwerp. In the action day of "
    "Operation Harbour Light, 14 suspects were arrested and 3.2 tonnes of cocaine were seized, together with EUR 1.4 "
    "million in cash. A fruit wholesaler in Malaga served as the network's front.",
)
OTHER_COCAINE_CASE = (
    "Dutch and German police stop cocaine laboratory: six arrests",
    "Europol supported Dutch and German police in dismantling a cocaine extraction laboratory near Venlo. Six "
    "suspects were arrested and 400 kilograms of cocaine paste were seized on a farm. The laboratory processed "
    "cocaine soaked into clothing shipped from Colombia.",
)
# The same newsroom's words for an operation in other countries, the same day: another story.
SAME_WORDS_ELSEWHERE = (
    "14 arrests as cocaine importers hid drugs in pineapple crates",
    "Europol supported the Italian Guardia di Finanza and the Hellenic Police in Operation Blue Pier against a "
    "network that imported cocaine through the ports of Gioia Tauro and Piraeus. On 12 March officers arrested 14 "
    "suspects and seized 3.2 tonnes of cocaine hidden in pineapple crates from Colombia, EUR 1.4 million in cash and "
    "nine luxury vehicles. The network used a fruit wholesaler in Naples as a front.",
)

_PLACES = ["Lisbon", "Tallinn", "Krakow", "Lyon", "Graz", "Porto", "Ghent", "Turin", "Varna", "Split", "Kaunas",
           "Brno", "Aarhus", "Cork", "Bilbao", "Riga"]
_CRIMES = ["investment fraud", "ransomware", "firearms trafficking", "migrant smuggling", "money laundering",
           "VAT fraud", "trafficking in human beings", "art theft", "phishing", "cigarette smuggling", "corruption",
           "counterfeit medicines"]
_ITEMS = ["servers", "firearms", "bank accounts", "paintings", "phones", "documents", "cars", "boats"]


def _filler(n: int) -> tuple[str, str]:
    crime, place, item = _CRIMES[n % len(_CRIMES)], _PLACES[n % len(_PLACES)], _ITEMS[n % len(_ITEMS)]
    if n % 3 == 0:
        return (f"Annual meeting on {crime} held in {place}",
                f"Prosecutors and investigators met in {place} to discuss {crime}. The meeting adopted conclusions "
                f"on the exchange of evidence and on training for practitioners.")
    return (f"Authorities stop {crime} network in {place}",
            f"Authorities, supported by Eurojust and Europol, took action against {crime} in {place}. Suspects "
            f"were arrested and investigators seized {item} during searches.")


def release(n: int, title: str, text: str, when: datetime, publisher: str = "europol") -> Release:
    return Release(id=f"s{n}", source_id=publisher, publisher=publisher, title=title, text=text, published=when,
                   content_hash=content_hash(title, text))


def month_of_news(count: int = 24) -> list[Release]:
    """Unrelated releases over the month before DAY, oldest first."""
    step = timedelta(days=30) / count
    return [release(100 + n, *_filler(n), DAY - timedelta(days=30) + n * step) for n in range(count)]
