"""Function words and intent words: the only hand-made word lists of the language layer.

Function words (articles, pronouns, auxiliaries, chat fillers such as "moin", "gibts",
"nen") never count as content, known or unknown: "Wie geht's dir heute?" has nothing to
look up. Intent words say what kind of answer is wanted (why, since when, where, who, how
many); they are not content either, but they become intent keys ("?why") that a matcher can
compare with the intent of a knowledge-base phrasing: "Warum dauert das so lange?" prefers
the entry whose question starts with "warum", and "Wann ist das nächste Treffen?" finds no
entry that answers a "when".
"""

from __future__ import annotations

import re

GERMAN = frozenset("""
    aber alle allem allen aller alles als also am an andere anderen anderer anderes auch auf
    aus bei beim bin bis bitte bist da dabei dafuer dagegen daher damit dann daran darauf
    daraus darf darin darueber darum das dass davon dazu dein deine deinem deinen deiner dem
    den denen denn der deren des dessen dich die dies diese diesem diesen dieser dieses dir
    doch dort du durch ein eine einem einen einer eines einfach er erklaer erklaere erklaeren
    erzaehl erzaehle es etwa etwas euch eure euer eurem euren eurer fuer gab geben gehoert
    genau gern gerne gibt gibts gilt hab habe haben hast hat hatte hatten heisst hier ich ihm
    ihn ihnen ihr ihre ihrem ihren ihrer im in ins ist ja jemand jetzt jetz kann kannst kein
    keine keinen koennen koennte koenntest konkret kurz man mal mehr mein meine meinem meinen
    meiner mich mir mit moechte muss muessen musst nach nicht noch nun nur ob oder sagen sag
    sagt sein seine seinem seinen seiner sich sie sind so soll sollen sollte sollten ueber um
    und uns unser unsere unserem unseren unserer unter viel vielleicht vom von vor war waere
    waren was welche welchem welchen welcher welches wenn werden wie wir wird wo woran worauf
    worin worum wozu wurde wurden zu zum zur zwischen eigentlich halt wohl bedeutet bedeuten
    meint meinst gemeint versteht verstehen definiert definieren definiere
    erlaeutern erlaeutere hallo danke hi hey moin servus info infos information
    informationen frage fragen thema geht gehts wirklich schon sowieso ueberhaupt ganz ganzen
    liegt steckt merkt merken macht machen tun gibts eben immer oft sehr bloss irgendwie
    sozusagen ok okay tag heute gestern ja nein ne nen nem ner nix nichts wat isn denn dann
    usw bzw etc eher alles laut kurze kurzer mich dich sich selbst selber wieder weiter
    einmal mehrere manche jeder jede jedes jeden jedem zufolge gemaess meines deines seines
    ihres unseres eures keines jene jenes jener jenen jenem manches solche solcher solches
    solchen solchem
""".split())

ENGLISH = frozenset("""
    a about above after again all also am an and any are as at be because been being between
    both but by can could did do does doing done each explain for from further get gets give
    had has have having he her here him his how i if in into is it its just know let me mean
    means meant more most much my no nor not of on once only or other our ours out over own
    please same she should so some such tell than thank thanks that the their them then there
    these they this those through to too under until up us very was we were what whats which
    while will with would you your yours hello hi hey info information question questions
    topic actually really exactly briefly basically anyway anything something
    stuff thing things ok okay today explained explanation now yes s t d ll re ve m
    etc vs lot lots meaning define defined according
""".split())

FUNCTION_WORDS = GERMAN | ENGLISH

# Chat spellings, written out before anything else ("hw do u" = "how do you", "wieviele" =
# "wie viele"), so that they count as the words they stand for, not as unknown words;
# hedges ("kinda old") say nothing.
CHAT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "wat": ("what",), "wot": ("what",), "hw": ("how",), "u": ("you",), "ur": ("your",),
    "r": ("are",), "y": ("why",), "pls": ("please",), "plz": ("please",), "thx": ("thanks",),
    "ppl": ("people",), "kinda": (), "sorta": (), "yrs": ("years",),
    "diff": ("difference",), "q": ("question",), "abt": ("about",), "w": ("with",),
    "wanna": ("want", "to"), "gonna": ("going", "to"), "gotta": ("got", "to"),
    "wieviel": ("wie", "viel"), "wieviele": ("wie", "viele"), "wievielen": ("wie", "vielen"),
    "kommts": ("kommt", "es"), "gehts": ("geht", "es"), "fuers": ("fuer", "das"),
    "wos": ("wo", "es"), "obs": ("ob", "es"), "wenns": ("wenn", "es"),
    # German typed without umlauts or with a vowel dropped, where the plain spelling is
    # another (English) word: "fur unsre region", "was heist das"
    "fur": ("fuer",), "heist": ("heisst",), "unsre": ("unsere",), "unsren": ("unseren",),
    "unsrem": ("unserem",), "unsrer": ("unserer",),
    "mgmt": ("management",), "mngmt": ("management",), "mgr": ("manager",),
    "govt": ("government",),
    # chat abbreviations and fillers, which otherwise count as rare words no entry knows
    "acc": ("according",), "bc": ("because",), "cuz": ("because",), "coz": ("because",),
    "tho": ("though",), "thru": ("through",), "esp": ("especially",),
    "sth": ("something",), "smth": ("something",), "sb": ("somebody",), "smb": ("somebody",),
    "rn": ("right", "now"), "asap": ("as", "soon", "as", "possible"), "approx": ("about",),
    "btw": (), "imo": (), "idk": (), "nvm": (), "lol": (), "omg": (), "yeah": (), "yep": (),
    "nope": (), "ya": (),
    "vllt": ("vielleicht",), "evtl": ("eventuell",), "bzgl": ("bezueglich",),
    "zw": ("zwischen",), "ggue": ("gegenueber",), "tbl": ("table",),
    "zb": ("zum", "beispiel"), "eig": ("eigentlich",), "eigtl": ("eigentlich",),
    "iwie": ("irgendwie",), "bissl": ("bisschen",), "kannste": ("kannst", "du"),
    "weisste": ("weisst", "du"), "nee": ("nein",),
}

# intent key -> words (folded) that ask for it; "wie viele"/"how many" are handled as pairs
INTENTS: dict[str, frozenset[str]] = {
    "?why": frozenset({"warum", "wieso", "weshalb", "weswegen", "why"}),
    "?when": frozenset({"wann", "when", "seit"}),
    "?where": frozenset({"wo", "where", "wohin"}),
    "?who": frozenset({"wer", "wem", "wen", "who", "whom", "whose"}),
    # the current state of things: a talk cannot know it ("Wie viele Mitglieder hat der
    # Verein aktuell?", "What's the share price today?")
    "?now": frozenset({"aktuell", "aktuelle", "aktuellen", "aktueller", "derzeit",
                       "derzeitig", "derzeitige", "momentan", "heute", "heutige", "today",
                       "currently", "tonight", "tomorrow", "morgen", "yesterday", "gestern"}),
}
NOW_PAIRS = frozenset({("right", "now"), ("at", "moment"), ("this", "year"),
                       ("dieses", "jahr"), ("diesem", "jahr"), ("this", "week"),
                       ("diese", "woche")})
AMOUNT_PAIRS = frozenset({("wie", "viel"), ("wie", "viele"), ("wie", "hoch"),
                          ("how", "many"), ("how", "much"), ("how", "high")})
AMOUNT = "?amount"
# how long something takes or lasts ("Wie lange dauert der Aufbau?", "How long should
# funding last?"): a duration, which only some entries give
DURATION_PAIRS = frozenset({("wie", "lange"), ("how", "long"), ("bis", "wann"),
                            ("until", "when")})
DURATION = "?duration"
# a cost word asks for an amount; a price ("Was kostet …?", "How much does it cost?",
# "teuer", a fee) is one the talk cannot know (weighed like "?now"). "Kosten" and "cost"
# alone are often what funding pays for ("Wer trägt die Kosten?"): a price only with
# "wie viel"/"how much"
PRICE_WORDS = frozenset({"kostet", "preis", "preise", "price", "prices", "gebuehr",
                         "gebuehren", "fee", "fees", "teuer", "expensive", "cheap"})
COST_WORDS = PRICE_WORDS | {"kosten", "cost", "costs"}
# ... and "what does it cost", "what do the fees cost": the verb asks for a price
WHAT_COSTS = (frozenset({"what"}), frozenset({"does", "do", "did", "will", "would"}),
              frozenset({"cost", "costs"}))
PRICE = "?price"
# what something brings ("Was bringt mir ein Cluster?", "Lohnt sich Matchmaking?", "Is it
# worth it?"): the words are everyday, the question is about a benefit
BENEFIT_PAIRS = frozenset({("was", "bringt"), ("was", "bringen"), ("bringt", "mir"),
                           ("bringt", "uns"), ("bringt", "es"), ("lohnt", "sich"),
                           ("lohnt", "es"), ("lohnen", "sich"), ("worth", "it")})
BENEFIT = "?benefit"
# how two things differ ("Unterschied zwischen Cluster und Netzwerk", "how does X differ
# from Y"): not the idiom of a title ("Den Unterschied machen Personen")
COMPARE_PAIRS = frozenset({("unterschied", "zwischen"), ("unterschiede", "zwischen"),
                           ("unterscheidet", "sich"), ("unterscheiden", "sich"),
                           ("difference", "between"), ("differences", "between"),
                           ("differ", "from"), ("differs", "from"), ("different", "from")})
COMPARE = "?compare"
# a fact about this very cluster ("Wie hoch ist unser Mitgliedsbeitrag?", "Wer ist bei uns
# Ansprechpartner?", "When is our next meeting?", "What is our fee?"): "our" with an
# amount, a date, a place, a person or a "what is" asked for — the talk cannot know it, a
# manager's own entry can (issue #12)
OUR_WORDS = frozenset({"unser", "unsere", "unserem", "unseren", "unserer", "unseres", "our",
                       "ours",
                       # ... and the cluster a member asks the bot about: "euer Büro" (not
                       # "Ihr", also "her" and "their"; not "your", also anyone's: "What does
                       # your network need to last?")
                       "euer", "eure", "eurem", "euren", "eurer", "eures"})
OUR_PAIRS = frozenset({("bei", "uns"), ("bei", "euch")})
# the office's opening hours, address, directions and parking are this cluster's own
# facts whoever asks ("Wie sind die Öffnungszeiten?", "Where can I park?"): no talk says them
OFFICE_WORDS = frozenset({"oeffnungszeit", "oeffnungszeiten", "sprechzeit", "sprechzeiten",
                          "geschaeftszeiten", "adresse", "anschrift", "anfahrt", "parkplatz",
                          "parkplaetze", "parken", "parking", "telefonnummer"})
OFFICE_PAIRS = frozenset({("opening", "hours"), ("office", "hours"), ("phone", "number"),
                          ("postal", "address"), ("address", "of"), ("your", "address"),
                          ("i", "park"), ("we", "park"), ("to", "park")})
# the next or the last meeting or event ("Wann ist das nächste Netzwerktreffen?", "When is
# the next meeting?", "Wo ist das Protokoll vom letzten Treffen?"): this cluster's calendar,
# which no talk knows ("der nächste Schritt nach dem Workshop" is no event: the event word
# must follow within two words)
NEXT_WORDS = frozenset({"next", "upcoming", "naechste", "naechsten", "naechster", "naechstes",
                        "kommende", "kommenden", "kommender", "kommendes",
                        "last", "previous", "letzte", "letzten", "letzter", "letztes",
                        "vorige", "vorigen", "voriger", "voriges"})
EVENT_ENDINGS = ("treffen", "meeting", "meetings", "veranstaltung", "veranstaltungen", "termin",
                 "termine", "event", "events", "stammtisch", "sitzung", "konferenz",
                 "conference", "tagung", "workshop", "workshops")
OURS = "?ours"
# how to become a member ("Wie werde ich Mitglied?", "How do we join?"): this cluster's own
# procedure, which a manager's entry can say and the talk cannot — a fact about this
# cluster, like "our" with a fact asked for. Only with "wie"/"how": "Warum Mitglied werden?"
# asks what membership brings, which the talk does say
MEMBER_WORDS = frozenset({"mitglied", "mitgliedschaft", "member", "membership"})
BECOME_WORDS = frozenset({"werden", "werde", "wird", "wirst", "become", "becoming"})
JOIN_WORDS = frozenset({"join", "beitreten", "beitrete", "beitritt", "aufgenommen"})
JOIN = "?join"  # besides OURS: the bot can point a visitor to its join request
SELF_WORDS = frozenset({"i", "we", "ich", "wir", "man", "one"})
DEFINE_PAIRS = frozenset({("was", "ist"), ("was", "sind"), ("was", "bedeutet"),
                          ("was", "heisst"), ("what", "is"), ("what", "are"),
                          ("what", "does"), ("what", "s")})
DEFINE = "?what"
WHAT_DOES = ("what", "does")
FACT_INTENTS = frozenset({AMOUNT, "?when", "?where", "?who", DEFINE})
# "was versteht man unter ...", "was meint ihr mit ...", "what do you mean by ...": a word
# that asks for a meaning, anywhere in a question that has a "was"/"what"
MEANING_WORDS = frozenset({"bedeutet", "bedeuten", "meint", "meinst", "gemeint", "versteht",
                           "heisst", "mean", "means", "meant", "meaning"})
QUESTION_WHAT = frozenset({"was", "what", "whats"})
# "wie ist X definiert", "define X": always a definition request
DEFINE_WORDS = frozenset({"definiert", "definieren", "definiere", "define", "defined"})
# "erklär mir X", "explain X": a definition request unless it asks how, why, when ...
EXPLAIN_WORDS = frozenset({"erklaer", "erklaere", "erklaeren", "erklaert", "erlaeutern",
                           "erlaeutere", "explain"})
HOW_WORDS = frozenset({"wie", "how"})
INTENT_OF = {word: key for key, group in INTENTS.items() for word in group}


# a question that names the talk as its source ("according to the talk", "laut Vortrag",
# "from the slides", "what does the speaker say about …") asks about its topic, not about
# the talk: the talk's word is then no content. Only in such a phrase and beside other
# content: "Wer hat den Vortrag gehalten?" and "What is the talk about?" ask about the talk
SOURCE_WORDS = frozenset({"talk", "talks", "presentation", "slides", "slide", "speaker",
                          "lecture", "vortrag", "vortrags", "referent", "referentin",
                          "redner", "rednerin", "praesentation", "folie", "folien"})
SOURCE_BEFORE = frozenset({"according", "laut", "gemaess", "in", "im", "from", "aus", "on",
                           "auf", "per"})
SOURCE_AFTER = frozenset({"zufolge"})
SAYS_WORDS = frozenset({"say", "says", "said", "sagt", "sagen", "meint", "mention",
                        "mentions", "mentioned", "erwaehnt", "claim", "claims"})


def source_references(folded: list[str]) -> set[int]:
    """The positions of the words in `folded` that only name the talk as the question's
    source: the talk's word up to three words after "laut", "according (to)", "in", "from"
    with only function words between ("according to the talk", "in this presentation";
    not "in PowerPoint alle Folien") or before "zufolge", and one that
    says something ("the slides say", "sagt der Referent"), with its saying verb."""
    found: set[int] = set()
    for number, word in enumerate(folded):
        if word not in SOURCE_WORDS:
            continue
        before = folded[max(0, number - 3):number]
        after = folded[number + 1:number + 3]
        cue = next((at for at in range(len(before) - 1, -1, -1) if before[at] in SOURCE_BEFORE),
                   None)
        if cue is not None and FUNCTION_WORDS.issuperset(before[cue + 1:]) or (
                after[:1] and after[0] in SOURCE_AFTER):
            found.add(number)
        for at, near in [*enumerate(before, number - len(before)),
                         *enumerate(after, number + 1)]:
            if near in SAYS_WORDS:
                found.update((number, at))
    return found


# every word that can start an intent (a cheap test before looking for one)
INTENT_CUES = (frozenset(INTENT_OF)
               | {pair[0] for pair in AMOUNT_PAIRS | DEFINE_PAIRS | NOW_PAIRS | BENEFIT_PAIRS
                  | COMPARE_PAIRS | DURATION_PAIRS | OFFICE_PAIRS}
               | OFFICE_WORDS | NEXT_WORDS
               | MEANING_WORDS | DEFINE_WORDS | EXPLAIN_WORDS | COST_WORDS | {"whats"})
DROPPED = FUNCTION_WORDS | frozenset(INTENT_OF)  # and every one-letter word
# between two clauses of a folded word sequence (analysis.clause_words): no word, as folding
# makes none
CLAUSE = "|"
# ... and after a statement ("Unser Verbund besteht seit 15 Jahren. Wie geht es weiter?"):
# what a statement before the question says ("unser", "seit") asks for nothing
STATEMENT = "."
TOPIC_WORDS = 3  # a clause of this many words or fewer names a topic: "Unser Büro:"
# a white-space piece that ends a clause: "?", "!", ";", ":" at its end, or a dash of its own
# ("Unsere Mitglieder sind enttäuscht – was ist da los?")
_CLAUSE_END = re.compile(r"(?:[?!;:]|^[-\u2013\u2014]+)$")
# ... and a full stop after a word of three letters or more that is no abbreviation: a
# sentence ends there ("Unser Verbund besteht seit 15 Jahren. Wie geht es weiter?"); not
# after "z. B.", "bzw.", a number ("am 3. Mai") or "Dr."
_SENTENCE_END = re.compile(r"^[^\W\d_]{3,}[.]$")
ABBREVIATIONS = frozenset({"bzw", "usw", "etc", "vgl", "ggf", "evtl", "inkl", "sog", "prof",
                           "abs", "bspw", "zzgl", "ltd", "inc", "corp", "approx", "dept",
                           "est", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct",
                           "okt", "nov", "dec", "dez", "str", "tel", "mio", "mrd", "max",
                           "min", "nachm", "vorm", "geb", "gest", "ehem", "allg", "urspr"})
# every word intents() looks at, besides event words (is_intent_word): any other word only
# separates its neighbours, so texts that differ in other words alone have the same intents
# (an index analyses many at once)
INTENT_WORDS = (frozenset(INTENT_OF) | {CLAUSE, STATEMENT} | OUR_WORDS | MEANING_WORDS
                | QUESTION_WHAT | DEFINE_WORDS | EXPLAIN_WORDS | HOW_WORDS | MEMBER_WORDS
                | BECOME_WORDS | JOIN_WORDS | SELF_WORDS | COST_WORDS | OFFICE_WORDS | NEXT_WORDS
                | frozenset().union(*WHAT_COSTS) | {"whats", "to"}
                | {word for pair in AMOUNT_PAIRS | DEFINE_PAIRS | NOW_PAIRS | OUR_PAIRS
                   | BENEFIT_PAIRS | COMPARE_PAIRS | DURATION_PAIRS | OFFICE_PAIRS
                   for word in pair})


def is_intent_word(word: str) -> bool:
    """Whether intents() looks at a folded word (INTENT_WORDS, and words that name an event,
    which compounds make too many to list: "Netzwerktreffen", "Mitgliederversammlungstermin")."""
    return word in INTENT_WORDS or word.endswith(EVENT_ENDINGS)


def is_function_word(word: str) -> bool:
    """True for a folded word that carries no content (articles, pronouns, fillers)."""
    return word in FUNCTION_WORDS or word in INTENT_OF or len(word) < 2


# English "when" asks for a date only as a question's first word: inside a sentence it is
# mostly a conjunction ("why join when the concept is in place?"); German has "wann"/"wenn"
CONJUNCTION_TOO = frozenset({"when"})
# "wo" and "where" after a content word start a relative clause or an indirect question
# ("Wie finde ich heraus, wo sich unsere Regionen ergänzen?", "a region where firms
# cluster"): they ask for no place. After a function word they still do ("Weißt du, wo
# das Büro ist?"). An index sees other words only as a gap (knowledge.batch): FUNCTION_GAP
# for a function word, "" for a content word
RELATIVE_TOO = frozenset({"wo", "where"})
FUNCTION_GAP = "_"


def _content_word(word: str) -> bool:
    """Whether a word of a folded sequence (or an index's gap for one) is a content word."""
    return word == "" or (word != FUNCTION_GAP and not is_function_word(word))


def _names_the_next_event(folded: list[str]) -> bool:
    return any(word in NEXT_WORDS and any(
        following.endswith(EVENT_ENDINGS) for following in folded[number + 1:number + 3])
        for number, word in enumerate(folded))


def _joins_oneself(folded: list[str]) -> bool:
    """"How do I join", "how to join", "wie können wir beitreten": the asker joins, not
    others ("How do I convince companies to join?" asks how to win members)."""
    for number, word in enumerate(folded):
        if word not in JOIN_WORDS:
            continue
        if number and folded[number - 1] == "to":  # "how to join", not "companies to join"
            if number == 1 or folded[number - 2] in HOW_WORDS:
                return True
        elif SELF_WORDS.intersection(folded[:number]):
            return True
    return False


def clause_mark(piece: str) -> str | None:
    """The mark a piece of text between white space ends its clause with: CLAUSE,
    STATEMENT (a sentence's full stop), or None when it ends none."""
    if _CLAUSE_END.search(piece) is not None:
        return CLAUSE
    if (piece.endswith(".") and _SENTENCE_END.match(piece) is not None
            and piece[:-1].lower() not in ABBREVIATIONS):
        return STATEMENT
    return None


def intents(folded: list[str]) -> set[str]:
    """The intent keys of a folded word sequence (what a question asks for, besides its
    content words): those of its clauses (parts between CLAUSE marks), each read alone, so
    "Unsere Mitglieder sind enttäuscht – was ist da los?" asks for no fact of "unsere". A
    clause of a few words only names the topic of the next ("Unser Büro: wann ist es
    offen?") and is read with it. A statement that a question follows asks for nothing
    ("Unser Verbund besteht seit 15 Jahren. Wie geht es weiter?")."""
    if CLAUSE not in folded and STATEMENT not in folded:
        return _clause_intents(folded)
    clauses: list[tuple[list[str], str]] = []
    clause: list[str] = []
    for word in [*folded, CLAUSE]:
        if word not in (CLAUSE, STATEMENT):
            clause.append(word)
        elif len(clause) > TOPIC_WORDS:
            clauses.append((clause, word))
            clause = []
    if clause:
        clauses.append((clause, CLAUSE))
    found: set[str] = set()
    for number, (words, mark) in enumerate(clauses):
        if mark != STATEMENT or number == len(clauses) - 1:
            found |= _clause_intents(words)
    return found


def _clause_intents(folded: list[str]) -> set[str]:
    found = {INTENT_OF[word] for number, word in enumerate(folded)
             if word in INTENT_OF and (number == 0 or (
                 word not in CONJUNCTION_TOO
                 and not (word in RELATIVE_TOO and _content_word(folded[number - 1]))))}
    what_is = False  # "what is/are", not only "what does" (see below)
    for pair in zip(folded, folded[1:], strict=False):
        if pair in AMOUNT_PAIRS:
            found.add(AMOUNT)
        elif pair in DURATION_PAIRS:
            found.add(DURATION)
        elif pair in DEFINE_PAIRS or pair[0] == "whats":
            found.add(DEFINE)
            what_is = what_is or pair != WHAT_DOES
        elif pair in NOW_PAIRS:
            found.add("?now")
        if pair in OFFICE_PAIRS:
            found.add(OURS)
        if pair in BENEFIT_PAIRS:
            found.add(BENEFIT)
        elif pair in COMPARE_PAIRS:
            found.add(COMPARE)
    present = set(folded)
    if present & OFFICE_WORDS or _names_the_next_event(folded):
        found.add(OURS)
    if present & HOW_WORDS and (_joins_oneself(folded) or (
            present & MEMBER_WORDS and present & BECOME_WORDS)):
        found.update((OURS, JOIN))
    # "what does our ..." asks for a fact of ours only when it asks what something means
    # ("What does our logo mean?"): "What does our network need to last?" is the talk's topic
    asks_fact = found & FACT_INTENTS - {DEFINE} or (DEFINE in found and (
        what_is or present & MEANING_WORDS))
    if asks_fact and (present & OUR_WORDS or any(
            pair in OUR_PAIRS for pair in zip(folded, folded[1:], strict=False))):
        found.add(OURS)
    if DEFINE not in found and (
            present & DEFINE_WORDS
            or (present & MEANING_WORDS and present & QUESTION_WHAT)
            or (present & EXPLAIN_WORDS and not found and not present & HOW_WORDS)):
        found.add(DEFINE)
    if COST_WORDS & present:
        if PRICE_WORDS & present or AMOUNT in found or all(
                present & words for words in WHAT_COSTS):
            found.add(PRICE)
            if present & MEMBER_WORDS:  # the price of membership: this cluster's own fact
                found.add(OURS)
        found.add(AMOUNT)
    return found
