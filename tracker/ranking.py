"""Suggestions: which open questions a cable's paragraphs may answer, each scored and explained. Pure: no Django.

A `Ranker` is fitted once on the open questions and ranks any number of paragraphs against them. The score
is the cosine similarity of TF-IDF vectors, weighed as scikit-learn's `TfidfVectorizer` weighs them (smoothed
IDF, sublinear term frequency; counted here, so that a background corpus is counted once for every ranker),
over words and pairs of neighbouring words, English stop words and the words every cable and tasking uses
left out (`CABLE_WORDS`). Why this:

- it runs in Python on sparse matrices, so it works the same on SQLite and PostgreSQL; PostgreSQL's full
  text search would tie suggestions to one database, and its `ts_rank` scores one query against one
  document where we need every paragraph against every question;
- ranking is one product of two sparse matrices per batch of paragraphs (the part of the terms most paragraphs
  and questions of a batch share as a dense product, which BLAS does many times faster): thousands of
  paragraphs a second against 2,000 questions on one core, so a bulk import can suggest as it goes;
- the weights are a standard, explainable measure (a word few questions use counts more), where a
  hand-written score would need its own tuning and its own tests of every corner.

The vocabulary and IDF weights are learnt from the questions (and an optional background corpus, such as
stored paragraphs), never from the paragraphs being ranked, so a paragraph scores the same in any batch.
A paragraph's words outside that vocabulary still count in its length, as the rarest words would: a long
paragraph that mentions Iran once does not look like a paragraph about Iran. On the labelled pairs in
tests/tracker/labelled both choices ranked better than the alternatives (fitting on the paragraphs being
ranked too; ignoring words outside the vocabulary), and a background corpus helps further.

Text is normalised first, so the upper-case cable, its flattened lower-case form and the viewer pages
compare alike: accents and punctuation dropped, possessives ("IRAN'S", "IRAN,S") cut, a nationality read as
its country ("Iranian" -> "iran"), variant spellings folded ("Hezbollah" -> "hizballah"), a few
abbreviations written out ("UNSCR" -> "security council resolution"), and plurals cut by a light stemmer of
our own ("sanctions" -> "sanction", "countries" -> "country"): predictable by eye. Cutting "-ed" and "-ing"
as well ranked worse.

Each match carries its evidence: the shared terms that weigh most, as the paragraph writes them, and the
places, organisations and people both texts name, from small built-in lists (places reuse the table of
posts in `tracker.posts`), plus all-caps acronyms and names after titles ("Ambassador Eitam") that both
texts use. Evidence is worked out only for the matches kept.
"""
from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from threadpoolctl import ThreadpoolController

from tracker.posts import POSTS

# The lowest score worth an analyst's look. Measured on tests/tracker/labelled/pairs.json against the 82
# questions of the six sample taskings: labelled answers score 0.05 at the median and two in three reach
# 0.04 (three in five with a background corpus), while 63% of the paragraphs of the 285 sample pages get a
# suggestion at this level (27% with a background corpus). Scores are low in absolute terms: a paragraph's
# words outside the questions' vocabulary count in its length.
MIN_SCORE = 0.04
BATCH = 2000  # paragraphs per matrix product: bounds its memory
DENSE_SHARE = 0.02  # a term in this share of the paragraph x question pairs of a batch is scored densely
DENSE_CELLS = 2_000_000  # paragraphs x questions in one dense matrix of scores (16 MB)
PAIR_SHIFT = 32  # a pair of neighbouring terms (numbered below 2**31) is one integer: (first + 1) << 32 | second
EVIDENCE_TERMS = 5

# ----------------------------------------------------------------------------- words

# Words every cable or tasking uses, which say nothing about the subject: how cables are written
# ("post", "reftel", "told"), who writes them ("embassy", "poloff") and how taskings ask ("plans and
# intentions", "details", "information on"). Added to scikit-learn's English stop words.
CABLE_WORDS = """
post posts embassy embassies consulate mission washington department dept state s usg mfa
cable cables telegram message ref refs reftel reftels septel para paras paragraph paragraphs
reporting reported reports information info please request requested question questions answer
collection need needs requirement requirements comment comments note end summary sbu noforn sipdis
classified reason reasons decl subject tags government governments official officials
said says told tell noted added stated asked according explained emphasized mr ms dr
ambassador poloff polchief econoff emboff emboffs pol datt dcm charge
plan plans intention intentions view views detail details indication indications extent status
including include particularly especially specifically regarding related key like given known
current currently issue issues level way ways sort kind kinds does did country countries
""".split()

# Nationalities, spellings and abbreviations read as one form, so "Iranian" matches "Iran", "Hezbollah"
# matches "Hizballah" and "UNSCR" matches "Security Council resolution".
VARIANTS = dict(pair.split(":") for pair in """
iranian:iran iraqi:iraq syrian:syria lebanese:lebanon israeli:israel palestinian:palestine
egyptian:egypt libyan:libya turkish:turkey afghan:afghanistan pakistani:pakistan
indian:india chinese:china japanese:japan korean:korea russian:russia soviet:russia ukrainian:ukraine
georgian:georgia german:germany french:france british:britain spanish:spain italian:italy dutch:netherlands
swiss:switzerland swedish:sweden norwegian:norway icelandic:iceland polish:poland greek:greece
cuban:cuba venezuelan:venezuela bolivian:bolivia colombian:colombia ecuadorian:ecuador peruvian:peru
chilean:chile argentine:argentina argentinian:argentina brazilian:brazil paraguayan:paraguay
uruguayan:uruguay mexican:mexico nicaraguan:nicaragua honduran:honduras guatemalan:guatemala
salvadoran:salvador panamanian:panama haitian:haiti canadian:canada american:america african:africa
european:europe asian:asia
hezbollah:hizballah hizbollah:hizballah hizbullah:hizballah quds:qods qaeda:qaida mercosul:mercosur
ahmedinejad:ahmadinejad ahmadinezhad:ahmadinejad gaddafi:qadhafi qadafi:qadhafi
""".split()) | {"unsc": "security council", "unscr": "security council resolution",
                "unscrs": "security council resolution", "unga": "general assembly"}

# A byte of ASCII text as what words() reads: a capital as its small letter, a letter or digit as itself,
# anything else as a space that splits words.
_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))


def words(text: str) -> list[str]:
    """The lower-case words of a text, accents dropped: one list for the cable, flattened and page forms of
    it. A possessive leaves an "s" ("IRAN'S", "IRAN,S"), which weighs nothing as a single letter.

    The runs of [a-z0-9] in the lower-cased text, found by one byte translation and a split: two and a half
    times as fast as a regular expression's findall, and ranking reads every word of every paragraph."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.encode().translate(_WORD_BYTES).decode().split()


def canonical(word: str) -> str:
    """A lower-case word as it is compared: a nationality as its country, its plural too ("cubans" ->
    "cuba"), a variant spelling folded, an abbreviation written out ("unscr" -> "security council
    resolution")."""
    if word not in VARIANTS and word.endswith("s") and word[:-1] in VARIANTS:
        word = word[:-1]
    return VARIANTS.get(word, word)


def stem(word: str) -> str:
    """Cut a plural: "countries" -> "country", "businesses" -> "business", "sanctions" -> "sanction";
    "mois", "status", "congress" are left alone. Nothing else."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _weighable(word: str) -> tuple[str, ...]:
    """The terms a word gives, stop words still in. Single letters and short numbers weigh nothing; years
    and resolution numbers ("1803") may."""
    if len(word) < 2 or (word.isdigit() and len(word) < 3):
        return ()
    return tuple(stem(part) for part in canonical(word).split())


WRITTEN_OUT = frozenset(v for v in VARIANTS.values() if " " in v)
STOP_WORDS = frozenset(t for w in (*ENGLISH_STOP_WORDS, *CABLE_WORDS) for t in _weighable(w))


class _PerWord(dict):
    """word -> what `make` gives for it, worked out once: cables use a vocabulary of some ten thousand words."""

    def __init__(self, make: Callable[[str], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, word: str) -> Any:
        if len(self) > 500_000:  # a flood of garbled words must not grow it without end
            self.clear()
        value = self[word] = self.make(word)
        return value


TERMS = _PerWord(lambda w: tuple(t for t in _weighable(w) if t not in STOP_WORDS))
NAME_TERMS = _PerWord(lambda name: tuple(t for w in words(name) for t in TERMS[w]))  # "UN Security Council"
CANONICAL = _PerWord(canonical)


def _features(text_words: list[str]) -> list[str]:
    unigrams = list(chain.from_iterable(map(TERMS.__getitem__, text_words)))
    return unigrams + list(map(" ".join, zip(unigrams, unigrams[1:], strict=False)))


def features(text: str) -> list[str]:
    """What TF-IDF counts in a text: its terms, stop words left out, and each pair of neighbouring terms
    ("iran", "outreach", "latin", "iran outreach", "outreach latin", ...)."""
    return _features(words(text))


# ----------------------------------------------------------------------------- names


def _title(name: str) -> str:
    small = {"of", "and", "the", "de", "del", "do", "da", "es", "au"}
    return " ".join(w if i and w in small else w.capitalize() for i, w in enumerate(name.lower().split()))


# Places that are not in the table of posts, with the ways they are written.
REGIONS = {
    "Latin America": ["latin america", "latin american"],
    "South America": ["south america", "south american"],
    "Central America": ["central america", "central american"],
    "Caribbean": ["caribbean"],
    "Middle East": ["middle east", "middle eastern", "near east"],
    "Persian Gulf": ["persian gulf", "gulf states"],
    "Tri-Border Area": ["tri border area", "tri border", "triple frontier", "tba"],
    "Ciudad del Este": ["ciudad del este"],
    "Foz do Iguacu": ["foz do iguacu", "foz de iguacu", "foz"],
    "Gaza": ["gaza", "gaza strip"],
    "West Bank": ["west bank"],
    "Western Hemisphere": ["western hemisphere"],
    "Europe": ["europe"],
    "Africa": ["africa"],
    "Asia": ["asia"],
    "Qom": ["qom"],
    "United States": ["united states"],
}
ORGANISATIONS = {
    "Hizballah": ["hizballah"],
    "Hamas": ["hamas"],
    "IRGC": ["irgc", "revolutionary guard", "revolutionary guards", "islamic revolutionary guard corps"],
    "Qods Force": ["qods force", "irgc qods force"],
    "MOIS": ["mois", "ministry of intelligence and security"],
    "al-Qaida": ["al qaida", "qaida", "aqim", "aqap"],
    "Taliban": ["taliban"],
    "FARC": ["farc", "revolutionary armed forces of colombia"],
    "ELN": ["eln", "national liberation army"],
    "UN": ["un", "united nations"],
    "UN Security Council": ["unsc", "un security council", "security council"],
    "UN General Assembly": ["unga", "un general assembly", "general assembly"],
    "UN Human Rights Council": ["unhrc", "human rights council"],
    "IAEA": ["iaea", "international atomic energy agency", "international atomic energy association"],
    "OPEC": ["opec"],
    "ALBA": ["alba", "bolivarian alternative for the americas", "bolivarian alliance"],
    "EU": ["eu", "european union"],
    "NATO": ["nato"],
    "AU": ["au", "african union"],
    "OAS": ["oas", "organization of american states"],
    "MERCOSUR": ["mercosur"],
    "UNASUR": ["unasur"],
    "OIC": ["oic", "organization of the islamic conference"],
    "Arab League": ["arab league"],
    "GRULAC": ["grulac"],
    "Rio Group": ["rio group"],
    "G-77": ["g 77", "group of 77"],
    "NAM": ["nam", "non aligned movement"],
    "Quartet": ["quartet"],
    "ICC": ["icc", "international criminal court"],
    "UNESCO": ["unesco"],
    "WTO": ["wto", "world trade organization"],
    "IMF": ["imf", "international monetary fund"],
    "DEA": ["dea"],
    "PDVSA": ["pdvsa"],
}
# Well-known people of this domain, by surname; first names where cables use them alone.
PEOPLE = {
    "Ahmadinejad": ["ahmadinejad", "ahmadi nejad"],
    "Khamenei": ["khamenei", "supreme leader"],
    "Chavez": ["chavez"],
    "Morales": ["morales"],
    "Correa": ["correa"],
    "Ortega": ["ortega"],
    "Raul Castro": ["raul castro", "raul"],
    "Fidel Castro": ["fidel castro", "fidel"],
    "Lula": ["lula"],
    "Putin": ["putin"],
    "Medvedev": ["medvedev"],
    "Lavrov": ["lavrov"],
    "Lugo": ["lugo"],
    "Uribe": ["uribe"],
    "Calderon": ["calderon"],
    "Kirchner": ["kirchner"],
    "Bachelet": ["bachelet"],
    "Arias": ["oscar arias"],
    "Qadhafi": ["qadhafi"],
    "Nasrallah": ["nasrallah"],
    "Assad": ["assad"],
    "Ban Ki-moon": ["ban ki moon"],
    "Qalibaf": ["qalibaf"],
    "Obama": ["obama"],
}


def _name_table() -> dict[str, tuple[str, str]]:
    """Every way of writing a place, organisation or person, in canonical words -> (kind, name shown)."""
    table: dict[str, tuple[str, str]] = {}

    def add(kind: str, name: str, aliases: Iterable[str]) -> None:
        for alias in aliases:
            key = " ".join(canonical(w) for w in words(alias))
            if key:
                table.setdefault(key, (kind, name))

    for kind, names in (("organisations", ORGANISATIONS), ("people", PEOPLE), ("places", REGIONS)):
        for name, aliases in names.items():
            add(kind, name, aliases)
    for country in POSTS.values():
        add("places", _title(country.name), [country.name])
        for city in country.cities:
            if f"THE {city}" not in country.cities:  # "HAGUE" beside "THE HAGUE"
                add("places", _title(city), [city])
    return table


NAMES = _name_table()
NAMES_BY_KIND = [{alias: name for alias, (kind, name) in NAMES.items() if kind == wanted}  # as _Names holds them
                 for wanted in ("places", "organisations", "people")]
# Names of several words by their first word, looked for only in a text that has that word.
LONG_NAMES: dict[str, list[str]] = {}
for _alias in NAMES:
    if " " in _alias:
        LONG_NAMES.setdefault(_alias.split()[0], []).append(_alias)
LONG_NAME_WORDS = {alias: frozenset(alias.split()) for aliases in LONG_NAMES.values() for alias in aliases}
# The keys as sets: a set & a dict's keys copies every key first, a set & a set looks up the smaller one's.
NAME_KEYS, LONG_NAME_FIRSTS = frozenset(NAMES), frozenset(LONG_NAMES)
# The words canonical() changes (the variants and their plurals): any other word is its own canonical form.
CHANGED_BY_CANONICAL = frozenset(word for variant in VARIANTS for word in (variant, variant + "s")
                                 if canonical(word) != word)

TITLES = ("President|Prime Minister|Minister|FM|FonMin|Ambassador|Amb|Supreme Leader|Secretary|Senator|Director|"
          "Cardinal|King|Prince|Sheikh|Mayor|Governor|Chairman|Attache|Chief|Counselor|Advisor|Adviser").split("|")
TITLE_RE = re.compile(
    rf"\b(?=[A-Z])(?:{'|'.join(TITLES)})"
    r"\.?((?:\s+[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?){1,3})\b(?!')")  # not "President Lula's": a possessive
TITLE_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Z][A-Za-z]+", TITLE_RE.pattern))
# Where the first title may be: TITLE_RE, which the regex engine cannot skip to, is tried from there on.
TITLE_START_RE = re.compile("|".join(TITLES))
# Capitalised words after a title that are not names: "Secretary General", "Minister of State".
NOT_NAMES = frozenset("""
general state council assembly office ministry department house affairs foreign defense defence interior
justice finance trade economy deputy vice president minister ambassador director secretary senior special
""".split())
# \b[A-Z]{3,6}\b, written to start with a capital, which the regex engine skips to fast; then the boundary.
ACRONYM_RE = re.compile(r"[A-Z](?<=\b[A-Z])[A-Z]{2,5}\b")
CAPITALS_BESIDE_RE = re.compile(r"[A-Z]{2}\W{0,2}$|^\W{0,2}[A-Z]{2}")  # a word in a heading in capitals
NOT_ACRONYMS = frozenset("""
USD SBU END NOTE COMMENT SUMMARY REF REFS REFTEL SEPTEL SIPDIS NOFORN TAGS SUBJECT DECL PARA USG MFA
AND THE FOR NOT BUT ARE WAS HAS ITS YES NEW
""".split())
CAPITALS, SMALL_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class _Names:
    """What one text names, and its words, to tell which names another text shares."""

    places: frozenset[str]
    organisations: frozenset[str]
    people: frozenset[str]
    acronyms: dict[str, str]  # as written -> canonical word: "MERCOSUR" -> "mercosur"
    titled: dict[str, str]  # names after titles, as written -> canonical word: "Eitam" -> "eitam"
    words: frozenset[str]  # canonical words


def _names(text: str, text_words: list[str] | None = None) -> _Names:
    """The names in a text; a name inside a longer one found ("UN" in "UN Security Council") is not counted
    again. Acronyms and names after titles are read only where case tells them from other words: in text
    with fewer capitals than small letters."""
    text_words = words(text) if text_words is None else text_words
    vocabulary = set(text_words)
    if changed := vocabulary & CHANGED_BY_CANONICAL:  # most words are their own canonical form
        vocabulary = (vocabulary - changed) | set(map(CANONICAL.__getitem__, changed))
    if vocabulary & WRITTEN_OUT:  # "unsc" -> "security council": its words too
        vocabulary |= {w for phrase in vocabulary & WRITTEN_OUT for w in phrase.split()}
    vocabulary = frozenset(vocabulary)
    long = []
    if candidates := [a for w in vocabulary & LONG_NAME_FIRSTS for a in LONG_NAMES[w]
                      if vocabulary.issuperset(LONG_NAME_WORDS[a])]:
        padded = f" {' '.join(map(CANONICAL.__getitem__, text_words))} "  # the text as words, to find them in
        long = [a for a in candidates if f" {a} " in padded]
        long = [a for a in long if not any(a != b and f" {a} " in f" {b} " for b in long)]
    inside = {w for a in long for w in a.split()}
    aliases = {*long, *(vocabulary & NAME_KEYS) - inside}  # then the names of one word
    places, organisations, people = (frozenset(table[a] for a in aliases if a in table) for table in NAMES_BY_KIND)
    acronyms, titled = {}, {}
    raw = text.encode("ascii", "ignore")
    capitals = len(raw) - len(raw.translate(None, CAPITALS))
    if capitals < len(raw) - len(raw.translate(None, SMALL_LETTERS)):
        for match in ACRONYM_RE.finditer(text):
            acronym, key = match.group(0), CANONICAL[match.group(0).lower()]
            if acronym not in NOT_ACRONYMS and key not in NAMES and not (  # "FARC", "UNSC": known names
                    CAPITALS_BESIDE_RE.search(text[max(match.start() - 4, 0):match.start()])
                    or CAPITALS_BESIDE_RE.search(text[match.end():match.end() + 4])):
                acronyms[acronym] = key
        first_title = TITLE_START_RE.search(text) if vocabulary & TITLE_WORDS else None
        for match in TITLE_RE.finditer(text, first_title.start()) if first_title else ():
            name = [w for w in match.group(1).split() if w.lower() not in NOT_NAMES]
            if name and len(name[-1]) > 2:
                key = CANONICAL[words(name[-1])[-1]]
                if key not in STOP_WORDS and key not in NAMES:  # "President Chavez": a known person
                    titled[name[-1]] = key
    return _Names(places, organisations, people, acronyms, titled, vocabulary)


# ----------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class Evidence:
    terms: tuple[str, ...]  # shared terms that weigh most, best first, as the paragraph writes them (lowercase)
    places: tuple[str, ...]  # shared places: "Venezuela", "Tehran"
    organisations: tuple[str, ...]  # shared organisations: "Hizballah", "IRGC", "UN Security Council"
    people: tuple[str, ...]  # shared people: "Ahmadinejad", "Chavez", "Raul Castro"

    def as_dict(self) -> dict:
        return {"terms": list(self.terms), "places": list(self.places),
                "organisations": list(self.organisations), "people": list(self.people)}


@dataclass(frozen=True)
class Match:
    question: int  # the question's id, as given
    paragraph: int  # the paragraph's id, as given
    score: float  # 0..1, higher is better
    evidence: Evidence


def _key(term_ids: dict[str, int], terms: list[str]) -> int:
    """A feature as one integer: a term's number, or a pair's two numbers side by side."""
    ids = [term_ids.setdefault(term, len(term_ids)) for term in terms]
    return ids[0] if len(ids) == 1 else (ids[0] + 1) << PAIR_SHIFT | ids[1]


def _unit_rows(texts_features: list[list[str]], column: dict[str, int], idf: np.ndarray,
               width: int) -> sparse.csr_matrix:
    """TF-IDF rows of unit length, as TfidfVectorizer(sublinear_tf=True) makes them."""
    indptr, cols, counts = [0], [], []
    for text_features in texts_features:
        counted = Counter(text_features)
        cols.extend(column[f] for f in counted)
        counts.extend(counted.values())
        indptr.append(len(cols))
    cols_array = np.asarray(cols, dtype=np.int64)
    values = (np.log(np.asarray(counts, dtype=np.float32)) + np.float32(1)) * idf[cols_array]
    rows = np.repeat(np.arange(len(texts_features)), np.diff(indptr))
    lengths = np.sqrt(np.bincount(rows, weights=values.astype(np.float64) ** 2, minlength=len(texts_features)))
    values = (values / np.where(lengths > 0, lengths, 1)[rows]).astype(np.float32)
    matrix = sparse.csr_matrix((values, cols_array, np.asarray(indptr)), shape=(len(texts_features), width))
    matrix.sort_indices()
    return matrix


class Background:
    """What rankers learn from a background corpus, counted once for any number of them: each feature's
    number of texts, and the features' term numbers and keys."""

    def __init__(self, texts: Sequence[str]):
        counted: Counter = Counter()
        for text in texts:
            counted.update(set(features(text)))
        self.documents = len(texts)
        self.names = sorted(counted)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.df = np.fromiter((counted[name] for name in self.names), dtype=np.float32, count=len(self.names))
        parts = [name.split() for name in self.names]
        self.term_ids: dict[str, int] = {}
        for feature in parts:
            if len(feature) == 1:
                self.term_ids[feature[0]] = len(self.term_ids)
        # every part of a pair is a term of the same text, numbered above: no number is added here
        self.keys = np.fromiter((_key(self.term_ids, part) for part in parts), dtype=np.int64, count=len(parts))


class Ranker:
    """Fitted once on the open questions; ranks any number of paragraphs against them."""

    def __init__(self, questions: Sequence[tuple[int, str]], *, background: Sequence[str] | Background = ()):
        """`background`: more texts to learn the vocabulary and the IDF weights from, such as stored
        paragraphs; the questions alone do, less well. Pass a `Background` to reuse its counting."""
        self._ids = [qid for qid, _ in questions]
        self._texts = [text for _, text in questions]
        self._question_names: dict[int, _Names] = {}
        known = background if isinstance(background, Background) else Background(background)
        question_features = [features(text) for text in self._texts]
        new = sorted({f for fs in question_features for f in fs}.difference(known.index))
        if not known.names and not new:  # no questions, or none with a word that weighs
            self._ids = []
            return
        # The vocabulary: the background's features, then the questions' own; counted as TfidfVectorizer
        # counts (smoothed IDF, sublinear term frequency, rows of unit length), in single precision.
        names = known.names + new
        column = dict(known.index)
        column.update((name, len(known.names) + i) for i, name in enumerate(new))
        df = np.concatenate([known.df, np.zeros(len(new), dtype=np.float32)])
        np.add.at(df, [column[f] for fs in question_features for f in set(fs)], 1)
        idf = (np.log(np.float32(known.documents + len(self._texts) + 1) / (df + 1)) + 1).astype(np.float32)
        self._rarest = float(idf.max())  # the weight of a term no question (nor background text) has
        every_question = _unit_rows(question_features, column, idf, len(names))
        # Only the columns some question has can score; the others (the background's) count in lengths only.
        used = np.unique(every_question.indices)
        self._questions = every_question[:, used].tocsr()
        self._questions.sort_indices()
        self._questions_t = self._questions.T.tocsr().astype(np.float64)  # scores are summed in double precision
        self._in_questions = np.diff(self._questions_t.indptr)  # how many questions have each term
        self._term_words = [tuple(names[col].split()) for col in used.tolist()]
        # Paragraphs are counted in integers: each term a number (the vocabulary's first), each pair of
        # neighbouring terms one number made of both; `_keys` are the vocabulary's, sorted, to look up.
        self._term_ids = dict(known.term_ids)
        new_parts = [name.split() for name in new]
        for feature in new_parts:
            if len(feature) == 1:
                self._term_ids[feature[0]] = len(self._term_ids)
        self._known_terms = len(self._term_ids)
        keys = np.concatenate([known.keys, np.fromiter((_key(self._term_ids, part) for part in new_parts),
                                                       dtype=np.int64, count=len(new_parts))])
        order = np.argsort(keys)
        question_cols = np.full(len(names), -1, dtype=np.int64)
        question_cols[used] = np.arange(len(used))
        self._keys, self._key_idf, self._key_question_col = keys[order], idf[order], question_cols[order]
        self._word_terms = _PerWord(self._terms_of)

    def _terms_of(self, word: str) -> tuple[int, ...]:
        """A word's terms as numbers; a term outside the vocabulary gets a number of its own."""
        return tuple(self._term_ids.setdefault(term, len(self._term_ids)) for term in TERMS[word])

    def rank(self, paragraphs: Sequence[tuple[int, str]], per_paragraph: int = 3,
             min_score: float = MIN_SCORE) -> list[Match]:
        """For each paragraph, its best `per_paragraph` questions scoring at least min_score; best first overall.
        A question that shares no term with a paragraph is never its match, whatever min_score."""
        if not self._ids or per_paragraph < 1:
            return []
        with no_cycle_collection():
            return self._rank(paragraphs, per_paragraph, min_score)

    def _rank(self, paragraphs: Sequence[tuple[int, str]], per_paragraph: int, min_score: float) -> list[Match]:
        found = []  # (-score, paragraph's place, question's place, match), to sort
        for start in range(0, len(paragraphs), BATCH):
            batch = paragraphs[start:start + BATCH]
            batch_words = [words(text) for _, text in batch]
            vectors = self._vectors(batch_words)
            rows, cols, scores = self._best(vectors, per_paragraph, max(min_score, 1e-9))
            # Each kept match's shared terms, by the product of their weights (largest first), in one go.
            shared = vectors[rows].multiply(self._questions[cols]).tocsr()
            shared.sort_indices()
            match_of = np.repeat(np.arange(len(rows)), np.diff(shared.indptr))
            by_weight = shared.indices[np.lexsort((-shared.data, match_of))].tolist()
            spans = shared.indptr.tolist()
            previous = names = spellings = None
            for i, (row, col, score) in enumerate(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)):
                if row != previous:  # evidence is worked out once per paragraph, for kept matches only
                    previous, names = row, _names(batch[row][1], batch_words[row])
                    spellings = _spellings(batch_words[row])
                score = min(score, 1.0)  # 1.0000001 from rounding errors
                evidence = self._evidence(names, col, by_weight[spans[i]:spans[i + 1]], spellings)
                found.append((-score, start + row, col, Match(self._ids[col], batch[row][0], score, evidence)))
        found.sort(key=lambda f: f[:3])
        return [match for *_, match in found]

    def _best(self, vectors: sparse.csr_matrix, k: int, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, columns and scores of each paragraph's k best questions that reach the floor, by row then best
        first (the first question on a tie).

        Scores are the product of the paragraphs' and the questions' vectors. A term that many paragraphs and
        many questions share (the common words of a batch of cables) makes that product nearly dense, and a
        sparse product pays for every one of its pairs: the part of such terms is a dense product (BLAS, one
        thread), the part of the others a sparse one, added together. Which terms those are depends on the
        batch, so the sums are made in double precision and rounded to single: a paragraph scores the same in
        any batch."""
        paragraphs, questions = vectors.shape[0], self._questions.shape[0]
        vectors = vectors.astype(np.float64)
        in_paragraphs = np.bincount(vectors.indices, minlength=vectors.shape[1])
        common = np.flatnonzero(in_paragraphs * self._in_questions >= DENSE_SHARE * paragraphs * questions)
        if not len(common):
            scores = (vectors @ self._questions_t).tocsr()
            return _best_per_row(scores.astype(np.float32), k, floor)
        is_common = np.zeros(vectors.shape[1], dtype=bool)
        is_common[common] = True
        rare = vectors.copy()
        rare.data[is_common[rare.indices]] = 0
        rare.eliminate_zeros()
        found = []
        common_paragraphs, common_questions = vectors[:, common], self._questions_t[common].toarray()
        step = max(DENSE_CELLS // questions, 1)  # paragraphs at a time: bounds the dense matrix's memory
        for start in range(0, paragraphs, step):
            block = slice(start, start + step)
            with _blas().limit(limits=1, user_api="blas"):  # a Celery worker per core: no threads of its own
                scores = common_paragraphs[block].toarray() @ common_questions
            scores += (rare[block] @ self._questions_t).toarray()  # twice as fast as adding at its indices
            scores = scores.astype(np.float32)
            rows, cols = np.nonzero(scores >= floor)  # by row, then by column
            found.append((rows + start, cols, scores[rows, cols]))
        return _best_of(*map(np.concatenate, zip(*found, strict=True)), k)

    def _vectors(self, batch_words: list[list[str]]) -> sparse.csr_matrix:
        """TF-IDF rows of paragraphs over the questions' terms, each of unit length counting its other terms
        too: those of the background at their weight, those outside the vocabulary at the weight of the
        rarest term. What `TfidfVectorizer.transform` would give, in a few array operations per batch."""
        if len(self._term_ids) > self._known_terms + 500_000:  # a flood of unknown words: forget them
            self._term_ids = dict(islice(self._term_ids.items(), self._known_terms))
            self._word_terms.clear()
        # The batch's words as one run, no list per paragraph: each word's terms, then whose paragraph each is.
        every_word = list(chain.from_iterable(batch_words))
        word_terms = list(map(self._word_terms.__getitem__, every_word))
        per_word = np.fromiter(map(len, word_terms), dtype=np.int64, count=len(word_terms))
        terms = np.fromiter(chain.from_iterable(word_terms), dtype=np.int64, count=int(per_word.sum()))
        word_rows = np.repeat(np.arange(len(batch_words)), np.fromiter(map(len, batch_words), dtype=np.int64,
                                                                        count=len(batch_words)))
        rows = np.repeat(word_rows, per_word)
        same = rows[:-1] == rows[1:]  # neighbours in one paragraph make a pair
        keys = np.concatenate([terms, (terms[:-1][same] + 1) << PAIR_SHIFT | terms[1:][same]])
        rows = np.concatenate([rows, rows[:-1][same]])
        # Each feature of each paragraph once, with its count: the features numbered in order, one sort of both.
        features, feature = np.unique(keys, return_inverse=True)
        row_features, counts = np.unique(rows * len(features) + feature, return_counts=True)
        rows, feature = np.divmod(row_features, len(features))
        place = np.minimum(np.searchsorted(self._keys, features), len(self._keys) - 1)
        known = self._keys[place] == features
        weights = (1.0 + np.log(counts)) * np.where(known, self._key_idf[place], self._rarest)[feature]
        lengths = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(batch_words)))
        cols = np.where(known, self._key_question_col[place], -1)[feature]
        kept = cols >= 0
        values = weights[kept] / lengths[rows[kept]]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[kept], minlength=len(batch_words)))])
        return sparse.csr_matrix((values.astype(np.float32), cols[kept], indptr),
                                 shape=(len(batch_words), len(self._term_words)))

    def _evidence(self, names: _Names, col: int, terms: list[int], spellings: dict[str, str]) -> Evidence:
        """What a paragraph (its names) and question `col` share; `terms` are the columns of their shared
        terms, by the product of their weights, largest first."""
        question = self._question_names.get(col)
        if question is None:
            question = self._question_names[col] = _names(self._texts[col])
        places = sorted(names.places & question.places)
        organisations = sorted(names.organisations & question.organisations)
        people = sorted(names.people & question.people)
        if names.acronyms or question.acronyms or names.titled or question.titled:  # few texts have them
            both = names.words & question.words
            organisations += sorted({a for a, key in (*names.acronyms.items(), *question.acronyms.items())
                                     if key in both})
            surnames = {w for p in people for w in words(p)}
            people += sorted({n for n, key in (*names.titled.items(), *question.titled.items())
                              if key in both and key not in surnames})
        named = {t for name in (*places, *organisations, *people) for t in NAME_TERMS[name]}
        return Evidence(self._top_terms(terms, named, spellings), tuple(places), tuple(organisations),
                        tuple(people))

    def _top_terms(self, terms: list[int], named: set[str], spellings: dict[str, str]) -> tuple[str, ...]:
        """The shared terms with the largest products of weights, as the paragraph writes them; a term shown
        as a name, or whose words better terms show, is left out."""
        shown: dict[tuple[str, ...], str] = {}  # term's words -> as written
        covered = set(named)
        term_words, spelling = self._term_words, spellings.get
        for col in terms:
            parts = term_words[col]  # a term, or a pair of them
            if covered.issuperset(parts):
                continue
            if len(parts) == 2:  # "long range" replaces "long"
                first, second = parts
                shown.pop((first,), None)
                shown.pop((second,), None)
                first, second = spelling(first, first), spelling(second, second)
                shown[parts] = first if first == second else f"{first} {second}"  # "unscr" once, for two terms
            else:
                shown[parts] = spelling(parts[0], parts[0])
            covered.update(parts)
            if len(shown) == EVIDENCE_TERMS:
                break
        return tuple(shown.values())


def _spellings(text_words: list[str]) -> dict[str, str]:
    """How a paragraph first writes each term, lowercase: "sanction" -> "sanctions", "iran" -> "iranian"."""
    return {term: word for word in reversed(text_words) for term in TERMS[word]}  # the first one wins


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector held off while a batch is ranked. A batch makes hundreds of thousands of
    small objects (word lists, sets of names, matches) and no reference cycles: refcounting frees them all.
    But their number sets the collector off hundreds of times a batch, and now and then it walks every
    object of the process (a worker's Django, the word caches): 14% of a batch's time in one process,
    more in a bigger one. It runs again, as usual, after the batch. Callers that make a batch's objects
    around a ranking (reading the paragraphs, storing the matches) hold it off for the whole batch."""
    if not gc.isenabled():  # held off already (another ranking in this process): leave it to that one
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries loaded, to limit their threads: looked up once."""
    return ThreadpoolController()


def _best_per_row(scores: sparse.csr_matrix, k: int, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns and values of the k best scores of each row that reach the floor, by row then best
    first (the first column on a tie)."""
    scores.sort_indices()
    reach = np.flatnonzero(scores.data >= floor)
    rows = np.searchsorted(scores.indptr, reach, side="right") - 1
    return _best_of(rows, scores.indices[reach], scores.data[reach], k)


def _best_of(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray,
                                                                                     np.ndarray]:
    """The k best values of each row, by row then best first (the first column on a tie), of positive values
    given by row and then by column."""
    # Positive floats order as their bits do: one key of row and value, sorted stably (columns stay in order).
    bits = values.astype(np.float32).view(np.int32).astype(np.int64)
    order = np.argsort(rows.astype(np.int64) << 32 | (np.iinfo(np.int32).max - bits), kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    keep = np.arange(len(rows)) - np.searchsorted(rows, rows) < k  # place in its row
    return rows[keep], cols[keep], values[keep]
