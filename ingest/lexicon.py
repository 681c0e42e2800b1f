"""The words redaction reasons with: given names, places, English words, the words around a
name ("meet with AL"), honorifics and business acronyms. Plain data and pure functions (no
Presidio, no model), shared by the recognizers, the engine and the pseudonym logic.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Verbs of managing people: in a lowercase note the word after one is a person even when no
# list knows it ("we promoted chidinma"); a capitalised one may be a firm ("hired Accenture").
# Not "promote" or "trust": "promote inclusivity", "trust transparency".
STAFF_VERBS = frozenset(
    """promoted hired onboarded onboarding replacing replaced trusted shadowing""".split()
)
# Verbs of judging a colleague, the biases a journal prompt asks about: only a person follows
# ("I underestimated Ripeka", "I doubted Sung-min Oh").
JUDGED = frozenset("doubted underestimated underrated misjudged sidelined".split())
# Words before a name that show the next token is a person ("meet with AL", "thank SJ").
SLOT_WORDS = frozenset(
    """with to for from and & thank thanks thanked praise ask asked meet met tell told help helped
    email emailed call called ring support supported guide coach coached mentor mentored
    recognise recognize recognised recognized celebrate congratulate remind reminded
    invite invited train trained show showed pair paired debrief encourage encouraged
    appreciate acknowledge affirm commend let get take took give gave offer spend contact
    contacted send sent cc by per including especially see saw notify brief briefed introduce
    introduced assign assigned listen listened teach taught involve involved join joined
    nominate nominated shadow shadowed host hosted via ping pinged message messaged text
    texted copy copied owner mentee mentors colleague boss manager of starter member hire
    report reports assistant intern lead supervisor peer buddy both praised credited overruled
    interrupted owe owed""".split()
    + list(STAFF_VERBS)
    + list(JUDGED)
)
# Words before a lowercase name that no list may hold: "unlike nyokabi", "except daiki",
# "between anil and smita" ("according to" is checked as two words).
BESIDE_PERSON = frozenset("unlike except between besides".split())
# The strongest of them: an ambiguous token (an English word, a soft acronym) must follow one.
STRONG_SLOTS = frozenset(
    """with to thank thanks thanked praise ask asked meet met tell told email emailed call
    called coach coached mentor mentored celebrate congratulate remind reminded debrief commend
    help helped support supported guide recognise recognize recognised recognized invite
    invited cc bcc w/ w ping pinged chị cô chú bác ông bà praised overruled interrupted""".split()
)
# Words before a name that can only precede a person (not a product: "integrate with Workday").
PERSON_SLOTS = frozenset(
    """thank thanks thanked praise ask asked meet met tell told call called email emailed coach
    coached mentor mentored remind reminded congratulate commend debrief reach reached
    dear hi hello greet invite invited get give gave assign assigned cc bcc w/ ping per
    pinged chị cô chú bác ông bà praised overruled interrupted""".split()
    + list(JUDGED)
)
# "guidance to X", "reach out to X": the word before "to" that makes it a person slot.
TO_PERSON = frozenset(
    """guidance feedback appreciation thanks support credit praise recognition kudos out talk
    talked speak spoke explain explained introduce introduced report reports write wrote
    say said listen listened apologise apologize apologised apologized gratitude shoutout
    shout-out""".split()
)
# Nouns for people that precede their name ("team member K", "new starter H").
PERSON_NOUNS = frozenset(
    """member members colleague colleagues starter hire report reports mentee intern
    assistant manager boss peer buddy thanking thanked""".split()
)
# Everyday words that are also given names: never a name when written in lowercase.
EVERYDAY = frozenset(
    """will may mark bill grant rob sue pat don art chase hunter faith hope joy grace rose
    green black white brown young king hill wood stone page price rich guy jack frank ray
    drew gene miles max dean earl lance bob nick sandy summer autumn winter april june
    august sky river storm reed glen dale lane cliff penny ginger honey dawn eve ivy holly
    iris lily jade amber crystal ruby pearl violet hazel heather olive cherry melody
    harmony destiny trinity charity patience prudence liberty justice journey royal major
    marshall mason carter cooper parker tanner taylor baker cook smith sterling noble
    ernest victor august christian jean jay gene sol""".split()
)
# Nouns of a site or a market after a name-like word that make it a place used as a
# modifier ("the Navan depot", "Kerry stock", "Cavan and Monaghan routes").
SITE_NOUNS = frozenset(
    """depot depots warehouse warehouses office offices plant plants site sites hub hubs
    port ports store stores shop shops branch branches market markets region regions route
    routes stock stocks factory factories facility facilities campus town towns area areas
    county counties province provinces district districts customs freight shipment
    shipments cluster clusters corridor corridors venue venues""".split()
)
# Nouns of business after a name-like word: a place's only when the word is in no name
# list or is a town ("the Letterkenny migration"), since a person's name fits before them
# too ("the Mensah handover", "the Smith account").
BUSINESS_NOUNS = frozenset(
    """lease leases launch launches pilot pilots rollout rollouts migration handover deadline
    plan plans figures numbers budget budgets quotes quote invoices invoice account accounts
    stand-up standup tours tour trial trials operation operations expansion distributor
    distributors network sales volumes""".split()
)
# Words before a name-like word that make it a place ("in Killarney", "near Tromsø").
LOCATIVE = frozenset("""in near around outside across via throughout within""".split())
# Words after "the X" that keep X a person ("the Obi family").
KIN_NOUNS = frozenset("""family families household twins brothers sisters""".split())
# Words after a name that show it is a person ("AL contribution", "SJ said").
AFTER_WORDS = frozenset(
    """said says asked asks will would is was has had thinks thought wants wanted needs
    needed agreed disagreed told mentioned suggested did does contribution contributions
    effort efforts achievement achievements work feedback pushed challenged proposed
    raised owns owned joined left explained showed knows knew feels felt kept says
    questioned doubted pointed recorded walked took wrote sent called emailed thinks
    believes does doesn't did didn't would could should can led leads approved signed
    presented reviewed ran""".split()
)
# More verbs a person does, after a capitalised word that no list and no language knows
# ("Kamande bristled"): too weak after a word that is also a name-word ("Amber flagged").
MORE_PERSON_VERBS = frozenset(
    """flagged escalated bristled objected complained insisted argued noted hesitated
    apologised apologized volunteered resigned laughed nodded admitted conceded replied
    answered responded texted messaged phoned chaired facilitated negotiated recommended
    warned promised declined refused accepted offered confirmed stepped interrupted
    reminded""".split()
)
# Past forms of common verbs that follow a person in a relative clause ("the slides minji
# made", "the plan ravi wrote"): with a lowercase given name of no language between a noun
# and one of these, only a person fits.
PAST_VERBS = frozenset(
    """made wrote took gave sent ran led built brought found got kept left lost met paid put
    sold spent told thought won drew bought caught chose did felt fought heard held knew meant
    read saw set showed sat spoke stood taught threw understood wore began""".split()
)
# "Miles per route", "Penny per unit": a name-word before these counts something.
QUANTITY_AFTER = frozenset(["per"])
# The common Vietnamese family names, folded: a name they open has two to four words, and
# its middle and given names follow in any case ("Trần Văn long" in a note in capitals).
VIETNAMESE_FAMILY = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong lam
    mai trinh dao cao luong doan vuong quach lai kieu""".split()
)
# "feedback for X", "covering for X": the word before "for" that makes it a person slot.
FOR_PERSON = frozenset(
    """feedback kudos praise shoutout shout-out credit covering cover thanks appreciation
    gratitude recognition""".split()
)
# Words before "with" that make what follows a person ("coffee with X", "1:1 with x").
MEET_WITH = frozenset(
    """coffee lunch dinner breakfast call calls meeting meetings session sessions chat chats
    sync 1:1 one-to-one conversation conversations discussion debrief check-in met meet
    meets spoke speak talked talk worked work working paired pairing partnered up in along
    together alongside agreed disagreed sat""".split()
)
# The after-words only a person fits ("Florence said"); not the auxiliaries a place or a
# price also takes ("Valencia can host", "Price was the reason").
PERSON_AFTER = AFTER_WORDS - frozenset(
    """is was has had will would can could should does did doesn't didn't needs needed wants
    wanted ran leads""".split()
)
DETERMINERS = frozenset("""the a an our my your their his her its this that these those""".split())
HONORIFICS = frozenset(
    """dr mr mrs ms mx miss prof professor dame sir lady lord madam madame dott herr frau""".split()
)
# Acronyms that are business terms, never initials of a person.
HARD_ACRONYMS = frozenset(
    """HR IT US UK EU UN USA UAE CEO CFO COO CTO CIO CISO CHRO CMO CPO CRO VP SVP EVP KPI
    KPIS OKR OKRS ROI NPS RACI CSAT QA QC AI ML BI UX UI PR IR BD DEI ESG ERP CRM SAP SLA SOP
    RFP RFQ POC MVP WFH OOO EOD COB ASAP FYI TBD FAQ API SQL AWS GCP CPU PC TV EMEA APAC
    LATAM DACH SMB SME YOY QOQ FY FTE PTO PDR PDP IDP TIB SSC SSN KT CPR NHS ADHD ASC SEN
    OK NO YES ALL FOR DUE TO AT IN ON OR SO UP GO DO BE WE HE IF OF AN BY MY ME IS THE AND
    BUT NOT ANY NEW OUR LLC LTD INC PLC GMBH BV AG SA NV CV HQ RD USD EUR GBP INR JPY CNY
    IPO M&A P&L B2B B2C SKU POS OTC VAT GDPR HIPAA SOX ISO CSR LMS LND IVR NGO PHD MBA CPA
    CFA PMP MSC BSC ETA ETD RSVP PS NB CC BCC RE FW ID IDS DM PM AM GM MD EA PA DR ST IBAN
    BIC SWIFT SEPA ACH""".split()
)
# Acronyms that are usually business terms but also initials ("meet with PM", "ask DR").
SOFT_ACRONYMS = frozenset(["PM", "AM", "GM", "MD", "EA", "PA", "DR", "ST", "AS", "SA", "CV", "CC"])
# Two-letter lowercase words that are never initials.
SHORT_WORDS = frozenset(
    """am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ye pm co
    hr id tv pc uk eu ai qa cv pr ui ux ad ex vs mr ms dr st rd nd th kg km mm cm ml la le
    el da de du di al im ur ya yo vp md ea pa gm ft lb oz ie eg""".split()
)


@cache
def places() -> frozenset[str]:
    """Casefolded names of places that stay (cities of 100k+, countries, regions)."""
    lines = (DATA / "places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x for x in lines if x and not x.startswith("#"))


@cache
def english_words(model_dir: str | None) -> frozenset[str]:
    """Ordinary English words: the WordNet index shipped in the spaCy model's lemmatizer, and
    spaCy's stop words. Empty when the model has no lemmatizer tables."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set(STOP_WORDS)
    if model_dir is not None:
        path = Path(model_dir) / "lemmatizer" / "lookups"
        if path.exists():
            from spacy.lookups import Lookups

            lookups = Lookups().from_disk(path)
            index = lookups.get_table("lemma_index")
            words.update(w for pos in index for w in index[pos] if "_" not in w)
            from spacy.strings import hash_string  # type: ignore[attr-defined]  # Cython

            adjectives = index.get(hash_string("adj"), [])
            words.update(f for a in adjectives if "_" not in a for f in compared(a))
            exceptions = lookups.get_table("lemma_exc")  # irregular forms: said, told, took
            words.update(w for pos in exceptions for w in exceptions[pos] if "_" not in w)
    # WordNet lists people and gods as nouns ("faisal", "nasser", "lakshmi", "nilsson"): a
    # name the lists do not mark as also a word is a name here
    # (eval/tools/build_given_names.py).
    names, common = given_names()
    family, family_common = surnames()
    return frozenset(words - (names - common) - (family - family_common))


@cache
def english_non_nouns(model_dir: str | None) -> frozenset[str]:
    """The words of the same index known as a verb, an adjective or an adverb ("joy",
    "price", "mark"): WordNet also lists many people and places, but only as nouns."""
    if model_dir is None:
        return frozenset()
    path = Path(model_dir) / "lemmatizer" / "lookups"
    if not path.exists():
        return frozenset()
    from spacy.lookups import Lookups
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # Cython, no stub

    index = Lookups().from_disk(path).get_table("lemma_index")
    noun = hash_string("noun")
    return frozenset(w for pos in index if pos != noun for w in index[pos] if "_" not in w)


def compared(adjective: str) -> tuple[str, ...]:
    """The regular comparative and superlative of an adjective ("clearer", "happiest",
    "bigger"), which WordNet's index does not list."""
    a = adjective
    if len(a) < 3 or not a.isalpha():
        return ()
    if a.endswith("e"):
        return (a + "r", a + "st")
    if a.endswith("y") and a[-2] not in "aeiou":
        return (a[:-1] + "ier", a[:-1] + "iest")
    if a[-1] not in "aeiouwxy" and a[-2] in "aeiou" and a[-3] not in "aeiou":
        return (a + "er", a + "est", a + a[-1] + "er", a + a[-1] + "est")
    return (a + "er", a + "est")


def is_english_word(word: str, words: frozenset[str]) -> bool:
    """True when word, or its stem without a plural or verb ending, is an English word."""
    w = word.casefold()
    if w in words:
        return True
    for suffix, repl in (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
        ("'s", ""),
        ("’s", ""),
    ):
        if w.endswith(suffix) and len(w) > len(suffix) + 2 and w[: -len(suffix)] + repl in words:
            return True
    return False


def _marked(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every name, those marked '*' as also English words) of a list file in ingest/data."""
    names: set[str] = set()
    common: set[str] = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        value, _, mark = line.partition("\t")
        names.add(value)
        if mark == "*":
            common.add(value)
    return frozenset(names), frozenset(common)


@cache
def given_names() -> tuple[frozenset[str], frozenset[str]]:
    """(all given names, those that are also English words), casefolded."""
    return _marked("given_names.txt")


def shouting(text: str) -> bool:
    """True when most letters are capitals (an all-caps note): acronyms are not initials there."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


# Letters with a stroke or of their own that NFD does not take apart: "Đặng" is "dang",
# "Søren" "soren", "Łukasz" "lukasz", Turkish dotless "ı" an "i".
_UNSTROKED = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ħ": "h"})


def fold(word: str) -> str:
    """Casefolded and without accents: "São Paulo" and "Sao Paulo" compare equal, and so do
    "Đà Nẵng" and "Da Nang"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.casefold().translate(_UNSTROKED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def folded_places() -> frozenset[str]:
    """``places()`` folded by ``fold``, so a place written without its accents still stays."""
    return frozenset(fold(p) for p in places())


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(family and middle names of many origins, those that are also English words),
    casefolded, from ``surnames.txt`` (Faker's lists; see eval/tools/build_given_names.py)."""
    return _marked("surnames.txt")


@cache
def hanzi_surnames() -> frozenset[str]:
    """Chinese family names in Han characters (``hanzi_surnames.txt``)."""
    lines = (DATA / "hanzi_surnames.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x for x in lines if x and not x.startswith("#"))
