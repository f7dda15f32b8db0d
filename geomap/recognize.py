"""Document -> Mentions: find every place mention in Arabic or English text.

Matching runs on the folded text (``normalize.fold``) with one Aho-Corasick automaton per
script over the gazetteer's keys. A hit must end at a word boundary and may be preceded,
inside its word, only by a valid chain of proclitics (و ف، ب ل ك، ال، لل …); longer hits
win over the hits they overlap. Region phrases are parsed on top of the hits: countrysides
(ريف / ريفي / أرياف + governorate + directions, with coordination), features (جبهة، محور،
أطراف، قرية …), containment chains (… في سهل الغاب بريف حماة) and organisation names,
which hide the places inside them.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from geomap.gazetteer import Gazetteer, distance_km
from geomap.model import AREA_KINDS, Candidate, Document, Mention, Place
from geomap.normalize import (
    EN_ARTICLES,
    Folded,
    fold_document,
    fold_key,
    lexicon_pattern,
    strip_latin_articles,
)

# ---------------------------------------------------------------- clitics


def _proclitics() -> frozenset[str]:
    out = set()
    for conj in ("", "و", "ف"):
        for prep in ("", "ب", "ك", "ل"):
            for art in ("", "ال"):
                if prep == "ل" and art:
                    out.add(conj + "لل")  # ل + ال -> لل
                out.add(conj + prep + art)
    return frozenset(out)


PROCLITICS = _proclitics()
_ARABIC_RE = re.compile("[\u0600-\u06ff]")
_LATIN_RE = re.compile("[a-z]")
_WORD = re.compile(r"\w+")

# Direction adjectives (folded) -> direction names of the countryside table.
_DIR_WORDS = {"شمالي": "north", "جنوبي": "south", "شرقي": "east", "غربي": "west"}
_COMPOUND = {
    ("north", "east"): "north-east",
    ("north", "west"): "north-west",
    ("south", "east"): "south-east",
    ("south", "west"): "south-west",
}
_DIR_AR = {
    "north": "الشمالي",
    "south": "الجنوبي",
    "east": "الشرقي",
    "west": "الغربي",
    "north-east": "الشمالي الشرقي",
    "north-west": "الشمالي الغربي",
    "south-east": "الجنوبي الشرقي",
    "south-west": "الجنوبي الغربي",
}
_D = r"(شمالي|جنوبي|شرقي|غربي)(?:ه)?(?!\w)"  # a direction adjective, masculine or feminine
_DIR_RE = re.compile(rf" (?:ال)?{_D}(?: (?:ال)?{_D})?")
_DIR_AND_RE = re.compile(rf" و(?:ال)?{_D}(?: (?:ال)?{_D})?")
#: «الريف الغربي لحلب», «شمال ريف حماة»: other ways to name a countryside part.
_RIF_DIR_OF_RE = re.compile(
    rf"(?<!\w)[وفبلك]{{0,2}}(?:ال)?(?:ريف|ريفين) (?:ال)?{_D}(?: (?:ال)?{_D})?(?: و(?:ال)?{_D}(?: (?:ال)?{_D})?)? (?:في )?"
)
#: «ريفها الشرقي», «وريفها»: the countryside of the city or governorate named just before.
_RIF_PRONOUN_RE = re.compile(rf"(?<!\w)[وفبلك]{{0,2}}ريف(?:ها|يها)(?: (?:ال)?{_D}(?: (?:ال)?{_D})?)?(?!\w)")
_DIR_OF_RIF_RE = re.compile(r"(?<!\w)[وفب]?(شمال|جنوب|شرق|غرب)(?:ي)?(?: (شرق|غرب)(?:ي)?)? (?=(?:ال)?ريف )")
_WIND = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}
#: After a name, the area that holds it (folded text): «بريف», «في سهل», «بمنطقة» …
_CONTAINER_AFTER = re.compile(r" (?:في |ب)(?:ال)?(?:ريفي?|ارياف|سهل|جبل|وادي|باديه|منطقه|ناحيه|محافظه) ")
_IN_AFTER = re.compile(r" (في |(?:شمال|جنوب|شرق|غرب)(?:ي)? )?")
_CONTAINER_KINDS = frozenset(
    {"governorate", "district", "subdistrict", "city", "countryside", "plain", "mountain", "valley", "region"}
)
_RIF_RE = re.compile(r"(?<!\w)([وفبلك]{0,2})(?:ال)?(ريفي|ريف|ارياف) ")
#: Adjectives after a settlement word (folded, no article): «مخيم عشوائي», «قرية مجاورة».
_SLOT_ADJECTIVE = lexicon_pattern(
    r"(?:عشوائي|مؤقت|جديد|قديم|كبير|صغير|مجاور|قريب|بعيد|نائي|حدودي|رسمي|مكتظ|محاصر|واحد|اخر"
    r"|ثاني|ثالث|مدمر|منكوب|آمن|شمالي|جنوبي|شرقي|غربي|سوري|تركي|كردي|عربي|روسي|ايراني|واقع"
    r"|ال(?:سوري|تركي|كردي|عربي|روسي|ايراني|لبناني|عراقي|اردني|حدودي|مجاور|قريب))(?:ة|ين|ات)?"
)
_BACKED_BY = lexicon_pattern(r"(?<!\w)(?:ال)?(?:مدعوم\w*|بدعم|دعم|حليف\w*|حليفه) (?:من )?$")
_NEXT_ARABIC_WORD = re.compile(r" (\w+)")
_GAP_DIRECTION = re.compile(r"(?:شمال|جنوب|شرق|غرب)")
_LINK_RE = re.compile(
    r" ?[،,]? ?(?:(?:في|ضمن|داخل|وسط|التابعه ل|التابع ل|(?:ب|في )?(?:شمال|جنوب|شرق|غرب)(?:ي)?(?: (?:شرق|غرب)(?:ي)?)?"
    r"|in|of|near|,) ?)?"
)
_EN_DIRECTIONS = {
    "northern": "north",
    "southern": "south",
    "eastern": "east",
    "western": "west",
    "north-western": "north-west",
    "north-eastern": "north-east",
    "south-western": "south-west",
    "south-eastern": "south-east",
    "northwestern": "north-west",
    "northeastern": "north-east",
    "southwestern": "south-west",
    "southeastern": "south-east",
}
_EN_DIR_AND_RE = re.compile(
    r"\b(northern|southern|eastern|western|north ?western|north ?eastern|south ?western|south ?eastern) and $"
)

# Words that, right before a place, say what the phrase names (folded, without clitics).
FEATURES_AR = {
    "جبهه": "front",
    "جبهات": "front",
    "محور": "axis",
    "محاور": "axis",
    "اطراف": "outskirts",
    "محيط": "vicinity",
    "ضواحي": "outskirts",
    "مشارف": "outskirts",
    "تخوم": "outskirts",
    "خراج": "outskirts",
    "قرب": "near",
    "مقربه": "near",
    "قريه": "village",
    "قريتي": "village",
    "قري": "village",
    "بلده": "town",
    "بلدتي": "town",
    "بلدات": "town",
    "مدينه": "city",
    "مدينتي": "city",
    "ناحيه": "subdistrict",
    "منطقه": "area",
    "مخيم": "camp",
    "حي": "neighbourhood",
    "حيي": "neighbourhood",
    "احياء": "neighbourhood",
    "معبر": "crossing",
    "تله": "hill",
    "تلال": "hill",
    "مطار": "airport",
    "محافظه": "governorate",
    "جنوب": "south of",
    "شمال": "north of",
    "شرق": "east of",
    "غرب": "west of",
    "مدخل": "near",
    "اتجاه": "near",
}


def _clitic_features() -> dict[str, str]:
    """Each feature word with each chain of proclitics («وبمحيط», «لقرية») -> the feature word;
    a form that two splits give belongs to the longer clitic."""
    out: dict[str, str] = {}
    for clitic in sorted((c for c in PROCLITICS if c), key=len, reverse=True):
        for word in FEATURES_AR:
            out.setdefault(clitic + word, word)
    return out


_CLITIC_FEATURES = _clitic_features()
_SETTLEMENT = frozenset({"village", "town", "city"})
#: Words this frequent (على، من، في) are never places, whatever the cue.
_FUNCTION_WORD_ZIPF = 6.0
#: Words this frequent (جديدة، كبيرة) are places only after a word of place, whatever follows them.
_VERY_COMMON = 5.0
FEATURES_EN = {
    "near": "near",
    "outskirts": "outskirts",
    "vicinity": "vicinity",
    "around": "vicinity",
    "north": "north of",
    "south": "south of",
    "east": "east of",
    "west": "west of",
    "village": "village",
    "town": "town",
    "city": "city",
    "camp": "camp",
    "front": "front",
    "axis": "axis",
    "countryside": "countryside",
}
#: A foreign nationality right after a name: the name is a person's title («السفيرة الأمريكية»).
_FOREIGN_ADJECTIVE = re.compile(
    r" ال(?:امريكي|اميركي|روسي|تركي|فرنسي|بريطاني|ايراني|اسرائيلي|الماني|اممي|اوروبي|مصري|لبناني|اردني"
    r"|عراقي|سعودي|قطري|اماراتي|صيني)(?:ه|ين|ون)?(?!\w)"
)
#: Nouns of time whose complement is an event («بداية الثورة»), never a place.
_TIME_HEADS = frozenset("بدايه بدء مطلع اندلاع انطلاق انطلاقه ذكري عمر قيام عسكره".split())
#: A word with the article (and a clitic): «المدينة», «بالبلدة», «للقرية».
_DEFINITE = re.compile(r"[وفبك]?(?:ال|لل)")
#: Features that say where about a place they are («أطراف من X» like «أطراف X»).
_RELATIONS = frozenset({"front", "axis", "outskirts", "vicinity", "near"})
#: Features that make a common word a place («قرية النصر», «جبهة الكبينة»).
_CUES = frozenset(
    {
        "front",
        "axis",
        "outskirts",
        "vicinity",
        "near",
        "village",
        "town",
        "city",
        "camp",
        "neighbourhood",
        "subdistrict",
        "governorate",
        "crossing",
        "airport",
        "hill",
    }
)
#: «قرية X», «بلدتي X», «حي X» …: a settlement word and the name after it (one word, or two after a
#: naming head). «القرية» with the article refers back to a village named before: it names none.
_SETTLEMENT_SLOT_RE = re.compile(
    r"(?<!\w)[وفبل]{0,2}(?P<cue>قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|مزرعه|مخيم|حي)"
    r" (?P<name>(?:ال)?[\w\u0654\u0655]{2,}(?: [\w\u0654\u0655]{2,})?)"
)
_FACILITY_SLOT_RE = re.compile(
    r"(?<!\w)[وفبل]{0,2}(?P<cue>معبر|تله|مطار) (?P<name>ال[\w\u0654\u0655]{3,})(?!\w)"
)
_FACILITY_ADJECTIVE = re.compile(
    r"ال(?:عسكري|دولي|مدني|حربي|جوي|نفطي|استراتيجي|حدودي|رئيسي|شرقي|غربي|شمالي|جنوبي)(?:ه)?"
)
#: An adjective after a noun: the article and a nisba or feminine ending («السورية», «الشعبي»).
_ADJECTIVE_RE = re.compile(r" ال(\w{2,}(?:ي|يه|ه))(?!\w)")
#: Adjectives that describe a place, not a common noun («الرقة المحاصرة», «الطبقة الاستراتيجية»).
_PLACE_ADJECTIVE = re.compile(
    r"(?:محاصر|محرر|استراتيجي|حدودي|قديم|جديد|منكوب|مدمر|خاضع|واقع|مجاور|قريب|بعيد|عسكري|شرقي|غربي"
    r"|شمالي|جنوبي|ساحلي|جبلي|مطل|مذكور)(?:ه|ين|ات)?$"
)
_DIRECTION_WORDS = frozenset(
    w + end for w in ("شمال", "جنوب", "شرق", "غرب") for end in ("ي", "يه")
) | frozenset({"قبلي", "قبليه"})
_LIST_SLOT_RE = re.compile(r" (?P<item>و(?P<name>\w{3,})) ")
#: Words that begin compound names (تل الملح، كفر عين، عين الحور): a known name right after one is
#: part of a compound the gazetteer lacks, not that name.
_NAME_HEADS = frozenset(
    {
        "تل",
        "تلول",
        "كفر",
        "عين",
        "دير",
        "خربه",
        "جبل",
        "ابو",
        "ام",
        "بير",
        "بئر",
        "راس",
        "بيت",
        "معره",
        "مزرعه",
        "قصر",
        "وادي",
        "جسر",
        "سهل",
        "تله",
        "نهر",
        "سد",
        "جب",
        "حي",
        "شارع",
        "باب",
        "ساحه",
        "دوار",
    }
)
#: Generic head words that gazetteer keys may carry (منطقة درع الفرات، محافظة إدلب).
_NAME_HEAD_WORDS = frozenset({"منطقه", "مناطق", "محافظه", "مدينه", "ناحيه", "بلده", "قريه"})
#: Features that are part of the name as reported (محافظة إدلب, مدينة حلب): they stay in the surface.
_HEAD_FEATURES = frozenset({"governorate", "city", "town", "village", "subdistrict"})
_KIND_HINTS = {
    "village": "village",
    "town": "town",
    "city": "city",
    "subdistrict": "subdistrict",
    "governorate": "governorate",
    "camp": "camp",
    "neighbourhood": "neighbourhood",
    "crossing": "town",  # a crossing, an airbase, a hill: by a settlement, never a governorate
    "airport": "town",
    "hill": "village",
}

# Organisations and other names that contain a place name but are not places (folded).
# Written here from general knowledge of the actors in Syrian reporting.
_ORGS_AR = (
    "قوات سوريا الديمقراطيه",
    "سوريا الديمقراطيه",
    "تلفزيون سوريا",
    "المرصد السوري",
    "الجيش السوري",
    "هيئه تحرير الشام",
    "تحرير الشام",
    "احرار الشام",
    "فيلق الشام",
    "جبهه فتح الشام",
    "فتح الشام",
    "جيش الشام",
    "اهل الشام",
    "جبهه انصار الدين",
    "جيش العزه",
    "جيش ادلب الحر",
    "جيش حلب",
    "جيش النصر",
    "صقور الشام",
    "ثوار الشام",
    "نور الدين الزنكي",
    "الجبهه الشاميه",
    "لواء القدس",
    "فيلق حمص",
    "جيش الاسلام",
    "حزب الله",
    "الحرس الثوري",
    "الدفاع المدني",
    "الخوذ البيضاء",
    "وكاله الانباء",
    "الجزيره",
    "العربيه",
    "سانا",
    "فرانس برس",
    "رويترز",
    "الاناضول",
    "القدس العربي",
    "الشرق الاوسط",
    "سوريا اليوم",
    "روسيا اليوم",
    "حلب اليوم",
    "دمشق الان",
    "الائتلاف الوطني السوري",
    "الحكومه السوريه المؤقته",
    "الجيش الوطني السوري",
    "الجيش الحر",
    "تنظيم الدوله",
    "الدوله الاسلاميه",
    "الهلال الاحمر",
    "منسقو استجابه سوريا",
    "شبكه شام",
    "مركز حماه الاعلامي",
    "مركز ادلب الاعلامي",
)
_ORGS_EN = (
    "syrian democratic forces",
    "syrian observatory",
    "syrian arab army",
    "syria tv",
    "hayat tahrir al sham",
    "tahrir al sham",
    "ahrar al sham",
    "faylaq al sham",
    "jaysh al islam",
    "jabhat fatah al sham",
    "syrian national army",
    "free syrian army",
    "islamic state",
    "syrian civil defence",
    "white helmets",
    "al jazeera",
    "al arabiya",
    "russia today",
    "hezbollah",
    "syrian arab news agency",
)
#: A name right after one of these words names an organisation («قناة الميادين», «جيش إدلب الحر»).
_ORG_HEADS_AR = frozenset(
    "قوات جيش هيئه حركه فيلق لواء الويه كتائب كتيبه فرقه تلفزيون قناه اذاعه وكاله صحيفه مجلس تجمع عمليات"
    " تنسيقيه شبكه اتحاد رابطه".split()
)
#: Words between an organisation head and its place («تجمع أحرار حوران», «لواء شهداء اليرموك»).
_ORG_MIDDLE = frozenset("احرار تحرير ثوار شهداء صقور فرسان اسود ابناء درع حماه".split())
#: A name right after a verb of saying is its subject, a person («أضاف جاسم», «قال الشيخ أحمد»).
_SPEECH_AR = frozenset(
    "قال قالت اضاف اضافت اكد اكدت اوضح اوضحت اشار اشارت ذكر ذكرت صرح صرحت تابع تابعت افاد افادت".split()
)
#: Titles before a person's name (folded): «الناشط جاسم محمد», «العقيد قاسم …».
_PERSON_TITLES_AR = frozenset(
    "الناشط الناشطه الصحفي الصحفيه المراسل المراسله الاعلامي القيادي القائد الشيخ الشهيد العقيد اللواء"
    " العميد الرائد النقيب الملازم المقدم الدكتور الطبيب المحامي الاستاذ الحاج السيد المواطن الطفل"
    " الشاب المسن المعارض المتحدث الناطق".split()
)


@dataclass
class _Hit:
    start: int  # folded start of the word (clitics included)
    kstart: int  # folded start of the key
    end: int  # folded end (exclusive)
    key: str
    lang: str
    ids: list[str] = field(default_factory=list)


@dataclass
class _Span:
    """A mention under construction, in folded offsets."""

    start: int
    end: int
    name: str | None  # None: the name as written, from name_start to end
    keys: tuple[str, ...]
    ids: tuple[str, ...]
    kind_hint: str | None = None
    feature: str = ""
    chain: list[int] = field(default_factory=list)  # indices of containing spans
    name_start: int = 0
    scores: tuple[float, ...] = ()  # match score per id (1.0 exact) when not all exact
    article: bool = False  # the name lost its article to a لل clitic
    within: tuple[str, ...] = ()  # a city the phrase puts it in by an adjective («حي جوبر الدمشقي»)


_DUAL_CUE = re.compile(r"[وفبل]{0,2}(?:مدينتي|بلدتي|قريتي|حيي|مخيمي) ")


def _dual_cues(text: str, spans: list[_Span]) -> None:
    """«مدينتي الرقة والحسكة»: the kind a dual names is the second name's too."""
    for a, b in zip(spans, spans[1:], strict=False):
        joined = (
            text[a.end : b.start] == " و"
            or text[a.end : b.start] == " "
            and text[b.start : b.start + 1] == "و"
        )
        if a.kind_hint and not b.kind_hint and joined and _DUAL_CUE.match(text, a.start):
            b.kind_hint = a.kind_hint


def _bare_head(h: _Hit) -> bool:
    """A naming head written alone, no clitic or article («باب», «تل»): a name's first word."""
    return h.start == h.kstart and h.key in _NAME_HEADS


def _is_word(ch: str) -> bool:
    # the folded hamza of ئ/ؤ (U+0654/U+0655) is part of its word: «الرائعين» holds no «عين»
    return ch.isalnum() or ch in "_\u0654\u0655"


def _gazetteer_hits(folded: str, gaz: Gazetteer, lang: str) -> list[_Hit]:
    auto = gaz.automaton(lang)
    hits: list[_Hit] = []
    n = len(folded)
    for last, key in auto.iter(folded):
        end = last + 1
        kstart = end - len(key)
        if end < n and _is_word(folded[end]):
            continue
        if lang == "ar":
            wstart = kstart
            while wstart > 0 and _is_word(folded[wstart - 1]):
                wstart -= 1
            if folded[wstart:kstart] not in PROCLITICS:
                continue
        else:
            wstart = kstart
            if kstart > 0 and _is_word(folded[kstart - 1]):
                continue
        hits.append(_Hit(wstart, kstart, end, key, lang))
    return hits


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Longest key first; drop hits that overlap a chosen one; then in text order."""
    chosen: list[_Hit] = []
    taken: set[int] = set()
    for h in sorted(hits, key=lambda h: (-(h.end - h.kstart), h.kstart)):
        span = range(h.start, h.end)
        if any(i in taken for i in span):
            continue
        chosen.append(h)
        taken.update(span)
    return sorted(chosen, key=lambda h: h.start)


def _org_re(names: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<!\w)[وفبلك]{0,2}(?:" + alternation + r")(?!\w)")


#: Organisations named by a pattern: «مركز حلب الإعلامي», «موقع دير الزور 24», «الإدارة الذاتية
#: لشمال وشرق سوريا».
_ORG_SHAPES_AR = (
    r"(?<!\w)[وفبلك]{0,2}(?:ال)?مركز \S+(?: \S+)? (?:ال)?(?:اعلامي|طبي|صحي|حقوقي|ثقافي|اغاثي)(?!\w)"
    r"|(?<!\w)[وفبلك]{0,2}(?:موقع|شبكه|صفحه|اذاعه|راديو) \S+(?: \S+)? \d+(?!\w)"
    r"|(?<!\w)[وفبلك]{0,2}(?:ال)?اداره (?:ال)?ذاتيه ل\S+(?: (?:و?(?:شمال|جنوب|شرق|غرب)|سوريا|سوريه))*"
)
_ORG_SHAPE_RE = re.compile(_ORG_SHAPES_AR)
_ORG_SHAPE_WORDS = ("مركز", "موقع", "شبكه", "صفحه", "اذاعه", "راديو", "ذاتيه")
_ORG_RES = {"ar": _org_re(_ORGS_AR), "en": _org_re(_ORGS_EN)}
#: Organisation words after a name: "Manbij Military Council", "Hama Media Center", "Sham Legion".
_EN_ORG_AFTER = re.compile(
    r"(?: [A-Z]\S*)? (?:(?:Military|Local|Revolutionary|Civil|Health|Provincial) Council|(?:Media|Press|News) (?:Cent(?:er|re)|Office)"
    r"|(?:Health|Education) Directorate|Legion|Brigades?|Battalion|Army"
    r"|Direct|Deeply|Today|TV|Television|Radio|Network|News|Times|Post|Observer)\b"
)


#: Arabic faction words in English before a name: "Jaysh al-Islam", "Liwa Shuhada Yarmouk".
_EN_FACTION_BEFORE = re.compile(
    r"\b(?:Maghawir|Jaysh|Jaish|Liwa|Harakat|Faylaq|Failaq|Ahrar|Jabhat|Kataib|Katibat|Tajammu|Firqat"
    r"|Alwiyat|Shuhada|Suqour|Thuwar)(?: \w+)?[ -](?:al[ -]|el[ -]|ash[ -]|as[ -]|ar[ -])?$"
)


def _english_org(original: str, start: int, end: int) -> bool:
    """The name is part of an organisation's: "Free Idlib Army", "Manbij Military Council",
    "Maghawir al-Thawra", "Liwa Suqour al-Sham"."""
    if _EN_FACTION_BEFORE.search(original, max(0, start - 30), start):
        return True
    after = _EN_ORG_AFTER.match(original, end)
    if after is None:
        return False
    # "the Syrian Arab Army" is the army; "Free Idlib Army" a faction's name
    return not after.group(0).endswith("Army") or original[max(0, start - 5) : start] == "Free "


_EN_KIND_AFTER = re.compile(
    r" (?:and \w+(?: \w+)? )?(city|town|village|province|provinces|governorate|governorates|district|districts)\b"
)
_EN_KIND_AFTER_HINT = {
    "city": "city",
    "town": "town",
    "village": "village",
    "province": "governorate",
    "provinces": "governorate",
    "governorate": "governorate",
    "governorates": "governorate",
    "district": "district",
    "districts": "district",
}
_EN_NAME_PARTS = re.compile(r"[\s\-\u2010\u2011'\u2019]+")
#: Capitalised words that begin sentences or titles, not names.
_EN_FUNCTION_WORDS = frozenset(
    "in on at from to near and of by for with after before as while when the a an but or if since during "
    "into across around outside inside between through toward towards".split()
)


#: English heads of compound names ("Tell Aran", "Kafr Sajna", "Deir Jamal").
_EN_HEADS = frozenset(
    "tal tall tell kafr kfar deir dayr ain ayn ein ras abu um umm jabal jebel sheikh shaykh khan bir beit bayt qasr"
    " khirbet khirbat kherbet tel".split()
)


_NEXT_WORD = re.compile(r"[ -]([A-Za-z])")
#: Words before "eastern Aleppo" that make it the city's east, not the eastern countryside.
_EN_URBAN_BEFORE = re.compile(r"(?:rebel held|besieged|districts? of|neighbou?rhoods? of|parts? of|city s) $")
#: A capitalised name (one or two words, an article allowed) after a word that says where.
_EN_UNKNOWN_NAME = re.compile(
    r"\b(?:in|near|from|to|towards|outside|around|on|hit|struck|shelled|bombed|captured|seized|entered"
    r"|town of|village of|city of|district of|neighbou?rhood of) (?:the )?"
    r"(?P<name>(?:(?:al|el|ash|as|ad|ar|at|az|an)-)?[A-Z][a-z'’]+(?:[ -](?:(?:al|el|ash|as|ad|ar|at|az|an)-)?[A-Z][a-z'’]+)?)"
)
_ROAD_BEFORE = re.compile(r"(?:طريق|(?:ال)?طريق (?:ال)?دولي|(?:ال)?اوت?وستراد|road|highway) $")


def _english_head_of_unknown(text: str, original: str, folded: Folded, h: _Hit) -> bool:
    """ "Tell Aran": a head word followed by a capitalised word is a compound the gazetteer lacks."""
    if h.key not in _EN_HEADS:
        return False
    m = _NEXT_WORD.match(original, folded.span(h.kstart, h.end)[1])
    return m is not None and m.group(1).isupper()


def _without_possessives(text: str, original: str, folded: Folded) -> str:
    """The folded text with the s of every English possessive blanked ("Idlib's" -> "idlib  ")."""
    if "'s" not in original and "\u2019s" not in original:
        return text
    chars = list(text)
    for m in re.finditer(r"['\u2019]s\b(?! (?:north|south|east|west)\w* countryside| countryside)", original):
        k = bisect_left(folded.index, m.start() + 1)
        if k < len(chars) and chars[k] == "s":
            chars[k] = " "
    return "".join(chars)


def _outside(hits: list[_Hit], blocked: list[tuple[int, int]]) -> list[_Hit]:
    """Hits not inside any blocked span (organisation names)."""
    if not blocked:
        return hits
    inside = {i for s, e in blocked for i in range(s, e)}
    return [h for h in hits if not (h.kstart in inside and h.end - 1 in inside)]


def _blocked_spans(folded: str, lang: str) -> list[tuple[int, int]]:
    """Spans of organisation names, whose place names are not places."""
    spans = [m.span() for m in _ORG_RES[lang].finditer(folded)]
    if lang == "ar" and any(w in folded for w in _ORG_SHAPE_WORDS):  # the shapes only where they may be
        spans += [m.span() for m in _ORG_SHAPE_RE.finditer(folded)]
    return spans


def _prev_word(folded: str, pos: int) -> tuple[str, int]:
    """The word before ``pos`` (skipping one space), without clitics, and where it starts."""
    j = pos - 1
    if j < 0 or folded[j] != " ":
        return "", pos
    k = j
    while k > 0 and _is_word(folded[k - 1]):
        k -= 1
    word = folded[k:j]
    if word in ("من", "of") and k > 1:  # «بالقرب من X», «على مقربة من X», "outskirts of X"
        before, kb = _prev_word(folded, k)
        # «بالقرب من X» but not «البلدة من أبرز …»: a kind of place is not followed by من
        if FEATURES_AR.get(before) in _RELATIONS or before in FEATURES_EN:
            return before, kb
    if word in FEATURES_EN:
        return word, k
    if word not in FEATURES_AR:
        return _CLITIC_FEATURES.get(word, word), k
    return word, k


class Recognizer:
    """Finds place mentions in a document with a gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.common = gazetteer.meta.get("common_keys", {})
        self.forms = gazetteer.meta.get("common_forms", {})
        self.nisbas: dict[str, str] = gazetteer.meta.get("city_nisbas", {})
        self._articles: dict[tuple[str, str | None], bool] = {}
        self._with_article: dict[str, frozenset[str]] = {}

    def __call__(self, doc: Document) -> list[Mention]:
        return self.recognize(doc)

    def recognize(self, doc: Document) -> list[Mention]:
        folded = fold_document(doc.text)
        spans: list[_Span] = []
        has_arabic = _ARABIC_RE.search(folded.text) is not None
        has_latin = _LATIN_RE.search(folded.text) is not None
        if has_arabic:
            spans += self._arabic(folded.text)
        if has_latin:
            spans += self._english(folded.text, doc.text, folded)
        spans = [s for s in spans if not self._adverb(doc.text, folded, s)]
        spans.sort(key=lambda s: (s.start, s.end))
        _dual_cues(folded.text, spans)
        self._city_adjectives(folded.text, spans)
        self._chains(folded.text, spans, doc.text, folded)
        return [self._mention(doc, folded, s) for s in spans]

    # ------------------------------------------------------------ Arabic

    def _arabic(self, text: str) -> list[_Span]:
        gaz = self.gaz
        hits = _select(_outside(_gazetteer_hits(text, gaz, "ar"), _blocked_spans(text, "ar")))
        hits = self._list_items_with_and(text, hits)
        for h in hits:
            h.ids = gaz.keys_ar[h.key]
        by_start = {h.start: h for h in hits}
        covered = {i for h in hits for i in range(h.start, h.end)}
        by_end = {h.end: h for h in hits}
        used: set[int] = set()
        spans: list[_Span] = []

        spans += self._countryside_phrases(text, by_start, used)
        # countrysides: (clitics)ريف|ريفي|أرياف + governorate (+ directions), coordinated with و
        for m in _RIF_RE.finditer(text):
            if m.start() in covered:
                continue  # ريف دمشق and other names that begin with ريف
            rif_start = m.start()
            pos = m.end()
            if text.startswith(("مدينه ", "بلده "), pos) and text.index(" ", pos) + 1 in by_start:
                pos = text.index(" ", pos) + 1  # «ريف مدينة عين العرب»: the countryside of the city
            first = True
            while True:
                h = by_start.get(pos) if first else None
                if not first:
                    if text.startswith("و", pos):
                        h = by_start.get(pos)
                        if h is None or not h.key or text[h.start : h.kstart] not in ("و", "وال"):
                            break
                    else:
                        break
                if h is None or id(h) in used:
                    break
                gov = (
                    self._governorate_of(h)
                    or self._district_countryside_of(h)
                    or self._countryside_of_city(h)
                )
                if gov is None:
                    # ريف + a town: the district it is the seat of, else the town's surroundings
                    if first:
                        used.add(id(h))
                        districts = tuple(i for i in h.ids if gaz.places[i].kind == "district")
                        _, end = self._directions(text, h.end)
                        spans.append(
                            _Span(
                                rif_start,
                                end,
                                "ريف " + text[h.kstart : h.end],
                                (h.key,),
                                districts or tuple(h.ids),
                                kind_hint=None,
                                feature="" if districts else "countryside",
                            )
                        )
                    break
                used.add(id(h))
                dirs, end = self._directions(text, h.end)
                base = f"geomap:countryside/{gov}"
                gov_name = self.gaz.places[gov].name_ar
                if not dirs:
                    ids = (base,) if base in gaz.places else (gov,)
                    spans.append(
                        _Span(rif_start, end, f"ريف {gov_name}", (h.key,), ids, kind_hint="countryside")
                    )
                for d in dirs:
                    pid = f"{base}/{d}"
                    ids = (pid,) if pid in gaz.places else ((base,) if base in gaz.places else (gov,))
                    spans.append(
                        _Span(
                            rif_start,
                            end,
                            f"ريف {gov_name} {_DIR_AR[d]}",
                            (h.key,),
                            ids,
                            kind_hint="countryside",
                        )
                    )
                # the surface of coordinated forms covers the whole phrase
                for s in reversed(spans):
                    if s.start != rif_start:
                        break
                    s.end = max(s.end, end)
                pos = end + 1
                first = False

        for h in hits:
            if id(h) in used or h.key in FEATURES_AR or h.key in _NAME_HEAD_WORDS:
                continue  # «مدينة», «قرية», «جبهة» are what a phrase names, not places
            start = h.start
            feature, fstart = _prev_word(text, h.start)
            feat = FEATURES_AR.get(feature, "")
            if feat not in _RELATIONS and _DEFINITE.match(text, fstart):
                feat = ""  # «تتعرض أحياء المدينة للقصف»: "the city" names nothing after it
            if feat in _HEAD_FEATURES:
                start = fstart
            if self.common.get(h.key, 0.0) >= _FUNCTION_WORD_ZIPF:
                continue
            if feat not in _CUES and (self._ordinary_word(text, h) or self._common_noun_phrase(text, h)):
                continue
            if not feat and self._names_no_place(text, h, feature):
                continue
            if _BACKED_BY.search(text, max(0, h.start - 20), h.start) and any(
                self.gaz.places[i].kind == "country" for i in h.ids
            ):
                continue  # «الفصائل المدعومة من تركيا»: a backer, not a place
            if (
                feat not in _CUES
                and self._needs_cue(h)
                and not self._coordinated(text, h, by_end)
                and not (
                    self.common.get(h.key, 0.0) < _VERY_COMMON and self._contained_after(text, h, by_start)
                )
            ):
                continue  # «معركة جديدة في ريف حماة»: a word this common needs a word of place before it
            if not feat and self._inside_unknown_compound(text, h):
                continue
            if feat in ("", *_RELATIONS) and self._needs_cue(h) and self._heads_a_construct(text, h):
                continue  # «قرب حقل العمر»: a field, not the village «حقل»
            if _FOREIGN_ADJECTIVE.match(text, h.end) and all(
                self.gaz.places[i].kind in (*_SETTLEMENT, "subdistrict", "district", "neighbourhood")
                for i in h.ids
            ):
                # «السفيرة الأمريكية»: an ambassador, not As-Safira (but «هاتاي التركية», «عملية نبع
                # السلام التركية»)
                continue
            if _DEFINITE.match(text, fstart) and FEATURES_AR.get(feature) and self._adjective(text, h):
                continue  # «التلال المطلة على …»: overlooking hills, not the village «المطلة»
            if _bare_head(h) and _NEXT_ARABIC_WORD.match(text, h.end):
                nxt = h.end + 1
                if not _is_function_word(text[nxt : text.find(" ", nxt) % (len(text) + 1)]):
                    continue  # «حي باب الجابية»: the head of a name the gazetteer lacks, not «الباب»
            if text[h.start : h.kstart].endswith(("ال", "لل")):
                h.ids = self._article_ok(h)
                if not h.ids:
                    continue
            prefix = text[h.start : h.kstart]
            head = h.key.split(" ", 1)[0]
            if head in _NAME_HEAD_WORDS and h.key[len(head) + 1 :] in gaz.keys_ar:
                # «منطقة درع الفرات»: the head word stays in the surface, not in the name
                h = _Hit(h.start, h.kstart + len(head) + 1, h.end, h.key, h.lang, h.ids)
                prefix = ""
            spans.append(
                _Span(
                    start,
                    h.end,
                    None,
                    (h.key,),
                    tuple(h.ids),
                    kind_hint=_KIND_HINTS.get(feat),
                    feature="" if feat in _HEAD_FEATURES else feat,
                    name_start=h.kstart - 2 if prefix.endswith("ال") else h.kstart,
                    article=prefix.endswith("لل"),
                )
            )
            country = [i.split("/") for i in h.ids if i.startswith("geomap:countryside/")]
            first = _DIR_RE.match(text, h.end) if country and all(len(c) == 2 for c in country) else None
            if first:  # «ريف حماة الشمالية»: a part the gazetteer spells otherwise
                direction = _direction(first.group(1), first.group(2))
                spans[-1] = self._countryside_span(start, first.end(), country[0][1], direction)
                used.update(id(o) for o in hits if h.end <= o.start < first.end())
                country = [[*country[0], direction]]
                h = _Hit(h.start, h.kstart, first.end(), h.key, h.lang, h.ids)
            parts = [c for c in country if len(c) == 3]
            more = _DIR_AND_RE.match(text, h.end) if parts else None
            if more:  # «ريف إدلب الجنوبي والشرقي», the first part a name of its own: one referent each
                spans[-1].end = more.end()
                spans.append(
                    self._countryside_span(
                        start, more.end(), parts[0][1], _direction(more.group(1), more.group(2))
                    )
                )
        spans += self._unknown_settlements(text, hits)
        return spans

    def _countryside_phrases(self, text: str, by_start: dict[int, _Hit], used: set[int]) -> list[_Span]:
        """Countryside parts named other ways: «الريف الغربي لحلب», «شمال ريف حماة» (the gazetteer
        names «الريف الإدلبي الجنوبي» itself)."""
        out: list[_Span] = []
        for m in _RIF_DIR_OF_RE.finditer(text):
            at = [m.end()]
            if text.startswith(("لمدينه ", "لبلده "), m.end()):  # «لمدينة منبج»
                at.append(text.index(" ", m.end()) + 1)
            h, gov = None, None
            for pos in at:
                h = by_start.get(pos)
                gov = (self._governorate_of(h) or self._countryside_of_city(h)) if h else None
                if gov:
                    break
            end = h.end if h is not None and gov is not None and id(h) not in used else None
            if end is not None:
                used.add(id(h))
            elif gov is None:
                # «مدينة حمص، كما تعرضت بلدات في الريف الشمالي»: the city or governorate just named
                gov, end = self._owner_before(text, by_start, m.start()), m.end() - 1
                if text.endswith(" في", 0, end):
                    end -= 3
            if gov is not None and end is not None:
                out.append(self._countryside_span(m.start(), end, gov, _direction(m.group(1), m.group(2))))
                if m.group(3):  # «الريفين الشمالي والغربي لحماة»
                    out.append(
                        self._countryside_span(m.start(), end, gov, _direction(m.group(3), m.group(4)))
                    )
        for m in _RIF_PRONOUN_RE.finditer(text):
            owner = self._owner_before(text, by_start, m.start())
            if owner is not None:
                direction = _direction(m.group(1), m.group(2)) if m.group(1) else ""
                out.append(self._countryside_span(m.start(), m.end(), owner, direction))
        for m in _DIR_OF_RIF_RE.finditer(text):
            h = by_start.get(m.end())
            bases = [
                i for i in (h.ids if h else ()) if i.startswith("geomap:countryside/") and i.count("/") == 1
            ]
            gov = bases[0].split("/")[1] if bases else None
            if h is not None and gov is not None and id(h) not in used:
                used.add(id(h))
                d1 = _WIND[m.group(1)]
                direction = _COMPOUND.get((d1, _WIND[m.group(2)]), d1) if m.group(2) else d1
                out.append(self._countryside_span(m.start(), h.end, gov, direction))
        return out

    def _unknown_settlements(self, text: str, hits: list[_Hit]) -> list[_Span]:
        """«قرية الجنابرة»: a settlement word followed by a name the gazetteer lacks.

        The mention has no candidates; the resolver tries spelling variants inside the areas
        named after it, and otherwise places it by those areas.
        """
        # a bare head word («باب» of «حي باب توما») begins an unknown name: it covers nothing
        covered = {i for h in hits if not _bare_head(h) for i in range(h.start, h.end)}
        out = []
        for m in _SETTLEMENT_SLOT_RE.finditer(text):
            start, end = m.span("name")
            words = m.group("name").split(" ")
            if len(words) == 2 and words[0] not in _NAME_HEADS:
                words = words[:1]
                end = start + len(words[0])
            bare = _strip_article(words[-1])
            if any(i in covered for i in range(m.start("cue"), end)) or len(bare) < 3:
                continue
            if bare in FEATURES_AR or bare in _NAME_HEAD_WORDS or self.common.get(bare, 0.0) >= 4.0:
                continue
            if _is_function_word(" ".join(words)):
                continue  # «مخيم عشوائي», «قرية مجاورة»: what kind of place, not its name
            cue = FEATURES_AR.get(m.group("cue"), m.group("cue"))
            out.append(
                _Span(
                    m.start(),
                    end,
                    None,
                    (fold_key(" ".join(words)),),
                    (),
                    kind_hint=_KIND_HINTS.get(cue),
                    name_start=start,
                )
            )
        # «مطار التيفور», «تلة البانوراما», «معبر سيمالكا»: a facility the gazetteer lacks
        for m in _FACILITY_SLOT_RE.finditer(text):
            start, end = m.span("name")
            if any(i in covered for i in range(m.start("cue"), end)) or _FACILITY_ADJECTIVE.fullmatch(
                m.group("name")
            ):
                continue
            out.append(
                _Span(
                    m.start(),
                    end,
                    None,
                    (fold_key(m.group("name")),),
                    (),
                    kind_hint=_KIND_HINTS.get(FEATURES_AR[m.group("cue")]),
                    feature=FEATURES_AR[m.group("cue")],
                    name_start=start,
                )
            )
        # «… وحنتوتين وبينين وخان السبل»: an unknown word between two settlements of a list
        settlements = [h for h in hits if any(self.gaz.places[i].kind in _SETTLEMENT for i in h.ids)]
        for h1, h2 in zip(settlements, settlements[1:], strict=False):
            m = _LIST_SLOT_RE.fullmatch(text, h1.end, h2.start)
            if m is None or not text.startswith("و", h2.start):
                continue
            word = m.group("name")
            if (
                self.common.get(_strip_article(word), 0.0) >= 4.0
                or _is_function_word(word)
                or word in FEATURES_AR
            ):
                continue
            out.append(
                _Span(
                    m.start("item"),
                    m.end("name"),
                    None,
                    (fold_key(word),),
                    (),
                    kind_hint="village",
                    name_start=m.start("name"),
                )
            )
        out.sort(key=lambda sp: sp.start)
        return _spans_without_overlap(out)

    def _article_ok(self, h: _Hit) -> list[str]:
        """With an article in the text («التركية»), keep places whose names have it or are villages.

        OCHA drops the article of village names (كركت for الكركات), but «السورية» or
        «التركية» are adjectives, not سورية or تركيا.
        """
        return [
            pid
            for pid in h.ids
            if self.gaz.places[pid].kind in ("village", "town") or h.key in self._article_keys(pid)
        ]

    def _article_keys(self, pid: str) -> frozenset[str]:
        """Keys of the names of ``pid`` that carry the article («التركية» is not تركيا)."""
        keys = self._with_article.get(pid)
        if keys is None:
            place = self.gaz.places[pid]
            names = (place.name_ar, *self.gaz.records[pid]["aliases_ar"])
            keys = frozenset(_strip_article(k) for k in map(fold_key, names) if k.startswith("ال"))
            self._with_article[pid] = keys
        return keys

    def _inside_unknown_compound(self, text: str, h: _Hit) -> bool:
        """«تل الملح» is not «الملح»: a bare name right after a naming head belongs to an unknown compound."""
        if h.start != h.kstart and text[h.start : h.kstart] not in ("ال",):
            return False
        word, _ = _prev_word(text, h.start)
        return word in _NAME_HEADS

    def _coordinated(self, text: str, h: _Hit, by_end: dict[int, _Hit]) -> bool:
        """«الهبيط وكفرعين»: joined by و to a place that needs no cue."""
        if text[h.start] != "و" or self.common.get(h.key, 0.0) >= _FUNCTION_WORD_ZIPF:
            return False
        o = by_end.get(h.start - 1)
        if o is None or text[o.end] != " ":
            return False
        cued = FEATURES_AR.get(_prev_word(text, o.start)[0], "") in _CUES  # «بلدتي سلمى وربيعة»
        # «أحياء الشعار والصالحين والفردوس»: an item joined to an item joined to the cued one
        if not (cued or not self._needs_cue(o) or self._coordinated(text, o, by_end)):
            return False
        # the items of a list are neighbours: «مورك والمدرسة» is Morek and a school
        near = [
            self.gaz.places[i] for i in o.ids if self.gaz.places[i].kind in (*_SETTLEMENT, "neighbourhood")
        ]
        return self._nearest_km(h.ids, near) <= 45.0

    def _contained_after(self, text: str, h: _Hit, by_start: dict[int, _Hit]) -> bool:
        """«المنصورة بريف حلب», «الزيارة في سهل الغاب», «الكسرة بدير الزور»: the area named after it
        holds a place of that name, which is cue enough («القصف بريف اللاذقية» is shelling)."""
        m = _IN_AFTER.match(text, h.end)
        if m is None:
            return False
        o = by_start.get(m.end())
        if o is not None and not (m.group(1) or text[o.start : o.kstart].startswith("ب")):
            o = None
        if o is None:
            c = _CONTAINER_AFTER.match(text, h.end)
            o = by_start.get(c.end()) if c else None
        if o is None:
            return False
        areas = [self.gaz.places[i] for i in o.ids if self.gaz.places[i].kind in _CONTAINER_KINDS]
        return any(self._holds(a, self.gaz.places[i]) for a in areas for i in h.ids)

    def _holds(self, area: Place, p: Place) -> bool:
        """Whether ``area`` holds place ``p``, give or take 15 km; a countryside's part as the whole
        (directions are loose)."""
        whole = self.gaz.get(area.parent_id) if area.kind == "countryside" else None
        if whole is not None and whole.kind == "countryside":
            area = whole
        return self.gaz.holds(area, p, tolerance_km=15.0)

    def _ordinary_word(self, text: str, h: _Hit) -> bool:
        """The written word is an ordinary one, not a clitic and a name: «لقاح» (ل + «قاح»), or a
        name that has the article written without it after a clitic («ورقة» is no «الرقة»; «وزارة»
        no «الزارة»), or without any clitic when the bare word is common («راعي» is no «الراعي»)."""
        prefix = text[h.start : h.kstart]
        if prefix and self.forms.get(text[h.start : h.end], 0.0) > 0.0:
            return True
        if prefix.endswith(("ال", "لل")) or not h.ids:
            return False
        if prefix:  # «ورقة»: a clitic on a name that always has the article
            # «وغاب» too, but not «بمدينة الرقة»; nor «وكبينة» (OCHA: كباني): villages go without it
            return all(
                self._has_article(i, h.key)
                and (self._has_article(i) or self.gaz.places[i].kind not in _SETTLEMENT)
                for i in h.ids
            )
        # «راعي»: a common word; but «ديريك» is an alias of «المالكية» without the article
        return all(self._has_article(i, h.key) for i in h.ids) and self.common.get(h.key, 0.0) >= 3.5

    def _common_noun_phrase(self, text: str, h: _Hit) -> bool:
        """A common word with an adjective after it is that word («الثورة السورية», «الطبقة
        الفقيرة», «الحراك الشعبي»), however large the town of that name."""
        if self.common.get(h.key, 0.0) < 4.0 or not text[h.start : h.kstart].endswith(("ال", "لل")):
            return False
        m = _ADJECTIVE_RE.match(text, h.end)
        if m is None or m.group(1) in _DIRECTION_WORDS or _PLACE_ADJECTIVE.match(m.group(1)):
            return False
        return not any(self._has_article(i) for i in self.gaz.keys_ar.get(m.group(1), ()))  # «الباب الرقة»

    def _adjective(self, text: str, h: _Hit) -> bool:
        """A common word with the article after a noun with the article agrees with it."""
        return text[h.start : h.kstart].endswith("ال") and self.common.get(h.key, 0.0) >= 3.0

    def _heads_a_construct(self, text: str, h: _Hit) -> bool:
        """A common word with no article followed by a definite noun heads a name the gazetteer
        lacks («حقل العمر», «سد الفرات»), unless the noun is a direction or describes a place."""
        if self.common.get(h.key, 0.0) < 3.0 or h.key.startswith("ال") or "ال" in text[h.start : h.kstart]:
            return False
        m = _NEXT_ARABIC_WORD.match(text, h.end)
        if m is None or not m.group(1).startswith("ال") or len(m.group(1)) < 4:
            return False
        word = m.group(1)[2:]
        return word not in _DIRECTION_WORDS and not _PLACE_ADJECTIVE.match(word)

    def _names_no_place(self, text: str, h: _Hit, before: str) -> bool:
        """An organisation («قناة الميادين»), a speaker («أضاف جاسم الحسين») or a kunya with a nisba
        («أبو حسن الحلبي»): the name is part of a name that is not a place."""
        if before in _ORG_HEADS_AR or (before[:1] in "وف" and before[1:] in _ORG_HEADS_AR):
            return True
        if before in _ORG_MIDDLE:  # «تجمع أحرار حوران», «قوات تحرير عفرين»
            two, _ = _prev_word(text, _prev_word(text, h.start)[1])
            if two in _ORG_HEADS_AR or two in (
                "جبهه",
                "الجبهه",
            ):  # «جبهة تحرير سوريا»: a front only as a faction
                return True
        time_head = before in _TIME_HEADS or before[:1] in "وبل" and before[1:] in _TIME_HEADS
        country = any(self.gaz.places[i].kind == "country" for i in h.ids)
        if time_head and not country and self.common.get(h.key, 0.0) >= 3.0:
            # «منذ بداية الثورة», «في الذكرى السابعة لانطلاقة الثورة»: an event, not a town; but
            # «بدء تركيا شن غارات»: a country begins something
            return True
        small = not any(self.gaz.places[i].kind in ("city", "governorate", "country") for i in h.ids)
        if small and (before in _SPEECH_AR or (before[:1] in "وف" and before[1:] in _SPEECH_AR)):
            return True
        if small and (before in _PERSON_TITLES_AR or before[:1] in "وف" and before[1:] in _PERSON_TITLES_AR):
            return True  # «الناشط جاسم محمد»
        if small and h.key.startswith(("ابو ", "ام ")):
            m = _ADJECTIVE_RE.match(text, h.end)
            return m is not None and m.group(1).endswith("ي") and not _PLACE_ADJECTIVE.match(m.group(1))
        return False

    def _has_article(self, place_id: str, key: str | None = None) -> bool:
        """Whether the place's Arabic name (the one that gives ``key``, if any) has the article."""
        found = self._articles.get((place_id, key))
        if found is None:
            found = self._articles[(place_id, key)] = self._name_has_article(place_id, key)
        return found

    def _name_has_article(self, place_id: str, key: str | None) -> bool:
        rec = self.gaz.records[place_id]
        names = [
            fold_key(n).removeprefix("مركز ").removeprefix("ناحيه ")
            for n in (rec.get("name_ar") or "", *rec.get("aliases_ar", ()))
        ]
        if key is None:
            return names[0].startswith("ال")
        # some name that gives the key has the article: the key is that name written without it
        return any(n.startswith("ال") for n in [n for n in names if n in (key, "ال" + key)] or names[:1])

    def _needs_cue(self, h: _Hit) -> bool:
        """Common words that are also small places count only with a cue (قرية X, X بريف …)."""
        zipf = self.common.get(h.key)
        if zipf is None:
            return False
        return all(  # a sub-district named after its seat is as small as the seat, whatever its people
            self.gaz.places[i].kind in ("subdistrict", "neighbourhood")
            or self.gaz.places[i].kind in ("village", "town")
            and self.gaz.places[i].population < 20000
            for i in h.ids
        )

    def _governorate_of(self, h: _Hit) -> str | None:
        for pid in h.ids:
            p = self.gaz.places[pid]
            if p.kind == "governorate":
                return pid
        return None

    def _owner_before(self, text: str, by_start: dict[int, _Hit], pos: int) -> str | None:
        """Whose countryside «ريفها» or a bare «الريف الشمالي» is: the governorate or city among
        the last three names before ``pos`` in its sentence."""
        stop = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos), pos - 300)
        before = [h for k, h in sorted(by_start.items()) if stop < k and h.end <= pos]
        for h in reversed(before[-3:]):
            owner = self._governorate_of(h) or self._countryside_of_city(h)
            if owner:
                return owner
        return None

    def _countryside_of_city(self, h: _Hit) -> str | None:
        """Whose countryside a city's is: its district's («ريف منبج»), or its governorate's when
        the city is the governorate's centre («الريف الشمالي لمدينة حماة»)."""
        for pid in h.ids:
            p = self.gaz.places[pid]
            if p.kind != "city":
                continue
            if p.admin2_pcode and f"geomap:countryside/{p.admin2_pcode}" in self.gaz.places:
                return p.admin2_pcode
            if p.admin1_pcode and f"geomap:countryside/{p.admin1_pcode}" in self.gaz.places:
                return p.admin1_pcode
        return None

    def _district_countryside_of(self, h: _Hit) -> str | None:
        """The district a name gives its countryside to («ريفي منبج والباب»), if the gazetteer has it."""
        for pid in h.ids:
            if self.gaz.places[pid].kind == "district" and f"geomap:countryside/{pid}" in self.gaz.places:
                return pid
        return None

    @staticmethod
    def _directions(text: str, pos: int) -> tuple[list[str], int]:
        dirs: list[str] = []
        m = _DIR_RE.match(text, pos)
        if not m:
            return dirs, pos
        dirs.append(_direction(m.group(1), m.group(2)))
        end = m.end()
        while True:
            m2 = _DIR_AND_RE.match(text, end)
            if not m2:
                break
            dirs.append(_direction(m2.group(1), m2.group(2)))
            end = m2.end()
        return dirs, end

    def _list_items_with_and(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """«أطمة وقاح وسرمدا»: a list item read as و + a name («قاح») rather than a name that
        begins with و («وقاح»), when that name lies nearer the item before it."""
        out: list[_Hit] = []
        for h in hits:
            rest = h.key[1:]
            prev = out[-1] if out else None
            if (
                prev is not None
                and h.start == h.kstart
                and h.key.startswith("و")
                and rest in self.gaz.keys_ar
                and text[prev.end : h.start] == " "
            ):
                near = [self.gaz.places[i] for i in self.gaz.keys_ar[prev.key]]
                if self._nearest_km(self.gaz.keys_ar[rest], near) < self._nearest_km(
                    self.gaz.keys_ar[h.key], near
                ):
                    h = _Hit(h.start, h.start + 1, h.end, rest, h.lang)
            out.append(h)
        return out

    def _nearest_km(self, ids: list[str], others: list[Place]) -> float:
        """The least distance, in km, from a place of ``ids`` to one of ``others``."""
        return min((distance_km(self.gaz.places[i], o) for i in ids for o in others), default=math.inf)

    def _abroad(self, span: _Span) -> bool:
        """Every candidate lies outside Syria's governorates (a foreign town, a country)."""
        return all(not (self.gaz.places[i].admin1_pcode or "").startswith("SY") for i in span.ids)

    def _city_adjectives(self, text: str, spans: list[_Span]) -> None:
        """«حي جوبر الدمشقي», «حي الخالدية الحمصي»: a neighbourhood of the city its adjective names."""
        for sp in spans:
            if sp.kind_hint != "neighbourhood":
                continue
            m = _NEXT_ARABIC_WORD.match(text, sp.end)
            city = self.nisbas.get(m.group(1).removesuffix("ه")) if m else None
            if city in self.gaz.places:
                sp.within = (city,)

    def _chains(self, text: str, spans: list[_Span], original: str, folded: Folded) -> None:
        """Link a mention to the areas right after it: X في سهل الغاب بريف حماة.

        A bare comma or space links only to an area («X، ريف حماة», "X, Hama"): in
        "Taftanaz, Binnish, Sarmin" each town is an item of a list, not inside the next.
        """
        for i in range(len(spans) - 1):
            if _ROAD_BEFORE.search(text, max(0, spans[i].start - 30), spans[i].start):
                # «الطريق الدولي حلب دمشق»: the ends of a road, not one inside the other
                nxt = spans[i + 1]
                spans[i].feature = spans[i].feature or "road"
                if re.fullmatch(r" ?[-\u2010-\u2015]? ?", text[spans[i].end : nxt.start]):
                    nxt.feature = nxt.feature or "road"
                continue
            j = i
            while j + 1 < len(spans):
                nxt = spans[j + 1]
                if nxt.start == spans[j].start:  # coordinated referents share a surface
                    j += 1
                    continue
                gap = text[spans[j].end : nxt.start]
                if (
                    text[nxt.start : nxt.name_start].startswith("و")
                    or text[nxt.start : nxt.start + 1] == "و"
                    and nxt.name
                ):
                    break  # coordination (X وY), not containment
                if len(gap) > 14 or not _LINK_RE.fullmatch(gap):
                    break
                into = text[nxt.start : nxt.start + 1] == "ب"  # «حي الزهراء بمدينة حمص»: ب is «in»
                if not gap.strip(" ،,") and not into and not self._container(nxt):
                    break
                if _GAP_DIRECTION.search(gap) and any(self.gaz.places[i].kind == "city" for i in nxt.ids):
                    break  # «منبج شرقي حلب»: east of the city, not inside it (nor within its reach)
                between = original[
                    folded.span(spans[j].start, spans[j].end)[1] : folded.span(nxt.start, nxt.end)[0]
                ]
                if re.search(r"[-\u2010-\u2015]", between):
                    break  # «طريق حلب – دمشق»: the two ends of a road
                spans[i].chain.append(j + 1)
                j += 1
        # a list «X وY وZ في ريف إدلب» is inside what follows its last item; an unknown item
        # of a list with nothing after it is near its neighbours
        run = [0]
        for i in range(1, len(spans) + 1):
            joined = (
                i < len(spans)
                and text[spans[i - 1].end : spans[i].start] == " "
                and (text.startswith("و", spans[i].start))
            )
            if joined:
                run.append(i)
                continue
            last = spans[run[-1]]
            for k in run:
                if not spans[k].chain:
                    spans[k].chain = list(last.chain)
                if not spans[k].ids and not spans[k].chain:  # not by a neighbour abroad («وجرود عرسال»)
                    spans[k].chain = [
                        n for n in run if n != k and spans[n].ids and not self._abroad(spans[n])
                    ]
            run = [i]

    def _adverb(self, original: str, folded: Folded, span: _Span) -> bool:
        """«قصفاً تركياً», «المدعوم روسياً»: a nisba with the accusative ending is an adverb, no place."""
        end = folded.span(span.start, span.end)[1]
        return "\u064b" in original[end - 2 : end + 1] and folded.text[span.start : span.end].endswith("يا")

    def _container(self, span: _Span) -> bool:
        """Whether a mention can contain another without a preposition: an area larger than a
        sub-district (a town's namesake sub-district does not make it a container)."""
        exact = [
            i for i, sc in zip(span.ids, span.scores or (1.0,) * len(span.ids), strict=True) if sc >= 0.95
        ]
        return not span.ids or any(
            self.gaz.places[i].kind in AREA_KINDS and self.gaz.places[i].kind != "subdistrict" for i in exact
        )

    # ------------------------------------------------------------ English

    def _english(self, text: str, original: str, folded: Folded) -> list[_Span]:
        text = _without_possessives(text, original, folded)  # "Idlib's" is Idlib
        hits = _select(_outside(_gazetteer_hits(text, self.gaz, "en"), _blocked_spans(text, "en")))
        # proper names are capitalised in English text ("al-Raqqa": the name after the article)
        hits = [
            h
            for h in hits
            if any(
                w[:1].isupper()
                for w in _EN_NAME_PARTS.split(original[slice(*folded.span(h.kstart, h.end))])
                if w.lower() not in EN_ARTICLES
            )
            and not _english_org(original, *folded.span(h.kstart, h.end))
            and not self._in_a_longer_name(text, original, folded, h)
            and not _english_head_of_unknown(text, original, folded, h)
        ]
        spans = self._english_coordinated(text, hits)
        taken = {i for sp in spans for i in range(sp.start, sp.end)}
        hits = [h for h in hits if h.kstart not in taken]
        spans += self._english_spellings(text, original, folded, hits)
        for h in hits:
            scored = self.gaz.english_candidates(h.key)
            ids = sorted(scored, key=lambda i: -scored[i])
            if self.common.get(h.key) is not None and all(self.gaz.places[i].kind == "village" for i in ids):
                continue
            city = self._city_part(text, h, ids)
            if city:  # "rebel-held eastern Aleppo", "districts of eastern Aleppo": the city's east
                ids, scored = [city], {city: 1.0}
            word, _ = _prev_word(text, h.kstart)
            feat = FEATURES_EN.get(word, "")
            after = _EN_KIND_AFTER.match(text, h.end)  # "Daraa city", "Hama and Idlib provinces"
            hint = _KIND_HINTS.get(feat) or (_EN_KIND_AFTER_HINT[after.group(1)] if after else None)
            spans.append(
                _Span(
                    h.kstart,
                    h.end,
                    None,
                    (h.key,),
                    tuple(ids),
                    kind_hint=hint,
                    feature="" if feat in _HEAD_FEATURES else feat,
                    name_start=h.kstart,
                    scores=tuple(scored[i] for i in ids),
                )
            )
        return spans

    def _city_part(self, text: str, h: _Hit, ids: list[str]) -> str | None:
        """The city whose part "<direction> X" names after a word of the city ("rebel-held",
        "besieged", "districts of"), when X's countryside part was matched; else None."""
        if not ids or not all(i.startswith("geomap:countryside/") and i.count("/") == 2 for i in ids):
            return None
        if not _EN_URBAN_BEFORE.search(text, max(0, h.kstart - 30), h.kstart) or _EN_KIND_AFTER.match(
            text, h.end
        ):
            return None
        name = h.key.split(" ", 1)[-1]  # "eastern aleppo" -> "aleppo"
        cities = [i for i in self.gaz.keys_en.get(name, ()) if self.gaz.places[i].kind == "city"]
        return max(cities, key=lambda i: self.gaz.places[i].population, default=None)

    def _english_spellings(self, text: str, original: str, folded: Folded, hits: list[_Hit]) -> list[_Span]:
        """ "clashes in Maarat Misreen", "from Trunbeh": a capitalised name after a word of place that no
        key spells, matched to the Arabic names it transliterates (:meth:`Gazetteer.english_candidates`)."""
        from wordfreq import zipf_frequency

        covered = {i for h in hits for i in range(h.start, h.end)}
        blocked = _blocked_spans(text, "en")
        out: list[_Span] = []
        for m in _EN_UNKNOWN_NAME.finditer(original):
            start, end = m.span("name")
            fs, fe = bisect_left(folded.index, start), bisect_left(folded.index, end)
            if any(i in covered for i in range(fs, fe)) or any(a <= fs < b for a, b in blocked):
                continue
            if _english_org(original, start, end):
                continue
            key = fold_key(m.group("name"))
            bare = strip_latin_articles(key)
            if len(bare) < 4 or max(zipf_frequency(w, "en") for w in bare.split()) >= 3.0:
                continue  # an English word ("Monday", "Army"), not a transliteration
            scored = {
                pid: sc
                for pid, sc in self.gaz.english_candidates(key).items()
                if sc >= 0.9 and self.gaz.places[pid].kind in (*_SETTLEMENT, "neighbourhood", "camp")
            }
            if not scored:
                continue
            ids = sorted(scored, key=lambda i: -scored[i])
            out.append(
                _Span(fs, fe, None, (key,), tuple(ids), name_start=fs, scores=tuple(scored[i] for i in ids))
            )
        return out

    def _in_a_longer_name(self, text: str, original: str, folded: Folded, h: _Hit) -> bool:
        """A village name after a capitalised word that is no place, cue or function word is part of
        a person's or another name ("Bashar al-Assad", "Abu Mohammad al-Jolani")."""
        if not all(self.gaz.places[i].kind in ("village", "town") for i in self.gaz.keys_en.get(h.key, ())):
            return False
        word, start = _prev_word(text, h.kstart)
        if word in EN_ARTICLES:  # "Bashar al-Assad"
            word, start = _prev_word(text, start)
        if not word or word in FEATURES_EN or word in _EN_FUNCTION_WORDS:
            return False
        if word in self.gaz.keys_en:
            return False
        first = original[slice(*folded.span(start, start + 1))]
        return first[:1].isupper()

    def _english_coordinated(self, text: str, hits: list[_Hit]) -> list[_Span]:
        """English coordination of countrysides, one referent each.

        "the Idlib and Hama countrysides", "rural Idlib and Hama" (two governorates), and
        "the southern and eastern Idlib countryside" (two parts of one).
        """
        spans: list[_Span] = []
        for h1, h2 in zip(hits, hits[1:], strict=False):
            if text[h1.end : h2.kstart] != " and ":
                continue
            g1, g2 = self._english_governorate(h1.key), self._english_governorate(h2.key)
            rural = h1.key.startswith("rural ") or text[max(0, h1.kstart - 6) : h1.kstart] == "rural "
            plural = h2.key.endswith(" countrysides") or text.startswith(" countrysides", h2.end)
            if g1 and g2 and (rural or plural):
                start = h1.kstart - 6 if text[max(0, h1.kstart - 6) : h1.kstart] == "rural " else h1.kstart
                end = h2.end + (len(" countrysides") if text.startswith(" countrysides", h2.end) else 0)
                spans += [self._countryside_span(start, end, g, "") for g in (g1, g2)]
        for h in hits:
            m = _EN_DIR_AND_RE.search(text, 0, h.kstart)
            if m is None or m.end() != h.kstart:
                continue
            scored = self.gaz.english_candidates(h.key)
            parts = [pid for pid in scored if pid.startswith("geomap:countryside/") and pid.count("/") == 2]
            if parts:
                gov, direction = parts[0].split("/")[1:]
                first = _EN_DIRECTIONS[m.group(1).replace(" ", "-")]
                spans += [self._countryside_span(m.start(), h.end, gov, d) for d in (first, direction)]
        return spans

    def _english_governorate(self, key: str) -> str | None:
        """The governorate an English key names, directly or as its whole countryside."""
        for pid in self.gaz.keys_en.get(key, ()):
            kind = self.gaz.places[pid].kind
            if kind == "governorate":
                return pid
            if kind == "countryside" and pid.count("/") == 1:
                return pid.split("/")[1]
        return None

    def _countryside_span(self, start: int, end: int, gov: str, direction: str) -> _Span:
        pid = f"geomap:countryside/{gov}" + (f"/{direction}" if direction else "")
        if pid not in self.gaz.places:
            pid = f"geomap:countryside/{gov}" if f"geomap:countryside/{gov}" in self.gaz.places else gov
        return _Span(start, end, self.gaz.places[pid].name_en, (), (pid,), kind_hint="countryside")

    # ------------------------------------------------------------ output

    def _mention(self, doc: Document, folded: Folded, s: _Span) -> Mention:
        start, end = folded.span(s.start, s.end)
        while end > start + 1 and doc.text[end - 1] in "'\u2019":  # "Idlib's": the name only
            end -= 1
        name = s.name
        if name is None:
            ns, ne = folded.span(s.name_start, s.end)
            name = ("ال" if s.article else "") + doc.text[ns : min(ne, end)]
        return Mention(
            doc_id=doc.id,
            start=start,
            end=end,
            surface=doc.text[start:end],
            name=name,
            keys=s.keys,
            kind_hint=s.kind_hint,
            feature=s.feature,
            chain=tuple(s.chain),
            context=s.within,
            candidates=tuple(
                Candidate(i, sc) for i, sc in zip(s.ids, s.scores or (1.0,) * len(s.ids), strict=True)
            ),
        )


def _spans_without_overlap(spans: list[_Span]) -> list[_Span]:
    """Drop spans that overlap an earlier one."""
    out: list[_Span] = []
    for sp in spans:
        if not out or sp.start >= out[-1].end:
            out.append(sp)
    return out


_FUNCTION_WORDS = frozenset(
    "التي الذي اخرى اخري واحده الواقعه الحدوديه المجاوره القريبه السوريه"
    " خلال منذ بعد قبل عند حول ضمن داخل نحو في من علي الي".split()
)


def _is_function_word(word: str) -> bool:
    """Adjectives, pronouns and prepositions that follow «قرية» without naming it («قرية مجاورة»,
    «مخيم عشوائي», «21 قرية خلال»)."""
    first = word.split(" ")[0]
    return word in _FUNCTION_WORDS or first in _FUNCTION_WORDS or bool(_SLOT_ADJECTIVE.fullmatch(first))


def _strip_article(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def _direction(a: str, b: str | None) -> str:
    d1 = _DIR_WORDS[a]
    if b:
        return _COMPOUND.get((d1, _DIR_WORDS[b]), d1)
    return d1


def recognize_mentions(doc: Document, gazetteer: Gazetteer) -> list[Mention]:
    """Find the place mentions of ``doc`` (unresolved: candidates only)."""
    return Recognizer(gazetteer).recognize(doc)
