"""The language of a release, from the common words at its start: every official language of the EU, and
Russian and Ukrainian (Moldovan and Ukrainian authorities publish in them)."""

from __future__ import annotations

from bot.matcher import WordSet

# Twelve common words a language, folded as the matcher folds text ("för" is "for"); a word two languages share
# counts for both, so each list leans on the words the others lack (Finnish and Estonian share "ja" and "oli").
STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "with", "for", "is", "on", "was", "by", "has"},
    "fr": {"le", "la", "les", "des", "et", "du", "une", "dans", "pour", "avec", "est", "sur"},
    "de": {"der", "die", "das", "und", "mit", "von", "den", "ist", "für", "im", "zu", "eine"},
    "es": {"el", "los", "las", "del", "y", "en", "con", "por", "para", "una", "que", "se"},
    "ro": {"și", "din", "cu", "pentru", "este", "care", "la", "pe", "ale", "sunt", "unei", "acest"},
    "it": {"il", "della", "di", "che", "con", "per", "sono", "gli", "nel", "delle", "una", "dei"},
    "nl": {"de", "het", "een", "van", "en", "met", "voor", "zijn", "op", "dat", "bij", "niet"},
    "da": {"og", "af", "til", "med", "det", "en", "for", "der", "som", "har", "blev", "fra"},
    "pt": {"os", "dos", "das", "em", "com", "pela", "pelo", "uma", "foi", "não", "ao", "aos"},
    "pl": {"w", "się", "nie", "jest", "oraz", "przez", "dla", "które", "który", "został", "zostały", "jako"},
    "cs": {"pro", "který", "která", "byl", "byla", "byli", "jsou", "také", "nebo", "při", "podle", "tento"},
    "sk": {"sa", "pre", "ktorá", "bol", "bola", "boli", "tiež", "alebo", "podľa", "ako", "aj", "však"},
    "sl": {"ki", "tudi", "pa", "ali", "bil", "bila", "bilo", "ter", "kot", "iz", "smo", "lahko"},
    "hr": {"koji", "koja", "koje", "kao", "bio", "nakon", "ili", "prema", "tijekom", "te", "što", "također"},
    "hu": {"az", "és", "hogy", "egy", "meg", "volt", "szerint", "pedig", "több", "során", "valamint", "között"},
    "fi": {"ja", "oli", "ovat", "sekä", "että", "joka", "jotka", "myös", "kanssa", "mukaan", "tai", "ei"},
    "et": {"ja", "oli", "ning", "mis", "kes", "ka", "kui", "oma", "ole", "samuti", "selle", "seda"},
    "lv": {"un", "ar", "par", "kas", "uz", "lai", "tika", "bija", "arī", "tiek", "saskaņā", "pēc"},
    "lt": {"ir", "kad", "yra", "buvo", "bei", "taip", "kuris", "kurie", "tarp", "apie", "jog", "metu"},
    "sv": {"och", "att", "till", "av", "på", "inte", "vid", "från", "eller", "ett", "är", "också"},
    "el": {"και", "το", "της", "του", "την", "με", "για", "από", "που", "στην", "των", "στο"},
    "bg": {"на", "за", "от", "се", "че", "което", "бяха", "са", "със", "като", "при", "този"},
    "mt": {"li", "għal", "minn", "kien", "huwa", "dawn", "wkoll", "biex", "fuq", "mill", "tal", "lill"},
    "ga": {"agus", "ag", "atá", "chun", "leis", "seo", "bhí", "freisin", "faoi", "idir", "nach", "sin"},
    "ru": {"что", "это", "был", "была", "которые", "также", "года", "или", "его", "не", "в", "по"},
    "uk": {"і", "та", "що", "це", "було", "які", "також", "року", "для", "до", "його", "від"},
}
# What each code is called in replies and may be typed as (lang:spanish is lang:es)
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "ro": "Romanian", "it": "Italian",
    "nl": "Dutch", "da": "Danish", "pt": "Portuguese", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "sl": "Slovenian", "hr": "Croatian", "hu": "Hungarian", "fi": "Finnish", "et": "Estonian", "lv": "Latvian",
    "lt": "Lithuanian", "sv": "Swedish", "el": "Greek", "bg": "Bulgarian", "mt": "Maltese", "ga": "Irish",
    "ru": "Russian", "uk": "Ukrainian",
}
LANGUAGE_CHARS = 700  # about 90 words of the matched string, title included: enough to tell a language
MIN_WORDS = 3  # fewer of a language's words than this is no evidence of it
_WORDS = WordSet((lang, word) for lang, words in STOPWORDS.items() for word in words)


def detect_language(lowered: str) -> str:
    """The language whose common words are most present at the start of a matched string (English when unsure)."""
    counts = dict.fromkeys(STOPWORDS, 0)  # a Counter costs more to build than the counting here
    for lang, _ in _WORDS.present(lowered[:LANGUAGE_CHARS]):
        counts[lang] += 1
    best = max(STOPWORDS, key=lambda lang: counts[lang])  # in the order of STOPWORDS on a tie: English first
    return best if counts[best] >= MIN_WORDS else "en"


def language_name(code: str) -> str:
    """'Spanish' for es; a code coop does not name stays as it is."""
    return LANGUAGE_NAMES.get(code, code)


def language_note(code: str) -> str:
    """' · in Spanish' after a card's date for a release not in English, so a reader knows before opening it."""
    return "" if code == "en" else f" · in {language_name(code)}"
