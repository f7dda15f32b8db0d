"""Fold Arabic and English text for matching, keeping an index back to the original.

Folding is character by character, so every folded character knows which original
character it came from (``Folded.index``). The per-character table is made with
camel-tools (Unicode compatibility forms, diacritics, alef forms, alef maksura,
teh marbuta) plus tatweel, digits and Latin accents; the gazetteer build stores it
beside the built gazetteer so that a run does not pay camel-tools' import time, and
names and text are folded by the very same table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from geomap._data import data_dir

TABLE_FILE = "fold_table.json"

# Code point ranges whose folding is tabulated: Latin, Arabic, Arabic presentation forms,
# general punctuation and zero-width marks.
_RANGES = (
    (0x0041, 0x005A),
    (0x00A0, 0x024F),
    (0x02B0, 0x02FF),
    (0x0300, 0x036F),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_DELETE = "\u0640\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_APOSTROPHES = "'`\u00b4\u02bc\u02bb\u02be\u02bf\u2018\u2019\u201b\u02b9"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_EXTRA = {
    "\u06cc": "\u064a",  # Farsi yeh -> yeh
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u06c0": "\u0647",  # heh with yeh above -> heh
    "\u06be": "\u0647",  # heh doachashmee -> heh
    "\u0131": "i",  # dotless i
}


def camel_fold_table() -> dict[str, str]:
    """Compute the folding table with camel-tools (slow: imports its charsets).

    Returns:
        A mapping from each character that folds to something else, to its folded form
        (possibly empty or several characters). Characters not in it fold to themselves.
    """
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    table: dict[str, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            out = normalize_unicode(ch)
            out = dediac_ar(out)
            out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(out)))
            out = "".join(_EXTRA.get(c, c) for c in out)
            # Latin accents: decompose and drop combining marks; lower case.
            out = "".join(
                c
                for c in unicodedata.normalize("NFKD", out)
                if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff"
            )
            out = out.lower()
            out = "".join(_EXTRA.get(c, c) for c in out)
            out = "".join("" if c in _DELETE or c in _APOSTROPHES else c for c in out)
            out = "".join(" " if c in _HYPHENS or c.isspace() else c for c in out)
            if unicodedata.category(ch) == "Nd":
                out = str(unicodedata.digit(ch))
            if out != ch:
                table[ch] = out
    for ch in _DELETE + _APOSTROPHES:
        table[ch] = ""
    for ch in _HYPHENS:
        table[ch] = " "
    for ch in "\t\n\r\x0b\x0c\u0085\u00a0\u2028\u2029\u3000":
        table[ch] = " "
    for cp in range(0x0660, 0x066A):
        table[chr(cp)] = str(cp - 0x0660)
    for cp in range(0x06F0, 0x06FA):
        table[chr(cp)] = str(cp - 0x06F0)
    return table


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """The folding table: the one stored with the built gazetteer, or computed with camel-tools."""
    path = data_dir() / TABLE_FILE
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return camel_fold_table()


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each folded character, the index of its original character.

    ``index`` has one more entry than ``text``: the original length, so that
    ``span(start, end)`` works for any half-open range.
    """

    text: str
    index: tuple[int, ...]
    original: str = ""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open range of the folded text back to the original text.

        The original range also takes the marks that folding deleted right after its last
        letter (diacritics, tatweel), so a word keeps its final vowel.
        """
        if end <= start:
            pos = self.index[start]
            return pos, pos
        ostart, oend = self.index[start], self.index[end - 1] + 1
        limit = self.index[end] if end < len(self.text) else len(self.original)
        table = fold_table()
        while oend < limit and table.get(self.original[oend]) == "":
            oend += 1
        return ostart, oend


_QUOTES = '"«»“”„'


@lru_cache(maxsize=1)
def _fast_tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """``str.translate`` table of the folding, and a regex of the characters it deletes or expands."""
    trans = {ord(c): r for c, r in fold_table().items()}
    trans |= {ord(c): "" for c in _QUOTES}  # «منطقة "خفض التصعيد"»: quotes part no name
    for cp in range(0x3001):
        if chr(cp).isspace() and cp not in trans:
            trans[cp] = " "
    uneven = "".join(re.escape(chr(cp)) for cp, r in trans.items() if len(r) != 1)
    return trans, re.compile(f"[{uneven}]")


_SPACE_DROP_RE = re.compile(r"^ +| (?= )")


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; runs of spaces become one space.

    Args:
        text: the original text.

    Returns:
        A ``Folded`` whose ``span`` maps folded offsets back to ``text``.
    """
    trans, uneven = _fast_tables()
    stage = text.translate(trans)
    # index of each character of ``stage`` in ``text``: identity but where folding deleted or expanded
    index: list[int] | range
    if uneven.search(text) is None:
        index = range(len(text))
    else:
        index = []
        prev = 0
        for m in uneven.finditer(text):
            i = m.start()
            index.extend(range(prev, i))
            index.extend([i] * len(trans[ord(text[i])]))
            prev = i + 1
        index.extend(range(prev, len(text)))
    drops = [i for m in _SPACE_DROP_RE.finditer(stage) for i in range(*m.span())]
    if stage.endswith(" ") and (not drops or drops[-1] != len(stage) - 1):
        drops.append(len(stage) - 1)
    if not drops:
        return Folded(stage, (*index, len(text)), text)
    parts: list[str] = []
    kept: list[int] = []
    prev = 0
    for d in drops:
        parts.append(stage[prev:d])
        kept.extend(index[prev:d])
        prev = d + 1
    parts.append(stage[prev:])
    kept.extend(index[prev:])
    kept.append(len(text))
    return Folded("".join(parts), tuple(kept), text)


@lru_cache(maxsize=1)
def fold_document(text: str) -> Folded:
    """``fold`` of a document's text, kept for the last one: recognition and events fold the same text."""
    return fold(text)


_KEY_DROP = str.maketrans({c: " " for c in '"()[]{}<>«»“”„.,;:!?،؛؟/\\|*_+=#&%$@~^'})


def fold_key(name: str) -> str:
    """Fold a gazetteer name into its lookup key (punctuation dropped, one space between words)."""
    return " ".join(fold(name).text.translate(_KEY_DROP).split())


def is_arabic(text: str) -> bool:
    """True when most letters of ``text`` are Arabic."""
    ar = sum(1 for c in text if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return ar >= latin and ar > 0


#: The Arabic article and its assimilated forms as romanised (al-, ash-, el- …), and "the".
EN_ARTICLES = frozenset("al el aal as ash ad ar at az an adh ath es ed er et ez en ul il the".split())
_LATIN_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "t"), ("ch", "s"), ("ph", "f"))
_LATIN_CLASS = str.maketrans({"q": "k", "c": "k", "d": "t", "z": "s", "j": "g", "p": "b", "v": "f", "x": "k"})
_ARABIC_CLASS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "g",
    "خ": "k",
    "د": "t",
    "ذ": "t",
    "ر": "r",
    "ز": "s",
    "س": "s",
    "ش": "s",
    "ص": "s",
    "ض": "t",
    "ط": "t",
    "ظ": "t",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
}


def strip_latin_articles(key: str) -> str:
    """A folded Latin name without the Arabic article words (al, ash, el …)."""
    return " ".join(w for w in key.split() if w not in EN_ARTICLES) or key


#: Words after (or before) a Latin name that tell homonyms apart: "Baghuz at-Tahtani", "Upper X",
#: "Bala al-Jadida", "Sawwanah ash-Sharqiyah"; folded, with their feminine and -eh spellings.
LATIN_QUALIFIERS = frozenset(
    """upper lower big little great small new old eastern western northern southern
    kabir kabira kabirah kebir kbir kabireh saghir saghira saghirah sghir saghireh sagheer
    tahtani tahtaniyah tahtaniya fawqani fawqaniyah fawqaniya foqani fouqani
    sharqi sharqiyah sharqiya sharqiyeh gharbi gharbiyah gharbiya gharbiyeh
    shamali shamaliyah shamaliya shamaliyeh janubi janubiyah janubiya janoubi qibli qibliyah
    jadid jadida jadidah jadideh qadim qadima qadimah qadimeh""".split()
)


def strip_latin_qualifiers(key: str) -> str:
    """A folded Latin name without its qualifier words (and their articles), or ``key`` unchanged
    when nothing of at least three letters would be left."""
    words = key.split()
    while len(words) > 1 and words[-1] in LATIN_QUALIFIERS:
        words = words[:-2] if len(words) > 2 and words[-2] in EN_ARTICLES else words[:-1]
    while len(words) > 1 and words[0] in LATIN_QUALIFIERS:
        words = words[1:]
    bare = " ".join(words)
    return bare if len(bare.replace(" ", "")) >= 3 else key


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A script-blind consonant skeleton of a folded name, for candidate lookup.

    Latin and Arabic names map to the same classes of consonants; vowels, semivowels,
    h-sounds, ʿayn, hamza and the article (al-, ash-, el-, ال) are dropped and doubled
    letters merged, so ``Ma'arrat an-Nu'man``, ``Maarat al-Numan`` and «معرة النعمان» all
    give ``mrtnmn``, and ``Thalthana`` meets «تلتانة».
    """
    if any("\u0600" <= c <= "\u06ff" for c in key):
        words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in key.split()]
        # a teh marbuta that is not last is pronounced: معرة النعمان -> Ma'arrat an-Nu'man
        words = [w[:-1] + "ت" if w.endswith("ه") and i < len(words) - 1 else w for i, w in enumerate(words)]
        letters = "".join(_ARABIC_CLASS.get(c, "") for c in "".join(words))
    else:
        words = [w for w in key.split() if w not in EN_ARTICLES] or key.split()
        s = "".join(words)
        for a, b in _LATIN_DIGRAPHS:
            s = s.replace(a, b)
        letters = "".join(c for c in s.translate(_LATIN_CLASS) if c.isalpha() and c not in "aeiouyhw")
    out: list[str] = []
    for ch in letters:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- romanisation distance
# Arabic letters as sound classes; «P» is a word-final teh marbuta (folded to ه), «Y» a word-final
# ي, which may be a folded alif maqsura (عرى is "Ara").
_AR_SOUND = dict(
    zip(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويىءئؤ",
        [
            "A",
            "b",
            "t",
            "T",
            "j",
            "H",
            "X",
            "d",
            "D",
            "r",
            "z",
            "s",
            "S",
            "s",
            "D",
            "t",
            "D",
            "E",
            "G",
            "f",
            "q",
            "k",
            "l",
            "m",
            "n",
            "h",
            "w",
            "y",
            "y",
            "'",
            "'",
            "'",
        ],
        strict=True,
    )
)
# How a romanisation may write each class, and at what cost (0 = the usual spelling).
_WRITTEN: dict[str, dict[str, float]] = {
    "A": {"a": 0, "e": 0.1, "o": 0.3, "i": 0.6, "u": 0.6},
    "b": {"b": 0, "p": 0.2},
    "t": {"t": 0, "th": 0.3, "d": 0.5},
    "T": {"th": 0, "t": 0.1, "s": 0.3},
    "j": {"j": 0, "dj": 0, "g": 0.2, "zh": 0.3},
    "H": {"h": 0, "kh": 0.6},
    "X": {"kh": 0, "x": 0.2, "ch": 0.3, "h": 0.4, "k": 0.4},
    "d": {"d": 0, "t": 0.5},
    "D": {"dh": 0, "d": 0.1, "z": 0.2, "th": 0.2},
    "r": {"r": 0},
    "z": {"z": 0, "s": 0.4},
    "s": {"s": 0, "c": 0.3, "z": 0.5},
    "S": {"sh": 0, "ch": 0.1, "s": 0.4},
    "E": {"a": 0, "e": 0, "i": 0, "o": 0, "u": 0},
    "G": {"gh": 0, "g": 0.1, "r": 0.5},
    "f": {"f": 0, "ph": 0, "v": 0.2},
    "q": {"q": 0, "k": 0.1, "c": 0.2, "g": 0.4, "gh": 0.4},
    "k": {"k": 0, "c": 0.1, "q": 0.3, "ch": 0.5, "g": 0.5},
    "l": {"l": 0},
    "m": {"m": 0},
    "n": {"n": 0},
    "h": {"h": 0},
    "w": {"w": 0, "u": 0, "o": 0, "v": 0.3},
    "y": {"y": 0, "i": 0, "e": 0, "j": 0.4},
    "'": {"a": 0, "e": 0, "i": 0, "o": 0, "u": 0},
    "P": {"a": 0, "e": 0, "t": 0.1, "h": 0.2},
    "Y": {"y": 0, "i": 0, "e": 0, "a": 0.3, "j": 0.4},
}
_FINAL = {"ه": "P", "ي": "Y"}
# A letter the romanisation left out: ʿayn and hamza often are, consonants rarely.
_UNWRITTEN = {"E": 0.05, "'": 0.0, "P": 0.1, "A": 0.6, "w": 0.7, "y": 0.7, "Y": 0.7, "H": 0.6, "h": 0.6}
_LATIN_UNITS = ("kh", "gh", "sh", "ch", "th", "dh", "ph", "dj", "zh")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def _arabic_sounds(key: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in key.split():
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        for i, ch in enumerate(word):
            sound = _FINAL.get(ch) if i == len(word) - 1 and i > 0 else None
            sound = sound or _AR_SOUND.get(ch)
            if sound:
                out.append(sound)
    return tuple(out)


@lru_cache(maxsize=4096)
def _latin_units(key: str) -> tuple[tuple[str, bool], ...]:
    """Latin letters and digraphs of a folded name, each with «ends a word»; doubled consonants merged."""
    out: list[tuple[str, bool]] = []
    for word in strip_latin_articles(key).split():
        units: list[str] = []
        i = 0
        while i < len(word):
            unit = word[i : i + 2] if word[i : i + 2] in _LATIN_UNITS else word[i]
            i += len(unit)
            if unit.isalpha() and not (units and unit == units[-1] and unit not in _VOWELS):
                units.append(unit)
        out += [(u, k == len(units) - 1) for k, u in enumerate(units)]
    return tuple(out)


def romanization_similarity(latin_key: str, arabic_key: str) -> float:
    """How well a folded Latin name spells a folded Arabic name, 0-1.

    A weighted edit distance between the sounds of the Arabic letters and the Latin letters:
    the usual spellings of each letter cost nothing (ش sh, ق q or k, ي i/y/e, ة a/ah/eh),
    short vowels (unwritten in Arabic) and ʿayn or hamza left out cost little, a long vowel or
    consonant missing costs much. So «Kasrah» fits «الكسرة» better than «الكسارة», and
    «Thalthana» fits «تلتانة» better than «تلحوذان». Articles on both sides are ignored.
    """
    ar = _arabic_sounds(arabic_key)
    la = _latin_units(latin_key)
    if not ar or not la:
        return 0.0

    def insert(unit: str, word_end: bool) -> float:
        if unit in _VOWELS:  # Arabic leaves short vowels unwritten
            return 0.1
        if unit == "h":
            return 0.05 if word_end else 0.4
        return 0.6 if unit in ("y", "w") else 1.0

    prev = [0.0]
    for unit, end in la:
        prev.append(prev[-1] + insert(unit, end))
    for sound in ar:
        drop = _UNWRITTEN.get(sound, 1.0)
        row = [prev[0] + drop]
        written = _WRITTEN[sound]
        for j, (unit, end) in enumerate(la, 1):
            sub = written.get(unit, 1.2)  # another sound: dearer than a letter left out
            row.append(min(prev[j - 1] + sub, prev[j] + drop, row[j - 1] + insert(unit, end)))
        prev = row
    return max(0.0, 1.0 - prev[-1] / len(ar))


# ---------------------------------------------------------------- lexicon patterns
#: Proclitics a word may carry in a lexicon pattern: و ف, then ب ك with the article, لل, or ب ل ك.
CLITIC_PATTERN = r"(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"


def fold_lexicon(text: str) -> str:
    """The Arabic letters of a lexicon entry folded as ``fold`` folds text (ئ ؤ decompose, ة is ه …);
    other characters (regex syntax, Latin) as they are."""
    table = fold_table()
    return "".join(table.get(c, c) if "\u0600" <= c <= "\u06ff" else c for c in text)


def lexicon_pattern(pattern: str) -> re.Pattern[str]:
    """A regex of word forms written as people write them, compiled for folded text."""
    return re.compile(fold_lexicon(pattern))


def cue_pattern(words: str) -> re.Pattern[str]:
    """A lexicon pattern of whole words (an alternation), each with any proclitics."""
    return lexicon_pattern(rf"(?<!\w){CLITIC_PATTERN}(?:{words})(?!\w)")


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def any_of(patterns: Sequence[re.Pattern[str]], *, marked: bool = False) -> re.Pattern[str]:
    """One regex that matches wherever one of ``patterns`` matches (their group names dropped):
    a single scan tells where, or whether, any of them may match.

    ``marked`` puts an empty group after each pattern, so that ``m.lastindex - 1`` is the index
    of the first pattern that matches at ``m.start()`` (the patterns may have no other groups).
    """
    assert len({p.flags for p in patterns}) == 1, "patterns of one union share their flags"
    mark = "()" if marked else ""
    union = re.compile(
        "|".join(f"(?:{_NAMED_GROUP.sub('(?:', p.pattern)}){mark}" for p in patterns), patterns[0].flags
    )
    assert not marked or union.groups == len(patterns), "marked patterns have no groups of their own"
    return union
