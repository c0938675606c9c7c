"""The classification vocabulary: canonical cable classifications and paragraph markings.

One place knows how the many spellings of a classification ("S E C R E T", "secretnoforn", "UNCLAS",
"(S/NF)", "snf") map to one canonical form, and how levels order.
"""
import re

UNCLASSIFIED = "UNCLASSIFIED"
UNCLASSIFIED_FOUO = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
CONFIDENTIAL = "CONFIDENTIAL"
CONFIDENTIAL_NOFORN = "CONFIDENTIAL//NOFORN"
SECRET = "SECRET"
SECRET_NOFORN = "SECRET//NOFORN"
TOP_SECRET = "TOP SECRET"
TOP_SECRET_NOFORN = "TOP SECRET//NOFORN"

CLASSIFICATIONS = (
    UNCLASSIFIED,
    UNCLASSIFIED_FOUO,
    CONFIDENTIAL,
    CONFIDENTIAL_NOFORN,
    SECRET,
    SECRET_NOFORN,
    TOP_SECRET,
    TOP_SECRET_NOFORN,
)

# Levels, lowest first. A classification or marking maps to (level, noforn).
LEVELS = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET")

_SQUASHED = {re.sub(r"[^a-z]", "", c.lower()): c for c in CLASSIFICATIONS}
_SQUASHED.update(
    {
        "unclas": UNCLASSIFIED,
        "unclassifiedfouo": UNCLASSIFIED_FOUO,
        "unclasfouo": UNCLASSIFIED_FOUO,
        "unclassifiedforofficialuseonly": UNCLASSIFIED_FOUO,
        "unclassforofficialuseonly": UNCLASSIFIED_FOUO,
        "unclassensitive": UNCLASSIFIED_FOUO,
        "sensitivebutunclassified": UNCLASSIFIED_FOUO,
        "limitedofficialuse": UNCLASSIFIED_FOUO,
        "confidentialnoforn": CONFIDENTIAL_NOFORN,
        "secretnoforn": SECRET_NOFORN,
        "topsecretnoforn": TOP_SECRET_NOFORN,
    }
)


def canonical_classification(text: str) -> str | None:
    """Map any spelling of a cable classification to the canonical vocabulary, or None."""
    squashed = re.sub(r"[^a-z]", "", (text or "").lower())
    if squashed in _SQUASHED:
        return _SQUASHED[squashed]
    # "SECRET//NOFORN//ORCON", "CONFIDENTIAL//REL TO ..." : keep the part we model.
    noforn = "noforn" in squashed
    for prefix, plain, restricted in (
        ("topsecret", TOP_SECRET, TOP_SECRET_NOFORN),
        ("secret", SECRET, SECRET_NOFORN),
        ("confidential", CONFIDENTIAL, CONFIDENTIAL_NOFORN),
    ):
        if squashed.startswith(prefix):
            return restricted if noforn else plain
    if squashed.startswith("unclas"):
        return UNCLASSIFIED_FOUO if ("fouo" in squashed or "official" in squashed) else UNCLASSIFIED
    return None


# Paragraph markings: "(S/NF)", "(S//NF)", "(SBU)", "(C)", "(U//FOUO)", flattened "snf", "cnf", "u".
_MARK_LEVELS = {
    "U": "U",
    "UNCLAS": "U",
    "UNCLASSIFIED": "U",
    "SBU": "SBU",
    "FOUO": "U//FOUO",
    "LOU": "SBU",
    "C": "C",
    "CONF": "C",
    "CONFIDENTIAL": "C",
    "S": "S",
    "SECRET": "S",
    "TS": "TS",
}
_CAVEATS = {"NF": "NF", "NOFORN": "NF", "FOUO": "FOUO", "REL": "REL", "OC": "OC", "ORCON": "OC"}
# Caveats that change neither the level nor NOFORN, left out of the canonical form: (S//NF//FGI), (S/NF/PROPIN),
# (C/NC), (S//SI//TK). An unknown one would otherwise make the whole marking unread, and its NOFORN lost.
_IGNORED_CAVEATS = frozenset({"FGI", "PROPIN", "PR", "MR", "SI", "TK", "HCS", "G", "NC", "NOCONTRACT", "IMCON",
                              "LIMDIS", "EXDIS", "NODIS", "SIPDIS", "DEA", "SENSITIVE", "SPECAT", "RD", "FRD"})
_FLAT_MARKINGS = {
    "u": "U",
    "sbu": "SBU",
    "c": "C",
    "s": "S",
    "ts": "TS",
    "snf": "S//NF",
    "cnf": "C//NF",
    "sbunf": "SBU//NF",
    "tsnf": "TS//NF",
    "ufouo": "U//FOUO",
    "cnoforn": "C//NF",
    "snoforn": "S//NF",
}


def canonical_marking(text: str) -> str | None:
    """Map a paragraph marking ("S/NF", "S//NF", "C", "snf") to canonical form ("S//NF"), or None."""
    raw = (text or "").strip().strip("()").strip()
    if not raw:
        return None
    if raw in _FLAT_MARKINGS or raw.isupper() and raw.isalpha() and raw.lower() in _FLAT_MARKINGS:  # "SNF"
        return _FLAT_MARKINGS[raw.lower()]
    # An unknown caveat set off by slashes or commas beside a known one ("S//NF//LES", "S/NF/DS", "S//NF, LES") is a
    # caveat still: the level and NOFORN stand (read as unknown, the marking would be lost, and with it NOFORN).
    # Alone beside a level it is no marking: "(S/CT)" is the Department's counterterrorism office. Commas set off
    # caveats as slashes do: "(S/NF, ORCON)" is "(S/NF/ORCON)", "(C, REL TO USA, GBR)" is "(C//REL TO USA, GBR)".
    segments = re.split(r"\s*[/,]+\s*", raw)
    unknown = {segment for segment in segments if re.fullmatch(r"[A-Z]{1,8}", segment)
               and any(other in _CAVEATS for other in segments)}
    parts = [p for p in re.split(r"\s*[/,]+\s*|\s*-\s*|\s+", raw.upper()) if p]
    if not parts or parts[0] not in _MARK_LEVELS:
        return None
    level = _MARK_LEVELS[parts[0]]
    caveats = []
    for part in parts[1:]:
        if part in _CAVEATS:
            caveats.append(_CAVEATS[part])
        elif part == "SBU" and level == "U":  # (U/SBU)
            level = "SBU"
        elif part in _IGNORED_CAVEATS:
            continue
        elif caveats and caveats[-1] == "REL":
            continue  # "REL TO USA, GBR": the country list
        elif part in {"TO", "USA", "AUS", "CAN", "GBR", "NZL", "NATO", "ISAF", "FVEY"}:
            continue
        elif part in unknown and ("/" in raw or "," in raw):
            continue
        else:
            return None
    if level == "U//FOUO":
        return level
    return "//".join([level, *caveats])


def marking_access(marking: str) -> tuple[int, bool]:
    """(level index in LEVELS, noforn) for a canonical classification or paragraph marking."""
    text = (marking or "").upper()
    noforn = "NOFORN" in text or text.endswith("//NF") or "//NF//" in text
    head = text.split("//")[0]
    level = {
        "U": 0,
        "SBU": 0,
        "UNCLASSIFIED": 0,
        "C": 1,
        "CONFIDENTIAL": 1,
        "S": 2,
        "SECRET": 2,
        "TS": 3,
        "TOP SECRET": 3,
    }.get(head, 0)
    return level, noforn


# A parenthesis at the head of a paragraph's text, after its number if any: where a marking stands.
_HEAD_MARK_RE = re.compile(r"^\s*(?:\w{1,3}[.)]\s*)?\(([A-Za-z0-9][A-Za-z0-9 /,.-]{0,39})\)")
_LEVEL_WORDS = {"U": 0, "UNCLAS": 0, "SBU": 0, "C": 1, "CONF": 1, "CONFIDENTIAL": 1, "S": 2, "SECRET": 2, "TS": 3}


def unread_marking_access(text: str) -> tuple[int, bool] | None:
    """The access that a marking too garbled or too unusual to read (`canonical_marking` gives None) still
    names at the head of a paragraph's text: "(C//NF//X1)" -> (1, True), "(XS//NOFORN)" -> (0, True),
    "(S//X1)" -> (2, False). A level beside NOFORN is read whatever sets them apart: "(S/NF/X1)", "(S/NF, X-1)"
    -> (2, True). None where the parenthesis names no NOFORN, nor a level before the double slash that marks a
    classification: "(NOTE 3)", "(S/CT)" (the counterterrorism office), "(C-130)"."""
    head = _HEAD_MARK_RE.match(text or "")
    if not head:
        return None
    written = head.group(1).upper()
    words = [word for word in re.split(r"[^A-Z0-9]+", written) if word]
    noforn = any(word.startswith(("NF", "NOFORN")) for word in words)  # "NF2": garbled, NOFORN still
    level = _LEVEL_WORDS.get(words[0]) if words and ("//" in written or noforn) else None
    if level is None and not noforn:
        return None
    return level or 0, noforn


# ----------------------------------------------------------------------------- who may see what


def clearance_of(user) -> tuple[int, bool]:
    """(level index, NOFORN eligible) of a user: superusers see everything, anonymous users nothing
    beyond UNCLASSIFIED. Reads the user's clearance row without importing its model."""
    if user is None or not getattr(user, "is_authenticated", False):
        return -1, False
    if user.is_superuser:
        return len(LEVELS) - 1, True
    clearance = getattr(user, "clearance", None)
    if clearance is None:
        return 0, False
    return LEVELS.index(clearance.level), clearance.noforn


def sees_everything(user) -> bool:
    """Cleared for every classification and marking there is: superusers, TOP SECRET with NOFORN."""
    return clearance_of(user) == (len(LEVELS) - 1, True)


def reaches(clearance: tuple[int, bool], access: tuple[int, bool]) -> bool:
    """The one rule, on (level, NOFORN) pairs: a reader of `clearance` may read text of `access` when their
    level reaches its level and, for NOFORN text, they may read NOFORN."""
    return access[0] <= clearance[0] and (clearance[1] or not access[1])


def may_see(user, marking: str) -> bool:
    """A user sees a classification or marking when their clearance reaches it (reaches)."""
    return reaches(clearance_of(user), marking_access(marking))


def visible_classifications(user) -> list[str]:
    """The canonical cable classifications this user may see."""
    return [c for c in CLASSIFICATIONS if may_see(user, c)]


# ----------------------------------------------------------------------------- a page's banner

# Each level's banner colour, by the usual convention (CSS class banner-<name>).
BANNER_COLOURS = ("unclassified", "confidential", "secret", "top-secret")


def highest(marks) -> str:
    """The classification of a page showing all these classifications and paragraph markings: the highest
    level among them, NOFORN if any is NOFORN, FOR OFFICIAL USE ONLY at the unclassified level if any is
    (or SBU); "UNCLASSIFIED" for none. ["C//NF", "S"] -> "SECRET//NOFORN"; ["U", "SBU"] -> UNCLASSIFIED_FOUO."""
    level, noforn, official = 0, False, False
    for mark in marks:
        if not mark:
            continue
        mark_level, mark_noforn = marking_access(mark)
        level, noforn = max(level, mark_level), noforn or mark_noforn
        text = mark.upper()
        official = official or "FOUO" in text or "OFFICIAL USE" in text or text.split("//")[0] == "SBU"
    parts = [LEVELS[level]]
    if official and level == 0:
        parts.append("FOR OFFICIAL USE ONLY")
    if noforn:
        parts.append("NOFORN")
    return "//".join(parts)


def stored_access(level: int, noforn: bool) -> str:
    """The classification a stored access (a paragraph's `level` and `noforn`) stands for, as `highest` reads
    it: unmarked text held to the paragraph before it counts at that paragraph's marking."""
    return LEVELS[level] + ("//NOFORN" if noforn else "")


def banner(marks) -> dict:
    """A page's classification banner: its text (`highest`) and its level's colour name."""
    text = highest(marks)
    return {"text": text, "colour": BANNER_COLOURS[marking_access(text)[0]]}


def paragraph_accesses(paragraphs) -> list[tuple[int, bool]]:
    """Each paragraph's access (level, NOFORN): its marking's, and for an unmarked one the strictest of the access in
    force before it and its ancestors' (`HeldAccess`). Unmarked text is most often the rest of the paragraph before
    it (a sub-item, a passage the parser split off as damaged, a marking too garbled to read), or a sub-item of a
    paragraph: no reader the paragraph it follows, or the paragraph it stands under, is withheld from may read it
    ("A. (S/NF) ..." over "1) (U) ..." over an unmarked "2) ...": A.2 is S//NF). A marking that could not be read
    but still names a level or NOFORN at the head of the text ("(C//NF//X1)") raises that access, never lowers it.
    Its marking stays as written (none)."""
    held = HeldAccess()
    return [held.take(paragraph) for paragraph in paragraphs]


def unmarked_accesses(paragraphs, unread: bool = True) -> list[tuple[int, bool]]:
    """For each paragraph, the access that unmarked text in its place takes (`HeldAccess.unmarked`), whether it is
    marked or not: what an unmarked item of its text is held to, where the paragraph itself is written unmarked.
    `unread`: raised by a marking too garbled to read at the head of the paragraph's own text, as its access is."""
    held = HeldAccess()
    found = []
    for paragraph in paragraphs:
        found.append(held.unmarked(paragraph, unread))
        held.take(paragraph)
    return found


# A paragraph number's repeat counter ("A.1(2)": the second "A.1"), which no ancestor's number holds.
_REPEAT_RE = re.compile(r"\(\d+\)$")


class HeldAccess:
    """The access of each paragraph in turn, in order (`take`). A paragraph's ancestors are those its number names
    as it is formed by the parser (cables.parsing): "A.2" stands under "A", "2.A.1" under "2.A" and "2"; and a
    lettered section that its number does not qualify ("A" after "1.", letters that do not restart) under the
    numbered paragraph before it, as the parser's numbering and the tracker's outline read it. The paragraph that
    last bore a number is the one meant. Unnumbered text has no ancestors: the access in force covers it."""

    def __init__(self) -> None:
        self.in_force: tuple[int, bool] = (0, False)
        self.by_number: dict[str, tuple[int, bool]] = {}
        self.top: tuple[int, bool] | None = None  # the last paragraph numbered "1", "2" ...

    def unmarked(self, paragraph, unread: bool = True) -> tuple[int, bool]:
        """The access unmarked text in this paragraph's place takes: the strictest of the access in force (the
        paragraph before it) and its ancestors' accesses, raised by a marking at its head too garbled to read
        (`unread`)."""
        level, noforn = self.in_force
        for ancestor in self._ancestors(getattr(paragraph, "number", None)):
            level, noforn = max(level, ancestor[0]), noforn or ancestor[1]
        if unread and (raised := unread_marking_access(getattr(paragraph, "text", ""))):
            level, noforn = max(level, raised[0]), noforn or raised[1]
        return level, noforn

    def take(self, paragraph) -> tuple[int, bool]:
        """This paragraph's access; it is in force for the text after it."""
        access = marking_access(paragraph.marking) if paragraph.marking else self.unmarked(paragraph)
        number = _REPEAT_RE.sub("", getattr(paragraph, "number", None) or "")
        if number:
            self.by_number[number] = access
            if number.isdigit():
                self.top = access
        self.in_force = access
        return access

    def _ancestors(self, number: str | None) -> list[tuple[int, bool]]:
        parts = _REPEAT_RE.sub("", number or "").split(".")
        if not parts[0]:
            return []
        found = [self.by_number[prefix] for prefix in (".".join(parts[:k]) for k in range(1, len(parts)))
                 if prefix in self.by_number]
        if not parts[0].isdigit() and self.top is not None:  # "A", "A.2": under the numbered paragraph before
            found.append(self.top)
        return found
