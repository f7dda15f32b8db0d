"""Numbers and what they count, in folded Arabic and English text.

Digits (ASCII, Arabic-Indic, thousands separators), Arabic and English number words and
scales, vague plurals (عشرات 20–90 best 30, مئات 100–900 best 300, آلاف 2000–9000 best
3000, ملايين, dozens, hundreds, thousands); hedges (نحو/حوالي/about → ±10 %; أكثر من/more
than → low n, high 1.5 n; أقل من/less than → low n / 2); what is counted, from the noun or
verb around the number (killed, injured, displaced, families, strikes, projectiles, people,
population); numbers that count part of another (بينهم، منهم، including) are none;
casualties without a number count 1 or 2 («مقتل طفل»، «استشهاد امرأتين»، "killing a child").
``events`` gives each count to an event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from geomap.model import Count
from geomap.normalize import any_of, cue_pattern, fold, fold_lexicon, lexicon_pattern

# ---------------------------------------------------------------- numbers (folded)
_AR_UNITS = dict(
    zip("واحد اثنين ثلاثه اربعه خمسه سته سبعه ثمانيه تسعه عشره".split(), range(1, 11), strict=True)
)
_AR_UNITS |= {w.removesuffix("ه"): v for w, v in _AR_UNITS.items()} | {"ثمان": 8, "ثماني": 8, "احد": 1}
_AR_UNITS |= {"واحده": 1, "اثنان": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2}
_EN_NUMS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
_EN_NUMS += "seventeen eighteen nineteen"
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_NUM_WORDS: dict[str, tuple] = {w: ("n", v) for w, v in _AR_UNITS.items()}
_NUM_WORDS |= {w: ("n", v) for w, v in zip(_EN_NUMS.split(), range(1, 20), strict=True)}
_NUM_WORDS |= {w: ("n", v) for w, v in zip(_EN_TENS.split(), range(20, 100, 10), strict=True)}
_NUM_WORDS |= {
    w + end: ("n", 10 * v)
    for w, v in _AR_UNITS.items()
    if 3 <= v <= 9 and w[-1] != "ه"
    for end in ("ون", "ين")
}
_NUM_WORDS |= {"عشرون": ("n", 20), "عشرين": ("n", 20), "dozen": ("s", 12, False)}
_NUM_WORDS |= {
    u + h: ("n", 100 * v)
    for u, v in _AR_UNITS.items()
    if 3 <= v <= 9 and u[-1] != "ه"
    for h in ("مائه", "مئه")
}
_NUM_WORDS |= {w: ("n", 200) for w in ("مئتان", "مئتين", "مائتان", "مائتين")}
_NUM_WORDS |= {w: ("n", 2000) for w in ("الفين", "الفان", "الفي", "الفا")} | {
    w: ("n", 2 * 10**6) for w in ("مليونين", "مليونان")
}
_NUM_WORDS |= {w: ("h",) for w in ("مائه", "مئه", "hundred")}
_NUM_WORDS |= {w: ("s", 1000, False) for w in ("الف", "thousand")}
_NUM_WORDS |= {w: ("s", 1000, True) for w in ("الاف", "thousands")}
_NUM_WORDS |= {w: ("s", 10**6, False) for w in ("مليون", "مليونا", "million")}
_NUM_WORDS |= {w: ("s", 10**6, True) for w in ("ملايين", "millions")}
_NUM_WORDS |= {w: ("s", 10**9, False) for w in ("مليار", "billion")}
_NUM_WORDS |= {w: ("v", 20, 90, 30) for w in ("عشرات", "dozens", "tens")}
_NUM_WORDS |= {w: ("v", 100, 900, 300) for w in ("مئات", "hundreds")}
_NUM_WORDS = {fold_lexicon(w): v for w, v in _NUM_WORDS.items()}
_VAGUE_PLURAL = {1000: (2000, 9000, 3000), 10**6: (2 * 10**6, 9 * 10**6, 3 * 10**6)}
_DIGITS = lexicon_pattern(r"^(\d{1,3}(?:[,٬]\d{3})+|\d{1,3}(?:\.\d{3})+|\d+(?:[.٫]\d+)?)$")
_APPROX = lexicon_pattern(
    r"(?:نحو|حوالي|قرابه|زهاء|يقارب|about|around|approximately|nearly|almost|roughly|some|estimated)$"
)
_MORE = lexicon_pattern(r"(?:اكثر من|ازيد من|يزيد (?:عن|علي)|يقل عن|more than|over|at least|upwards of)$")
_LESS = lexicon_pattern(r"(?:اقل من|ما دون|less than|fewer than|up to|under)$")
_WHAT = tuple(
    (what, lexicon_pattern(rf"^[وبل]?(?:ال)?(?:{rx})ا?$"))
    for what, rx in (
        ("population", r"نسمه|inhabitants|population"),
        ("displaced", r"نازح\w*|مهجر\w*|displaced|idps?|refugees?"),
        ("killed", r"قتيل|قتلي|قتلا|شهيد\w*|شهداء|ضحي\w*|ضحايا|dead|killed|deaths?|fatalities|bodies"),
        ("injured", r"جريح\w*|جرحي|مصاب\w*|اصابات|injured|wounded|injuries"),
        ("strikes", r"غاره|غارات|ضربه|ضربات|برميل|براميل|(?:air)?strikes?|raids?"),
        ("projectiles", r"قذيفه|قذائف|صاروخ|صواريخ|shells?|rockets?|missiles?|mortars?"),
        ("families", r"عائله|عائلات|اسره|اسر|families|family|households?"),
        ("vehicles", r"حافل\w*|باص\w*|سياره|سيارات|اليه|اليات|شاحن\w*|buses|bus|vehicles?|trucks?"),
        (
            "people",
            r"مدني\w*|شخص|اشخاص|مواطن\w*|طفل|اطفال|امراه|نساء|رجال|سكان|اهالي|مقاتل\w*|عنصر|عناصر|جندي"
            r"|جنود|people|civilians?|persons?|residents?|children|women|men|individuals|fighters|soldiers",
        ),
        (
            "measure",
            r"ساع\w*|يوم|ايام|اسبوع\w*|اسابيع|شهر|اشهر|شهور|عام|اعوام|سنه|سنوات|دقيق\w*|كم|كيلو\w*|متر"
            r"|امتار|بالمئه|بالمائه|hours?|days?|weeks?|months?|years?|km|kilomet\w*|miles?|met(?:er|re)s?"
            r"|percent",
        ),
    )
)
_ANY_WHAT = any_of([rx for _, rx in _WHAT], marked=True)
_POPULATION_CUE = lexicon_pattern(r"(?:تؤوي|يؤوي|يقطن\w*|يسكن\w*|home to|population of)$")
_NUM_TOKEN = re.compile(r"\d[\d,.٬٫]*\d|[^\s،,.;:!?؟()\[\]\"«»“”]+")
_KILL_CUE = cue_pattern(
    r"قتل\w*|مقتل|اعدم\w*|اعدام|استشهاد|استشهد\w*|مصرع|ضحي\w*|ضحايا|حصيله|اودي|اودت|جثث|جثه|جثتي\w*"
    r"|killed|died|dead|killing|claimed|toll|bodies"
)
_DISPLACED = cue_pattern(r"نازح\w*|مهجر\w*")  # «عدد النازحين … 270 ألف»
#: A verb of dying after its subject: «إن 32 عنصراً من قوات النظام قتلوا».
_KILLED_AFTER = lexicon_pattern(r"(?:\S+ ){0,4}(?:قتلوا|قتلن|لقوا حتفهم|استشهدوا|were killed|died)(?!\w)")
#: Killed and injured counted together («مقتل وإصابة 15»): casualties, not deaths.
_BOTH_CUE = lexicon_pattern(
    r"(?<!\w)(?:مقتل|قتل\w*|استشهاد) و(?:اصابه|جرح)|(?:killed|dead) (?:and|or) (?:injured|wounded)|casualties"
)
_INJURE_CUE = cue_pattern(r"اصابه|اصيب\w*|جرح\w*|injur\w*|wound\w*")
FLEE_CUE = cue_pattern(
    r"نزح\w*|ينزح\w*|نزوح|تهجير|تشريد|فر|فروا|فرت|[يت]فر\w*|هرب\w*|غادر\w*|[يت]غادر\w*|displaced|fled|flee\w*|left"
)
# Casualties without a digit: «مقتل طفل» 1, «استشهاد امرأتين» 2, «مقتل طفل وامرأة» 2, "killing a child" 1.
_PERSON_SG = (
    r"طفل|طفله|امراه|سيده|فتاه|فتي|شاب|شابه|رجل|مدني|مدنيه|مواطن|مواطنه|ناشط|ناشطه|عنصر|جندي|مقاتل"
    r"|شخص|مسن|مسنه|صحفي|صحفيه|مصور|مسعف|متطوع|ضابط|قيادي|قائد|طبيب|ممرض|معلم|مزارع|راعي|سائق|عامل"
    r"|مختار|امام|خطيب|قاض|قاضي|محام|محامي|مهندس|طالب|عضو|رئيس|مدير|موظف"
)
_PERSON_DUAL_AN = r"طفل|طفلت|امرات|سيدت|فتات|شاب|رجل|شخص|عنصر|جندي|ضابط|مدني|ناشط|صحفي|مسعف|مقاتل|مواطن"
_PERSON_DUAL_IN = r"طفل|طفلت|امرات|سيدت|فتات|شاب|رجل|شخص|عنصر|جندي|ضابط"  # -ين is no plural of these
_TIME_WORDS = frozenset(
    {"يوم", "امس", "اليوم", "فجر", "ليل", "ليله", "صباح", "مساء", "ظهر", "عصر"}
    | set("الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد".split())
)
_PERSON_ITEM = lexicon_pattern(
    rf"^(?:ال)?(?:(?P<two>(?:{_PERSON_DUAL_AN})ان|(?:{_PERSON_DUAL_IN})ين)|(?:{_PERSON_SG})ا?)$"
)
_CASUALTY_AR = lexicon_pattern(
    r"(?<!\w)[وفبل]?(?P<cue>(?P<inj>اصابه|اصيب|اصيبت|جرح)|مقتل|قتل|قتلت|استشهاد|استشهد|استشهدت|مصرع"
    r"|وفاه|توفي|توفيت|قضي|لقي|لقيت|ارتقاء|ارتقي|بحياه|حياه|اغتيال|اغتال|اغتالت)\s+"
)
_PERSON_EN = (
    r"child|boy|girl|woman|man|civilian|person|resident|soldier|fighter|activist|journalist|paramedic"
    r"|rescuer|farmer|shepherd|teenager|doctor|nurse|rebel|member|commander|officer|driver|worker"
)
_CASUALTY_EN = re.compile(
    rf"\b(?:(?P<inj>wounding|injuring)|killing|killed|kills|(?:claimed|took) the (?:life|lives) of)\s+(?:an?|one)\s+(?:\w+\s+)?(?:{_PERSON_EN})\b"
    rf"|\b(?:an?)\s+(?:\w+\s+)?(?:{_PERSON_EN})\s+(?:(?:was|has been|had been)\s+"
    rf"(?:(?P<inj2>wounded|injured)|killed|shot dead)|died)\b"
)
_AND_KIN_EN = re.compile(
    rf" and (?:an?|one|her|his|their) (?:\w+ )?(?:{_PERSON_EN}|son|daughter|husband|wife|mother|father|brother|sister)\b"
)
_AMONG = frozenset({"بينهم", "بينهن", "منهم", "including", "among"})
#: A number that counts part of another: «بينهم 3 أطفال», "including 2 children", «7 منهم».
_SUBSET_BEFORE = lexicon_pattern(r"(?:بينهم|بينهن|منهم|منهن|including|among them|of whom|of them)$")
_SUBSET_AFTER = lexicon_pattern(r"^(?:منهم|منهن|of them|of whom)")
_PUNCT = "\"'«»“”()[]،,.;:!?؟"
#: A singular victim before a singular casualty verb: «إن مدنياً استشهد», «طفل قتل».
_VICTIM_BEFORE_VERB = lexicon_pattern(
    rf"(?<!\w)(?:(?:ال)?(?:{_PERSON_SG})ا?) (?:قد )?"
    r"(?:(?P<inj>اصيب|اصيبت|جرح)|استشهد|استشهدت|قتل|قتلت|لقي|لقيت|توفي|توفيت|قضي)(?!\w)"
)
#: «عدد من الجنود بين قتيل وجريح»: how a number splits, not a count.
_CASUALTY_SHARE = lexicon_pattern(r"(?<!\w)بين (?:قتيل|شهيد|جريح|مصاب)\w* و(?:قتيل|شهيد|جريح|مصاب)\w*")
_VICTIM_AR = lexicon_pattern(
    r"(?<!\w)[وب]?(?:(?P<two>قتيلان|قتيلين|شهيدان|شهيدين)|(?P<inj2>جريحان|جريحين)|(?P<inj>جريحا?)|قتيلا?|شهيدا?|ضحيه)"
    r"(?!\w)"
)
#: Where any casualty without a number may be: most sentences have none.
_ANY_CASUALTY = any_of([_CASUALTY_AR, _VICTIM_BEFORE_VERB, _VICTIM_AR, _CASUALTY_EN])


# ---------------------------------------------------------------- numbers
@lru_cache(maxsize=65536)
def _num_class(tok: str) -> tuple | None:
    tok = tok.strip("()[]\"'«»“”،,.;:!?؟")
    if tok.removeprefix("و") in _DAY_NAMES:  # «الاثنين» is Monday, not two
        return None
    if m := _DIGITS.match(tok.removeprefix("و")):
        s = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            s = s.replace(".", "")
        return ("n", float(re.sub(r"[,٬]", "", s).replace("٫", ".")))
    for t in (
        tok,
        tok.removeprefix("و"),
        tok.removeprefix("ال"),
        tok.removeprefix("وال"),
        tok[1:] if tok[:1] in "لب" else "",
    ):
        if t in _NUM_WORDS:
            return _NUM_WORDS[t]
    return None


_DAY_NAMES = frozenset(fold_lexicon("الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد").split())
#: A number before a month is a date («في 18 من شباط», "on 5 March"), not a count.
_MONTH = lexicon_pattern(
    r"^(?:من )?(?:كانون|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|اب|أيلول|ايلول|تشرين|يناير|فبراير|مارس"
    r"|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|january|february|march|april"
    r"|may|june|july|august|september|october|november|december)"
)


def _add(a: tuple[float, ...] | None, b: tuple[float, ...]) -> tuple[float, ...]:
    return b if a is None else tuple(x + y for x, y in zip(a, b, strict=True))


def _eval_run(parts: list[tuple]) -> tuple[float, ...]:
    """(best, low, high) of a run of number words: sums, hundreds and scales."""
    total: tuple[float, ...] | None = None
    cur: tuple[float, ...] | None = None
    for p in parts:
        if p[0] == "n":
            cur = _add(cur, (p[1],) * 3)
        elif p[0] == "v":
            cur = _add(cur, (p[3], p[1], p[2]))
        elif p[0] == "h":
            cur = tuple(x * 100 for x in (cur or (1, 1, 1)))
        elif p[0] == "s":
            if cur is None:
                lo, hi, best = _VAGUE_PLURAL.get(p[1], (p[1],) * 3) if p[2] else (p[1],) * 3
                cur = (best, lo, hi)
            else:
                cur = tuple(x * p[1] for x in cur)
            total, cur = _add(total, cur), None
    return _add(total, cur) if cur is not None else total


def _classify_what(tokens: list[str]) -> str:
    for tok in tokens[:2]:
        tok = tok.strip("()[]\"'«»“”،,.;:!?؟")
        if tok in {"من", "of", "ال"}:
            continue
        m = _ANY_WHAT.match(tok)
        if m is not None:
            return _WHAT[m.lastindex - 1][0]  # the first noun class, in the order of _WHAT
    return ""


def counts_in(text: str, lo: int, hi: int) -> list[tuple[int, int, Count]]:
    """Counts in ``text[lo:hi]`` (folded) as (start, end, Count) with folded offsets."""
    out: list[tuple[int, int, Count]] = []
    classes = list(map(_num_class, _NUM_TOKEN.findall(text, lo, hi)))  # None: no number word
    toks: list[tuple[int, int, str]] = []
    if any(classes):  # most sentences have no number: their tokens are not needed
        toks = [(m.start(), m.end(), m.group()) for m in _NUM_TOKEN.finditer(text, lo, hi)]
    i = 0
    while i < len(toks):
        if classes[i] is None:
            i += 1
            continue
        parts: list[tuple] = []
        j = i
        while j < len(toks):
            c = classes[j]
            if (
                c is None
                and toks[j][2] in {"of", "من"}
                and parts
                and parts[-1][0] == "v"
                and j + 1 < len(toks)
            ):
                nxt = classes[j + 1]
                if nxt and nxt[0] == "s":
                    j += 1
                    continue
            if c is None:
                break
            parts.append(c)
            j += 1
        if len(parts) == 1 and parts[0] == ("h",):
            i = j
            continue
        one = j == i + 1 and toks[i][2] in ("واحد", "واحده")
        if one and not (j < len(toks) and toks[j][2] in ("من", "منهم")):
            i = j  # «من عائلة واحدة», «يوم واحد»: one, the adjective, counts nothing; «واحد منهم» does
            continue
        best, low, high = _eval_run(parts)
        words = [t[2] for t in toks[max(0, i - 3) : i]]
        hedge = " ".join(words)
        start = toks[i][0]
        exact = low == high
        if exact and _APPROX.search(hedge):
            low, high = best * 0.9, best * 1.1
            start = toks[i - 1][0]
        elif exact and _MORE.search(hedge):
            high = best * 1.5
            start = toks[i - 2 if " " in _MORE.search(hedge).group() else i - 1][0]
        elif exact and _LESS.search(hedge):
            low = best / 2
            start = toks[i - 2 if " " in _LESS.search(hedge).group() else i - 1][0]
        after = [t[2] for t in toks[j : j + 2]]
        if _MONTH.match(" ".join(after)) or i and _MONTH.fullmatch(toks[i - 1][2]) and best <= 31:
            i = j  # «18 من شباط», "May 13": a date, not a count
            continue
        what = _classify_what(after)
        end = toks[j - 1][1]
        if what:
            end = toks[j][1] if _classify_what(after[:1]) else toks[min(j + 1, len(toks) - 1)][1]
        later = [t[2] for t in toks[j : j + 3]]
        later = later[: next((k for k, w in enumerate(later) if w in _AMONG), len(later))]
        window = " ".join([t[2] for t in toks[max(0, i - 3) : j]] + later)  # not «… بينهم جرحى»
        wide = " ".join(t[2] for t in toks[max(0, i - 7) : i])  # «قتلت هيئة تحرير الشام 7 عناصر»
        year = len(parts) == 1 and parts[0][0] == "n" and 1900 <= best <= 2100 and not what
        if what == "population" and FLEE_CUE.search(window):  # «نزوح 400 ألف نسمة»: نسمة counts people
            what = "displaced"
        elif what in {"people", "families", ""}:
            close = " ".join(t[2] for t in toks[max(0, i - 2) : i])  # the verb right before the number
            if _INJURE_CUE.search(close) and not _KILL_CUE.search(close):
                what = "injured"  # «قتل مدنيان وأصيب 5 آخرون»: the 5 are the injured
            elif _BOTH_CUE.search(window):
                what = "casualties"
            elif _KILL_CUE.search(window):
                what = "killed"
            elif _INJURE_CUE.search(window):
                what = "injured"
            elif FLEE_CUE.search(window) or _DISPLACED.search(window):
                what = "displaced" if what != "families" else "displaced families"
            elif what == "people" and _KILL_CUE.search(wide) and not FLEE_CUE.search(wide):
                what = "killed"
            elif what == "people" and _KILLED_AFTER.match(" ".join(t[2] for t in toks[j : j + 6])):
                what = "killed"  # «إن 32 عنصراً من قوات النظام قتلوا»: the verb after its subject"
            elif _DISPLACED.search(wide) or FLEE_CUE.search(wide):  # «ارتفع عدد النازحين … إلى 270 ألفاً»
                what = "displaced" if what != "families" else "displaced families"
        if _POPULATION_CUE.search(" ".join(words)):
            what = "population"
        if what in ("people", "") and out and out[-1][2].what in ("killed", "injured"):
            # «قتل 35 عنصراً من قوات النظام و12 مقاتلاً», "killing 5 soldiers and 3 fighters"
            joined = toks[i][2].startswith("و") or (i > 0 and toks[i - 1][2] in ("و", "and"))
            if joined and len(text[out[-1][1] : toks[i][0]].split()) <= 5:
                what = out[-1][2].what
        subset = _SUBSET_BEFORE.search(" ".join(words[-2:])) or _SUBSET_AFTER.match(" ".join(after))
        if not year and not subset:
            out.append((start, end, Count(round(best), round(low), round(high), what, "")))
        i = j
    implicit = _implicit_counts(text, lo, hi)
    # «قيادياً … واثنين من مرافقيه»: a bare number that a casualty count took in is that count's
    out = [x for x in out if x[2].what or not any(y[0] < x[1] and x[0] < y[1] for y in implicit)]
    taken = [(s, e) for s, e, _ in out]
    implicit = [x for x in implicit if not any(x[0] < e and s < x[1] for s, e in taken)]
    return sorted(out + implicit, key=lambda x: x[0])


_ANOTHER = re.compile(r"(?: (?!و)\S+){0,6} و(?:اخر|اخري|(?P<n>اثنين|اثنان|ثلاثه|اربعه|خمسه) من)(?!\w)")


def _implicit_counts(text: str, lo: int, hi: int) -> list[tuple[int, int, Count]]:
    """Casualties named without a number: a singular person counts 1, a dual 2, coordinated ones add up.

    «مقتل طفل» 1, «استشهاد امرأتين» 2, «مقتل طفل رضيع وامرأة» 2, "killing a child" 1,
    "a civilian was killed" 1.  Only right after a casualty word, so «طفل» alone counts nothing.
    """
    out: list[tuple[int, int, Count]] = []
    if not _ANY_CASUALTY.search(text, lo, hi):
        return out
    for m in _CASUALTY_AR.finditer(text, lo, hi):
        n, end, adjective = 0, m.end(), False
        skipped = 0
        for w in re.finditer(r"\S+", text[m.end() : hi]):
            word = w.group().rstrip(_PUNCT)
            if n == 0 and skipped < 3 and (word in _TIME_WORDS or word.endswith("ون")):
                # «استشهد يوم أمس الناشط …», «اغتال مسلحون مجهولون قيادياً»: the time or the
                # killers come between verb and victim
                skipped += 1
                continue
            item = _PERSON_ITEM.match(word[1:] if n and word[:1] == "و" else word)
            if item and (n == 0 or word[:1] == "و"):
                n, end, adjective = (
                    n + (2 if item.group("two") else 1),
                    m.end() + w.start() + len(word),
                    False,
                )
            elif n and not adjective and word[:1] != "و" and not _num_class(word):
                adjective = True  # «طفل رضيع وامرأة»: one word may qualify an item
            else:
                break
        another = _ANOTHER.match(text, end, hi) if n else None
        if another:  # «مقتل مدني في البارة وآخر بكفرنبل», «قيادياً … واثنين من مرافقيه»: and others
            n, end = n + (_AR_UNITS[another.group("n")] if another.group("n") else 1), another.end()
        if n:
            what = "injured" if m.group("inj") else "killed"
            out.append((m.start("cue"), end, Count(n, n, n, what, "")))
    for m in _VICTIM_BEFORE_VERB.finditer(text, lo, hi):  # «إن مدنياً استشهد»
        what = "injured" if m.group("inj") else "killed"
        out.append((m.start(), m.end(), Count(1, 1, 1, what, "")))
    shares = [m.span() for m in _CASUALTY_SHARE.finditer(text, lo, hi)]
    for m in _VICTIM_AR.finditer(text, lo, hi):  # «سقوط قتيل وجريحين»
        if any(a <= m.start() < b for a, b in shares):
            continue
        n = 2 if m.group("two") or m.group("inj2") else 1
        what = "injured" if m.group("inj") or m.group("inj2") else "killed"
        out.append((m.start(), m.end(), Count(n, n, n, what, "")))
    for m in _CASUALTY_EN.finditer(text, lo, hi):
        what = "injured" if m.group("inj") or m.group("inj2") else "killed"
        more = _AND_KIN_EN.match(text, m.end(), hi)  # "killing a woman and her son"
        n, end = (2, more.end()) if more else (1, m.end())
        out.append((m.start(), end, Count(n, n, n, what, "")))
    return out


def find_counts(text: str) -> tuple[Count, ...]:
    """Numbers reported in ``text`` with hedges resolved (``surface`` is the original phrase)."""
    f = fold(text)
    return tuple(
        replace(c, surface=text[slice(*f.span(s, e))]) for s, e, c in counts_in(f.text, 0, len(f.text))
    )
