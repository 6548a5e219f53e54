"""Text normalisation shared by the question matcher and the member keyword matcher.

rapidfuzz does no preprocessing of its own (since 3.0), so everything that makes two
spellings equal lives here, explicitly: case, umlauts written as ae/oe/ue/ss, accents,
punctuation, German and English inflection (Snowball stemmers applied one after the other,
so a mixed German/English question needs no language decision before matching).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer  # PyStemmer: the Snowball algorithms in C

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
_GERMAN = Stemmer.Stemmer("german")
_ENGLISH = Stemmer.Stemmer("english")

GERMAN_STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bitte
    bist da dabei dafuer damit dann darf darueber das dass davon dazu dein dem den denn der
    des dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine
    einem einen einer eines einfach er erklaer erklaere erklaeren erzaehl erzaehle es etwa
    etwas euch eure euer fuer gab geben gehoert genau gern gerne gibt gilt hab habe haben
    hast hat hatte heisst hier ich ihr ihre im in ins ist ja jemand kann kannst kein keine
    koennen koennte konkret kurz man mal mehr mein meine mich mir mit moechte muss muessen
    nach nicht noch nun nur ob oder sagen sag sagt sein seine sich sie sind so soll sollen
    sollte sollten ueber um und uns unser unsere unter viel vielleicht vom von vor war warum
    was welche welchem welchen welcher welches wenn wer werden wie wieso wir wird wo woran
    worauf worin worum wozu zu zum zur zwischen eigentlich denn mal halt wohl bedeutet
    bedeutung meint gemeint versteht verstehen beim hallo danke hi info infos information
    informationen frage fragen thema geht gehts dir wirklich schon jetzt sowieso ueberhaupt
    ganz ganzen unserer unserem unseren eurer eurem euren liegt steckt merkt merken macht
    machen tun gibts eben immer oft sehr ganz bloss nur irgendwie sozusagen einfach ok okay
    tag heute gestern naechste naechsten naechstes naechster erklaert erklaerung ja nein
    """.split()
)

ENGLISH_STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been being between
    both but by can could did do does doing done each explain for from further get give had
    has have having he her here how i if in into is it its just know let me mean means meant
    more most much my no nor not of on once only or other our out over own please same
    she should so some such tell than thank thanks that the their them then there these they
    this those through to too under until up us very was we were what whats when where which
    while who whom why will with would you your hello hi info information question questions
    topic actually really exactly briefly quick quickly basically anyway anything something
    stuff thing things ok okay day today explained explanation next now yes
    """.split()
)

STOPWORDS = GERMAN_STOPWORDS | ENGLISH_STOPWORDS

# Words that say which language a question is in (more reliable than letter statistics
# for messages of three to ten words).
_GERMAN_MARKERS = GERMAN_STOPWORDS - ENGLISH_STOPWORDS - {"in", "am", "so", "man", "hi"}
_ENGLISH_MARKERS = ENGLISH_STOPWORDS - GERMAN_STOPWORDS - {"die", "was", "also", "an"}


def fold(text: str) -> str:
    """Lower-case, spell umlauts as ae/oe/ue/ss, drop accents."""
    if text.isascii():
        return text.lower()
    lowered = text.lower().translate(_UMLAUTS)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Split folded text into words; punctuation and emoji separate words and vanish."""
    return [word for word in _NON_WORD.split(fold(text)) if word]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce an already folded word to a stem shared by its German and English forms."""
    return _GERMAN.stemWord(_ENGLISH.stemWord(word))


def content_words(text: str) -> list[str]:
    """The words that carry meaning: no stop words, no one-letter words."""
    return [word for word in words(text) if word not in STOPWORDS and len(word) > 1]


def detect_language(
    text: str,
    fallback: str,
    german_words: frozenset[str] = frozenset(),
    english_words: frozenset[str] = frozenset(),
) -> str:
    """Guess 'de' or 'en' from function words, umlauts and known vocabulary.

    `german_words`/`english_words` are words seen in only one language of the knowledge
    base (e.g. "Finanzierung", "funding"); the fallback decides a tie.
    """
    lowered = text.lower()
    german = sum(1 for ch in lowered if ch in "äöüß") * 2
    english = 0
    for word in words(text):
        if len(word) < 2:
            continue
        if word in _GERMAN_MARKERS or word in german_words:
            german += 1
        elif word in _ENGLISH_MARKERS or word in english_words:
            english += 1
    if german == english:
        return fallback
    return "de" if german > english else "en"
