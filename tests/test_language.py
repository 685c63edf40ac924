"""The language of a release, told from its common words."""

from __future__ import annotations

import pytest

from tests.classifier import CLASSIFIER


def test_language_detection() -> None:
    french = "La police et le parquet ont arrêté les suspects dans une opération."
    assert CLASSIFIER.classify("", french).language == "fr"
    assert CLASSIFIER.classify("", "The police and the prosecutors arrested the suspects.").language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("A polícia prendeu dez suspeitos com o apoio da Europol e foi apreendida uma grande quantidade de cocaína "
         "nos portos dos Açores.", "pt"),
        ("Policja zatrzymała w Polsce dziesięciu podejrzanych, którzy działali przez wiele lat jako członkowie "
         "grupy przestępczej, która nie jest już aktywna.", "pl"),
        ("Policie zadržela deset podezřelých, kteří byli součástí skupiny, která pašovala drogy, a také zabavila "
         "zbraně podle státního zástupce.", "cs"),
        ("Polícia zadržala desať podozrivých, ktorí boli súčasťou skupiny, ktorá pašovala drogy, a tiež zaistila "
         "zbrane podľa prokurátora.", "sk"),
        ("Policija je prijela deset osumljencev, ki so tudi pretihotapili orožje, kot je sporočilo tožilstvo, ter "
         "zasegla droge iz Albanije.", "sl"),
        ("Policija je uhitila deset osumnjičenika koji su krijumčarili drogu te oružje, prema navodima "
         "tužiteljstva, nakon istrage koja je trajala godinu.", "hr"),
        ("A rendőrség tíz gyanúsítottat vett őrizetbe, és az ügyészség szerint egy bűnszervezet tagjai voltak, "
         "amely több országban működött.", "hu"),
        ("Poliisi pidätti kymmenen epäiltyä, jotka olivat mukana rikollisjärjestössä, ja myös aseita "
         "takavarikoitiin Europolin kanssa.", "fi"),
        ("Politsei pidas kinni kümme kahtlustatavat, kes olid seotud kuritegeliku ühendusega, ning samuti "
         "konfiskeeriti relvi, mis olid peidetud.", "et"),
        ("Policija aizturēja desmit aizdomās turētos, kas bija iesaistīti noziedzīgā grupā, un tika konfiscēti "
         "ieroči saskaņā ar prokuratūras lēmumu.", "lv"),
        ("Policija sulaikė dešimt įtariamųjų, kurie buvo nusikalstamos grupuotės nariai, ir taip pat konfiskavo "
         "ginklus, kad būtų sustabdyta prekyba.", "lt"),
        ("Polisen grep tio misstänkta som var medlemmar i ett kriminellt nätverk och beslagtog också vapen och "
         "narkotika från flera länder.", "sv"),
        ("Η αστυνομία συνέλαβε δέκα υπόπτους για διακίνηση ναρκωτικών με την υποστήριξη της Europol και του "
         "Eurojust.", "el"),
        ("Полицията задържа десет заподозрени, които са част от престъпна група, като бяха иззети и оръжия при "
         "операцията.", "bg"),
        ("Полиция задержала десять подозреваемых, которые были членами преступной группы, что также подтвердила "
         "прокуратура в Кишинёве.", "ru"),
        ("Поліція затримала десять підозрюваних, які були членами злочинної групи, що також підтвердила "
         "прокуратура та Європол.", "uk"),
        ("Il-pulizija arrestat għaxar persuni suspettati li kienu membri ta' grupp kriminali, u wkoll qabdet armi "
         "biex twaqqaf it-traffikar minn Malta.", "mt"),
        ("Ghabh na gardaí deichniúr a bhí faoi amhras agus fuarthas airm freisin le linn na hoibríochta idir an "
         "dá thír.", "ga"),
    ],
)
def test_every_official_language_of_the_eu_and_russian_and_ukrainian(text: str, language: str) -> None:
    assert CLASSIFIER.classify("", text).language == language
