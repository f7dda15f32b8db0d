"""Events and displacement flows from a document and its resolved place mentions.

Everything is matched on the folded text (``normalize.fold``) and mapped back to the
original offsets, so ``doc.text[e.trigger_start:e.trigger_end] == e.trigger`` always.

Pipeline, per sentence (split on ``. ! ? ؟ ; ؛`` and newlines) and clause (split on
``، , ;`` and on connectors such as حيث / في حين / بالتزامن مع / لكن / while / but;
a segment that starts with a place is a list continuation and stays in its clause):

1. **Triggers** of six families (Arabic with clitics ``و ف ب ل ك ال`` and pronoun
   suffixes, and English) are found; adjacent words of one family form a group
   (``غارات الطيران الحربي``). A generic ``قصف``/bombing next to an aircraft word is an
   air strike; a bare ``هجوم``/attack next to shelling or aircraft words takes their type.
2. **Status** of each group, from cue words in a short window: ``negated`` (لم، لا،
   توقف، انخفاض، no, not, halted …), ``mentioned`` (the event is the topic of a
   condemnation or campaign: للتنديد، للتعبير عن رفضهم، تحدثوا عن …), ``rejected`` and
   ``proposed`` (agreements only: رفض، مرفوض، طرح، عرض، اقترح / rejected, proposed),
   ``attempted``/``failed`` (حاولت التقدم … لكنها فشلت / tried to … but failed).
   Negated and mentioned events are **not emitted**; rejected, proposed, attempted and
   failed ones are, with their status. Negation carries over to a coordinated group
   (``انخفاض في حدة المواجهات والقصف الجوي``).
3. **Places**: countries and country-scale regions (شمال سوريا: a region with no
   governorate), places inside an actor name, places of a news source
   (``قال مصدر في إدلب``) and containers (``السرمانية في سهل الغاب بريف حماة`` keeps
   only السرمانية) are set aside. Each remaining place of a clause goes to the nearest
   trigger group *before* it, else to the nearest one after it (a weaker link, used only
   when the group has no place after it). Coordinated groups of different types share
   places (``قصف مدفعي وغارات على X``). A group without a place in its clause may take the
   places of the sentence's trigger-less clauses.
4. Groups of one type and status in a clause make **one event** (all its places, one
   count). Places of a displacement are origins (من / from, or before the trigger) or
   destinations (إلى، نحو، باتجاه / to, towards; في / in after an arrival word).
5. **Placeless events** are dropped when the document names any place (other than
   countries); in a document naming none, reported events keep a country of their
   sentence, or no location. Ceasefire mentions without a place are taken to be about
   one agreement: they make a single document-level event (status ``reported`` if any
   mention reports it in force, with the rejections and proposals in ``notes``),
   located in the document's first country that is not an actor, unless another
   ceasefire event of the document has a place.
6. **Counts** (``find_counts``): digits (ASCII, Arabic-Indic, thousands separators),
   Arabic and English number words and scales, vague plurals (عشرات 20–90 best 30,
   مئات 100–900 best 300, آلاف 2000–9000 best 3000, ملايين, dozens, hundreds, thousands).
   Hedges: نحو/حوالي/قرابة/زهاء/about/around → ±10 %; أكثر من/more than/over/at least →
   low = n, high = 1.5 n; أقل من/less than/up to → low = n / 2, high = n. What is counted
   comes from the noun (or verb) around the number; population (نسمة), durations and
   distances are never event counts. A count attaches to the nearest compatible event of
   its clause, else of its sentence, and is stored once: flows of one event carry the
   same ``Count`` object and must not be summed.
7. **Actors** (canonical English names), **dates** (doc date; اليوم، أمس، أول أمس,
   weekdays, today/yesterday/on Saturday → precision 1), **sub-event types** (captures
   with a clear actor → "Government regains territory" / "Non-state actor overtakes
   territory"). Violence against civilians (إعدام، مجزرة، اختطاف / executed, massacre,
   abducted) is ``EventType.OTHER`` with ACLED event type "Violence against civilians",
   and is dropped when the clause reports shelling, strikes or clashes (the better class).

One ``Flow`` per origin × destination (destination ``None`` when no named place);
``merge_events`` merges events of several documents at the same places, type and date.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from geomap.model import AREA_KINDS, Count, Document, Event, EventType, Flow, Mention
from geomap.normalize import fold, fold_table, is_arabic


def _fa(text: str) -> str:
    """Fold the Arabic letters of a lexicon entry as ``fold`` folds text (ئ ؤ decompose)."""
    table = fold_table()
    return "".join(table.get(c, c) if "\u0600" <= c <= "\u06ff" else c for c in text)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(_fa(pattern))


# ---------------------------------------------------------------- trigger lexicon
# One line per trigger family: event type, tag (- for none), language, regex of word forms
# on folded text. Arabic forms take the clitics و ف ب ل ك ال and pronoun suffixes ها/هم;
# "ar0" forms take no clitic (وفر "provided" is not فر "fled").
_TRIGGER_TABLE = r"""
armed_clash  -        ar   اشتباك(?:ات)?|اشتبك(?:ت|وا)?|يشتبك(?:ون)?|معارك|معركه|مواجه(?:ه|ات)|قتال|اقتتال
armed_clash  -        ar   اقتحام|اقتحم(?:ت|وا)?|تصدي|تصدت|تصدوا|[تي]تصدي|تقدم(?:ت|وا|ا)?|[يت]تقدم
armed_clash  soft     ar   هجوم(?:ا)?|هجمات|هاجم(?:ت|وا)?|يهاجم(?:ون)?
armed_clash  capture  ar   سيطر(?:ت|وا)?|سيطره|[يت]سيطر|استعاد(?:ت|وا)?|استعاده|[يت]ستعيد|انتزع(?:ت|وا)?|انتزاع
armed_clash  -        en   clash(?:es|ed|ing)?|fighting|fought|battl(?:e|es|ed)|combat|skirmish(?:es)?
armed_clash  -        en   storm(?:ed|ing)|advanc(?:e|es|ed|ing)
armed_clash  soft     en   attack(?:s|ed)?|assaults?|offensive
armed_clash  capture  en   captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|recaptur(?:e|ed|es)|regain(?:ed|s)?|retook
armed_clash  capture  en   (?:took|take|taken|taking|gained|regained|retook) control|overran|overrun
shelling     generic  ar   قصف(?:ت|وا|ا)?|[يت]قصف(?:ون)?
shelling     artill   ar   مدفعي(?:ه)?|هاون|راجم(?:ه|ات)
shelling     -        ar   قذائف|قذيفه|صاروخ|صواريخ|صاروخي(?:ه)?
shelling     generic  en   bombard(?:ed|ing|ments?)?|bomb(?:ed|ing|ings)
shelling     artill   en   artillery|mortars?
shelling     -        en   shell(?:s|ed|ing)|rockets?|missiles?
air_strike   -        ar   (?:ضربه|ضربات) (?:ال)?جويه|قصف(?:ا)? (?:ال)?جوي(?:ا)?|غاره|غارات|طيران|حربي(?:ه)?
air_strike   -        ar   طائر(?:ه|ات)(?: (?:ال)?مسير(?:ه|ات))?|مروحي(?:ه|ات)?|براميل|برميل|مسيرات
air_strike   -        en   air ?strikes?|air ?raids?|air attacks?|aerial (?:bombardment|attacks?)|war ?planes?
air_strike   -        en   (?:fighter )?jets?|helicopters?|gunships?|barrel ?bombs?|drones?(?: strikes?)?
air_strike   -        en   bombing raids?
displacement -        ar   نزوح|نزح(?:ت|وا)?|ينزح(?:ون)?|نازح(?:ين|ون|ا)?|تهجير|مهجر(?:ين|ون)?|هجروا|تشريد
displacement -        ar   شرد(?:ت|وا)?|فرار|هرب(?:ت|وا|ا)?|يهرب(?:ون)?
displacement -        ar0  فر(?:وا|ت)?|[يت]فر(?:ون)?
displacement -        en   displac(?:ed|ement|ing)|fled|flee(?:s|ing)?|exodus|uprooted|evacuat(?:ed|ion|ions)|idps
ceasefire    -        ar   هدنه|هدنات|وقفا? (?:ل)?اطلاق (?:ال)?نار|تهدئه|منزوعه السلاح|دوري(?:ه|ات) مشترك(?:ه)?
ceasefire    -        ar   خفض (?:ال)?تصعيد
ceasefire    agree    ar   اتفاق(?:ا|ات)?|اتفاقيه
ceasefire    -        en   cease ?fires?|truces?|armistice|de escalation (?:agreement|deal|accord)
ceasefire    -        en   demilitari[sz]ed zones?|joint patrols?
ceasefire    agree    en   agreements?
other        -        ar   تعزيزات|حشود|حشد(?:ت|وا)?|رتل|ارتال
other        -        en   reinforcements?|(?:troop )?build ?up|military convoys?|deploy(?:ed|ment|ments)
other        vac      ar   اعدام(?:ات)?|اعدم(?:ت|وا)?|مجزره|مجازر|اغتيال|اغتال(?:ت|وا)?
other        vac      en   executed|executions?|massacres?|assassinat(?:ed|ion)
other        abduct   ar   اختطاف|اختطف(?:ت|وا)?|خطف(?:ت|وا)?
other        abduct   en   abduct(?:ed|ion|ions)?|kidnap(?:ped|ping|pings)?
"""
_CLITICS = r"(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"
_WORD = {
    "ar": rf"(?<!\w)(?P<pre>{_CLITICS})(?P<w>(?:{{}})(?:ها|هم|هما)?)(?!\w)",
    "ar0": r"(?<!\w)(?P<pre>)(?P<w>{})(?!\w)",
    "en": r"\b(?P<pre>)(?P<w>{})\b",
}
_TRIGGERS: tuple[tuple[EventType, str, re.Pattern[str]], ...] = tuple(
    (EventType(t), "" if tag == "-" else tag, _rx(_WORD[lang].format(rx)))
    for t, tag, lang, rx in (line.split(maxsplit=3) for line in _TRIGGER_TABLE.strip().splitlines())
)
_T = EventType
_VIOLENT = frozenset({_T.ARMED_CLASH, _T.SHELLING, _T.AIR_STRIKE})
_ACLED = {
    _T.ARMED_CLASH: ("Battles", "Armed clash"),
    _T.SHELLING: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    _T.AIR_STRIKE: ("Explosions/Remote violence", "Air/drone strike"),
    _T.CEASEFIRE: ("Strategic developments", "Agreement"),
    _T.DISPLACEMENT: ("Displacement", "Population displacement"),
    _T.OTHER: ("Strategic developments", "Other"),
}
# A trigger word is not an event when the previous word is one of these.
_BLOCKERS = (
    (_rx(r"^سيطر"), _rx(r"(?:مناطق|منطقه|تحت|خاضعه|نفوذ)$")),
    (_rx(r"^خفض"), _rx(r"(?:مناطق|منطقه)$")),
)


# ---------------------------------------------------------------- cue words (folded)
def _cue(rx: str) -> re.Pattern[str]:
    return _rx(rf"(?<!\w){_CLITICS}(?:{rx})(?!\w)")


_NEG = _cue(
    r"لم|لن|ليس|ليست|عدم|دون|بدون|بلا|غياب|خلو|توقف\w*|وقف|انخفاض\w*|تراجع\w*|هدوء|منع|لمنع|يمنع"
    r"|لا(?! (?:تزال|يزال|زال|زالت))|no|not|never|without|halt\w*|stop\w*|absence|lull|decline|denied"
)
_OPINION = _cue(
    r"تنديد|ندد\w*|[يت]ندد\w*|ادان\w*|ادانه|استنكر\w*|استنكار|تعبير|احتجاج\w*"
    r"|تحدثوا|[يت]تحدثون|تحدث\w* (?:\w+ )?عن"
    r"|condemn\w*|denounc\w*|protest\w*|talked|spoke"
)
_REJECT = _cue(r"رفض\w*|[يت]رفض\w*|مرفوض\w*|reject\w*|refus\w*|dismiss\w*")
_PROPOSE = _cue(
    r"اقترح\w*|اقتراح|مقترح\w*|طرح\w*|عرض\w*|[يت]عرض\w*|مبادره|دعا|دعت|[يت]دعو|دعوه"
    r"|propos\w*|offer\w*|call\w* for|suggest\w*"
)
_ATTEMPT = _cue(r"حاول\w*|[يت]حاول\w*|محاول\w*|attempt\w*|tried|trying|tries|sought")
_FAIL = _cue(r"فشل\w*|بالفشل|صد(?:ت|وا)?|احبط\w*|افشل\w*|failed|repel\w*|thwart\w*|foil\w*")
_BREACH = _cue(r"خرق\w*|انتهاك\w*|violat\w*|breach\w*")
_AGREE = _cue(r"اتفاق\w*|ابرم\w*|توصل\w*|وقع\w*|agree\w*|signed|reached|brokered")
_ARRIVE = _cue(r"وصل\w*|وصول|[يت]صل\w*|مخيم\w*|arriv\w*|reach\w*|shelter\w*|camps?")
_TRANSPARENT = frozenset({"اي", "any", "the", "a", "an"})

# ---------------------------------------------------------------- actors (folded)
# canonical name :: Arabic forms (take clitics) :: English forms; several lines may share a name.
_ACTOR_TABLE = r"""
Government of Syria :: قوات (?:ال)?نظام(?: (?:ال)?سوري)?|نظام(?: (?:ال)?سوري)?|قوات (?:ال)?اسد :: (?:syrian )?regime
Government of Syria :: قوات (?:ال)?حكومه(?: (?:ال)?سوريه)?|قوات (?:ال)?حكوميه|حكومه (?:ال)?سوريه :: syrian government
Government of Syria :: جيش (?:ال)?عربي (?:ال)?سوري|جيش (?:ال)?سوري(?! (?:ال)?حر)|جيش (?:ال)?نظام :: syrian (?:arab )?army
Government of Syria :: قوات (?:ال)?جيش :: (?:syrian |pro )?government (?:forces|troops)|regime forces|assad forces
Opposition :: (?:فصائل|قوات|مقاتلي|مقاتلو) (?:ال)?معارضه(?: (?:ال)?سوريه)?(?: (?:ال)?مسلحه)? :: insurgents
Opposition :: معارضه(?: (?:ال)?سوريه)?(?: (?:ال)?مسلحه)?|فصائل|ثوار :: rebels?(?: (?:groups?|forces|fighters))?
Opposition :: جيش (?:ال)?سوري (?:ال)?حر|جيش (?:ال)?حر :: opposition(?: (?:forces|factions|fighters|groups))?
Opposition :: جبهه (?:ال)?وطنيه(?: للتحرير)?|جيش (?:ال)?وطني(?: (?:ال)?سوري)? :: free syrian army|fsa
Opposition :: فصائل (?:ال)?مسلحه :: national liberation front|syrian national army|turkish backed \w+
HTS :: هيئه تحرير (?:ال)?شام|تحرير (?:ال)?شام|جبهه (?:ال)?نصره|نصره :: hay.?at tahrir al sham|tahrir al sham|hts
HTS :: هيئه (?:ال)?تحرير :: (?:al )?nusra(?: front)?
SDF :: قسد|قوات سوريا (?:ال)?ديمقراطيه|وحدات حمايه (?:ال)?شعب :: syrian democratic forces|sdf|ypg
Russia :: روسيا|روس|(?:قوات|طيران|جيش|طائرات) (?:ال)?روسي(?:ه)?|روسي(?:ه)? :: russia|russians?
Turkey :: تركيا|(?:جيش|قوات) (?:ال)?تركي(?:ه)?|اتراك|تركي(?:ه)? :: turkey|turkiye|turkish(?: army| forces| troops)?
IS :: داعش|تنظيم (?:ال)?دوله(?: (?:ال)?اسلاميه)?|دوله (?:ال)?اسلاميه :: islamic state|isis|isil|daesh
Iran :: ايران|(?:ميليشيات|مليشيات) (?:ال)?ايرانيه|حرس (?:ال)?ثوري|ايراني(?:ه)? :: iran(?:ian)?(?: backed)?
Hezbollah :: حزب الله :: hezbollah|hizbullah|hizbollah
Coalition :: تحالف(?: (?:ال)?دولي)? :: (?:us led |international )?coalition
"""
_ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, _rx(rf"(?<!\w){_CLITICS}(?:{ar})(?!\w)|\b(?:{en})\b"))
    for name, ar, en in (line.split(" :: ") for line in _ACTOR_TABLE.strip().splitlines())
)
_GOV_SIDE = frozenset({"Government of Syria", "Russia", "Iran", "Hezbollah"})
_NON_STATE = frozenset({"Opposition", "HTS", "SDF", "IS"})
_TARGET_MARK = _rx(r"(?<!\w)(?:علي|ضد|مواقع|نقاط|تجمعات|استهدف\w*|against|on|targeting|positions)\s*$")

# ---------------------------------------------------------------- places, clauses, dates
_SENT_END = _rx(r"\n+|[!?؟;؛]+|\.+(?=[\s\"'”»)\]]|$)")
_CLAUSE_SEP = _rx(r"[،;؛]|,(?!\d{3})|:(?!\d)")
_CONNECTOR = _rx(
    r"(?<!\w)(?:[وف]?حيث|في حين|بالتزامن مع|بينما|فيما|[وف]?لكن\w*|الا ان|غير ان|[وف]?كما"
    r"|while|whereas|but)(?!\w)"
)
_SOURCE_PLACE = _rx(
    r"(?<!\w)[وفل]?(?:ال)?(?:مصدر|مصادر|ناشط\w*|مراسل\w*|مسؤول\w*|رئيس|مدير|مرصد|source|sources"
    r"|activists?|correspondents?|officials?|spokes\w+|reporters?|monitor)"
    r"(?:\s+\S+){0,3}\s+(?:في|من|ب|in|from)\s*$"
)
_ACTOR_ORIGIN = _rx(
    r"(?:قادم\w*|القادم\w*|متمركز\w*|المتمركز\w*|coming|based|stationed)\s+(?:من|في|from|in)\s*$"
)
_ORIGIN_PREP = frozenset({"من", "عن", "from"})
_DEST_PREP = frozenset({"الي", "نحو", "باتجاه", "تجاه", "صوب", "to", "towards", "toward", "into"})
_IN_PREP = frozenset({"في", "ب", "in", "at"})
_COORD = frozenset({"و", "او", "and", "or", "،", ","})
_WEEKDAYS = {
    **dict(zip("الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد".split(), range(7), strict=True)),
    **dict(zip("monday tuesday wednesday thursday friday saturday sunday".split(), range(7), strict=True)),
}
_DAY_OFFSET = {"اليوم": 0, "today": 0, "tonight": 0, "امس": -1, "البارحه": -1, "الليله الماضيه": -1}
_DAY_OFFSET |= {"yesterday": -1, "last night": -1, "اول امس": -2, "the day before yesterday": -2}
_DAY_WORD = _rx(
    rf"(?<!\w)[وفب]?(?P<d>اول امس|امس|البارحه|اليوم|الليله الماضيه|{'|'.join(list(_WEEKDAYS)[:7])})(?!\w)"
    rf"|\b(?P<e>the day before yesterday|yesterday|today|tonight|last night|{'|'.join(list(_WEEKDAYS)[7:])})\b"
)

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
_NUM_WORDS |= {"عشرون": ("n", 20), "عشرين": ("n", 20), "dozen": ("n", 12)}
_NUM_WORDS |= {
    u + h: ("n", 100 * v)
    for u, v in _AR_UNITS.items()
    if 3 <= v <= 9 and u[-1] != "ه"
    for h in ("مائه", "مئه")
}
_NUM_WORDS |= {w: ("n", 200) for w in ("مئتان", "مئتين", "مائتان", "مائتين")}
_NUM_WORDS |= {w: ("n", 2000) for w in ("الفين", "الفان")} | {
    w: ("n", 2 * 10**6) for w in ("مليونين", "مليونان")
}
_NUM_WORDS |= {w: ("h",) for w in ("مائه", "مئه", "hundred")}
_NUM_WORDS |= {w: ("s", 1000, False) for w in ("الف", "الفا", "thousand")}
_NUM_WORDS |= {w: ("s", 1000, True) for w in ("الاف", "thousands")}
_NUM_WORDS |= {w: ("s", 10**6, False) for w in ("مليون", "مليونا", "million")}
_NUM_WORDS |= {w: ("s", 10**6, True) for w in ("ملايين", "millions")}
_NUM_WORDS |= {w: ("s", 10**9, False) for w in ("مليار", "billion")}
_NUM_WORDS |= {w: ("v", 20, 90, 30) for w in ("عشرات", "dozens", "tens")}
_NUM_WORDS |= {w: ("v", 100, 900, 300) for w in ("مئات", "hundreds")}
_NUM_WORDS = {_fa(w): v for w, v in _NUM_WORDS.items()}
_VAGUE_PLURAL = {1000: (2000, 9000, 3000), 10**6: (2 * 10**6, 9 * 10**6, 3 * 10**6)}
_DIGITS = _rx(r"^(\d{1,3}(?:[,٬]\d{3})+|\d{1,3}(?:\.\d{3})+|\d+(?:[.٫]\d+)?)$")
_APPROX = _rx(
    r"(?:نحو|حوالي|قرابه|زهاء|يقارب|about|around|approximately|nearly|almost|roughly|some|estimated)$"
)
_MORE = _rx(r"(?:اكثر من|ازيد من|يزيد (?:عن|علي)|يقل عن|more than|over|at least|upwards of)$")
_LESS = _rx(r"(?:اقل من|ما دون|less than|fewer than|up to|under)$")
_WHAT = tuple(
    (what, _rx(rf"^[وبل]?(?:ال)?(?:{rx})ا?$"))
    for what, rx in (
        ("population", r"نسمه|inhabitants|population"),
        ("displaced", r"نازح\w*|مهجر\w*|displaced|idps?|refugees?"),
        ("killed", r"قتيل|قتلي|قتلا|شهيد\w*|شهداء|ضحي\w*|ضحايا|dead|killed|deaths?|fatalities|bodies"),
        ("injured", r"جريح\w*|جرحي|مصاب\w*|اصابات|injured|wounded|injuries"),
        ("strikes", r"غاره|غارات|ضربه|ضربات|برميل|براميل|(?:air)?strikes?|raids?"),
        ("projectiles", r"قذيفه|قذائف|صاروخ|صواريخ|shells?|rockets?|missiles?|mortars?"),
        ("families", r"عائله|عائلات|اسره|اسر|families|family|households?"),
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
_POPULATION_CUE = _rx(r"(?:تؤوي|يؤوي|يقطن\w*|يسكن\w*|home to|population of)$")
_NUM_TOKEN = re.compile(r"\d[\d,.٬٫]*\d|[^\s،,.;:!?؟()\[\]\"«»“”]+")
_KILL_CUE = _cue(r"قتل\w*|مقتل|استشهاد|استشهد\w*|killed|died|dead|killing")
_INJURE_CUE = _cue(r"اصابه|اصيب\w*|جرح\w*|injur\w*|wound\w*")
_FLEE_CUE = _cue(r"نزح\w*|ينزح\w*|فر|فروا|فرت|[يت]فر\w*|هرب\w*|displaced|fled|flee\w*")
_COMPATIBLE = {
    "displaced": {_T.DISPLACEMENT},
    "displaced families": {_T.DISPLACEMENT},
    "people": {_T.DISPLACEMENT},
    "families": {_T.DISPLACEMENT},
    "killed": _VIOLENT | {_T.OTHER},
    "injured": _VIOLENT | {_T.OTHER},
    "strikes": {_T.AIR_STRIKE},
    "projectiles": {_T.SHELLING, _T.AIR_STRIKE},
}


# ---------------------------------------------------------------- working records
@dataclass
class _Trig:
    type: EventType
    tag: str
    start: int  # folded offsets of the word (clitics excluded)
    end: int
    full: int  # folded start including clitics


@dataclass
class _Place:
    mention: Mention
    start: int
    end: int
    prefix: str  # clitic prefix of the surface (و، ب …)
    weak: bool = False  # a place that only tells where an actor came from


@dataclass
class _Group:
    type: EventType
    trigs: list[_Trig]
    status: str = "reported"
    cues: list[str] = field(default_factory=list)
    after: list[_Place] = field(default_factory=list)
    before: list[_Place] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.trigs[0].full

    @property
    def end(self) -> int:
        return self.trigs[-1].end

    @property
    def tags(self) -> set[str]:
        return {t.tag for t in self.trigs}

    @property
    def places(self) -> list[_Place]:
        strong = [p for p in self.after if not p.weak]
        return strong or [p for p in self.before if not p.weak] or self.after + self.before


@dataclass
class _Cluster:
    type: EventType
    groups: list[_Group]
    sent: tuple[int, int, int, int]  # original start, end; folded start, end
    clause: tuple[int, int]
    places: list[_Place]
    count: Count | None = None

    @property
    def status(self) -> str:
        return self.groups[0].status


# ---------------------------------------------------------------- numbers
def _num_class(tok: str) -> tuple | None:
    tok = tok.strip("()[]\"'«»“”،,.;:!?؟")
    if m := _DIGITS.match(tok.removeprefix("و")):
        s = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
            s = s.replace(".", "")
        return ("n", float(re.sub(r"[,٬]", "", s).replace("٫", ".")))
    for t in (tok, tok.removeprefix("و"), tok.removeprefix("ال"), tok.removeprefix("وال")):
        if t in _NUM_WORDS:
            return _NUM_WORDS[t]
    return None


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
        for what, rx in _WHAT:
            if rx.match(tok):
                return what
    return ""


def _counts_in(text: str, lo: int, hi: int) -> list[tuple[int, int, Count]]:
    """Counts in ``text[lo:hi]`` (folded) as (start, end, Count) with folded offsets."""
    toks = [(m.start() + lo, m.end() + lo, m.group()) for m in _NUM_TOKEN.finditer(text[lo:hi])]
    out: list[tuple[int, int, Count]] = []
    i = 0
    while i < len(toks):
        parts: list[tuple] = []
        j = i
        while j < len(toks):
            c = _num_class(toks[j][2])
            if (
                c is None
                and toks[j][2] in {"of", "من"}
                and parts
                and parts[-1][0] == "v"
                and j + 1 < len(toks)
            ):
                nxt = _num_class(toks[j + 1][2])
                if nxt and nxt[0] == "s":
                    j += 1
                    continue
            if c is None:
                break
            parts.append(c)
            j += 1
        if not parts:
            i += 1
            continue
        if len(parts) == 1 and parts[0] == ("h",):
            i = j
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
        what = _classify_what(after)
        end = toks[j - 1][1]
        if what:
            end = toks[j][1] if _classify_what(after[:1]) else toks[min(j + 1, len(toks) - 1)][1]
        window = " ".join(t[2] for t in toks[max(0, i - 3) : j + 3])
        year = len(parts) == 1 and parts[0][0] == "n" and 1900 <= best <= 2100 and not what
        if what in {"people", "families", ""}:
            if _KILL_CUE.search(window):
                what = "killed"
            elif _INJURE_CUE.search(window):
                what = "injured"
            elif _FLEE_CUE.search(window):
                what = "displaced" if what != "families" else "displaced families"
        if _POPULATION_CUE.search(" ".join(words)):
            what = "population"
        if not year:
            out.append((start, end, Count(round(best), round(low), round(high), what, "")))
        i = j
    return out


def find_counts(text: str) -> tuple[Count, ...]:
    """Numbers reported in ``text`` with hedges resolved (``surface`` is the original phrase)."""
    f = fold(text)
    return tuple(
        replace(c, surface=text[slice(*f.span(s, e))]) for s, e, c in _counts_in(f.text, 0, len(f.text))
    )


# ---------------------------------------------------------------- the document
class _Doc:
    """Folded text of one document with its places, actors and sentences."""

    def __init__(self, doc: Document, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        self.f = fold(doc.text)
        self.text = self.f.text
        self.day = _parse_date(doc.date)
        spans = sorted(((self.fpos(m.start), self.fpos(m.end), m) for m in mentions), key=lambda s: s[0])
        chars = list(self.text)
        for s, e, _ in spans:
            chars[s:e] = " " * (e - s)
        self.blank = "".join(chars)
        self.actors = _find_spans(self.text)
        self.countries: list[_Place] = []
        self.places: list[_Place] = []
        self.any_place = False
        last: _Place | None = None
        for s, e, m in spans:
            p = _Place(m, s, e, _clitic_prefix(m))
            in_actor = any(a < e and s < b for a, b, _ in self.actors)
            if _country_scale(m):
                if not in_actor:
                    self.countries.append(p)
                continue
            self.any_place = True
            before = self.text[max(0, s - 80) : s].rstrip() + (" " + p.prefix if p.prefix else "")
            if in_actor or _SOURCE_PLACE.search(before):
                continue
            p.weak = bool(_ACTOR_ORIGIN.search(before))
            inside = last is not None and self._contains(last, p)
            last = p
            if not inside:
                self.places.append(p)

    def fpos(self, orig: int) -> int:
        return bisect_left(self.f.index, orig)

    def _contains(self, a: _Place, b: _Place) -> bool:
        """True when ``b`` only says where ``a`` is (``X في ريف حماة``)."""
        kind = b.mention.place.kind if b.mention.place else (b.mention.kind_hint or "")
        if b.mention.place and b.mention.place.id in a.mention.context:
            return True
        link = (self.text[a.end : b.start] + " " + b.prefix).split()
        return kind in AREA_KINDS and link in (["في"], ["ب"], ["in"])

    def window(self, lo: int, hi: int, n: int) -> str:
        """The last ``n`` (or first ``-n``) words of ``[lo, hi)``, place names left out."""
        toks = [t for t in self.blank[lo:hi].split() if t not in _TRANSPARENT]
        return " ".join(toks[-n:] if n > 0 else toks[:-n])

    def orig(self, lo: int, hi: int) -> tuple[int, int]:
        return self.f.span(lo, hi)


def _country_scale(m: Mention) -> bool:
    """A country, or a region spanning several governorates (شمال سوريا): too vague for an event."""
    if m.place is None:
        return m.kind_hint == "country"
    return m.place.kind == "country" or m.place.kind == "region" and not (m.place.admin1 or m.place.parent_id)


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _clitic_prefix(m: Mention) -> str:
    s, n = fold(m.surface).text, fold(m.name).text
    i = s.find(n) if n else -1
    if i > 0:
        return s[:i] if i <= 2 else ""
    if i < 0 and s[:1] in ("و", "ب") and not n.startswith(s[:1]):
        return s[:1]
    return ""


def _find_spans(text: str) -> list[tuple[int, int, str]]:
    """Actor names in folded text as (start, end, canonical name), longest first, no overlaps."""
    found = sorted(
        ((m.start(), m.end(), name) for name, rx in _ACTORS for m in rx.finditer(text)),
        key=lambda s: (s[0], -s[1]),
    )
    out: list[tuple[int, int, str]] = []
    for s in found:
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


def _find_triggers(text: str) -> list[_Trig]:
    found = []
    for t, tag, rx in _TRIGGERS:
        for m in rx.finditer(text):
            prev = text[max(0, m.start() - 30) : m.start()].split()[-1:] or [""]
            word = m.group("w")
            if any(w.search(word) and p.search(prev[0]) for w, p in _BLOCKERS):
                continue
            if m.group("pre") == "ل" and word.startswith("مواجه"):  # لمواجهة: purpose, not a clash
                continue
            found.append(_Trig(t, tag, m.start("w"), m.end("w"), m.start()))
    found.sort(key=lambda x: (x.full, -x.end))
    out: list[_Trig] = []
    for x in found:
        if not out or x.full >= out[-1].end:
            out.append(x)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in [*_SENT_END.finditer(text), None]:
        end = m.end() if m else len(text)
        chunk = text[pos:end]
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if re.search(r"\w", body):
            out.append((pos + lead, pos + lead + len(body)))
        pos = end
    return out


def _clauses(d: _Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    cuts = {m.end() + lo for m in _CLAUSE_SEP.finditer(d.text[lo:hi])}
    cuts |= {m.start() + lo for m in _CONNECTOR.finditer(d.text[lo:hi])}
    place_starts = {p.start for p in d.places} | {p.start for p in d.countries}
    out: list[tuple[int, int]] = []
    for a, b in zip([lo, *sorted(cuts)], [*sorted(cuts), hi], strict=True):
        seg = d.text[a:b]
        first = a + len(seg) - len(seg.lstrip())
        cont = first in place_starts or first + 1 in place_starts and d.text[first] == "و"
        cont = cont or d.text.startswith("and ", first) and first + 4 in place_starts
        if out and cont and d.text[a - 1 : a] in "،,":
            out[-1] = (out[-1][0], b)
        elif b > a:
            out.append((a, b))
    return out


# ---------------------------------------------------------------- per clause
def _groups(d: _Doc, trigs: list[_Trig]) -> list[_Group]:
    """Adjacent trigger words of one type make one group; generic words take a neighbour's type."""

    def merge(groups: list[_Group]) -> list[_Group]:
        out: list[_Group] = []
        for g in groups:
            if out and out[-1].type == g.type and len(d.text[out[-1].end : g.start].split()) <= 1:
                out[-1].trigs += g.trigs
            else:
                out.append(g)
        return out

    def gap(a: _Group, b: _Group) -> int:
        return len(d.text[min(a.end, b.end) : max(a.start, b.start)].split())

    groups = merge([_Group(t.type, [t]) for t in trigs])
    for g in groups:
        if g.type == _T.SHELLING and not g.tags & {"artill"}:
            if any(h.type == _T.AIR_STRIKE and gap(g, h) <= 4 for h in groups):
                g.type = _T.AIR_STRIKE
        elif g.type == _T.ARMED_CLASH and g.tags == {"soft"}:
            near = [h for h in groups if h.type in (_T.SHELLING, _T.AIR_STRIKE) and gap(g, h) <= 2]
            if near:
                g.type = near[0].type
    return merge(groups)


def _status(d: _Doc, g: _Group, clause: tuple[int, int], sent_end: int) -> tuple[str, list[str]]:
    """Status of a trigger group and notes, from the cue words around it."""
    before, near, close = (d.window(clause[0], g.start, n) for n in (5, 4, 3))
    after = d.window(g.end, clause[1], -3)
    violent = g.type in _VIOLENT or g.type == _T.DISPLACEMENT
    if _NEG.search(near):
        return "negated", []
    if _OPINION.search(before) or violent and _REJECT.search(before):
        return "mentioned", []
    if violent:
        if _FAIL.search(close):
            return "failed", ["repelled"]
        if _ATTEMPT.search(close):
            failed = _FAIL.search(d.window(g.end, sent_end, -12))
            return ("failed", ["attempt failed"]) if failed else ("attempted", ["attempt"])
        return "reported", []
    cues = ["breach alleged"] if _BREACH.search(close) else []
    if _REJECT.search(before) or _REJECT.search(after):
        return "rejected", cues
    if _PROPOSE.search(near) or _PROPOSE.search(after):
        return "proposed", cues
    if g.type == _T.CEASEFIRE and ("agree" in g.tags or _AGREE.search(near)):
        cues.append("agreed")
    return "reported", cues


def _coordinated(d: _Doc, a: _Group, b: _Group) -> bool:
    words = d.text[a.end : b.start].split()
    joined = b.trigs[0].full < b.trigs[0].start and d.text[b.trigs[0].full] == "و"
    return len(words) <= 2 and (joined or bool(set(words) & _COORD))


def _assign_places(d: _Doc, groups: list[_Group], places: list[_Place]) -> None:
    for p in places:
        prior = [g for g in groups if g.end <= p.start]
        later = [g for g in groups if g.start >= p.end]
        if prior:
            prior[-1].after.append(p)
        elif later:
            later[0].before.append(p)
    for a, b in zip(groups, groups[1:], strict=False):
        if a.type != b.type and _coordinated(d, a, b):
            if not a.after and not a.before:
                a.after = list(b.after or b.before)
            elif not b.after and not b.before:
                b.before = list(a.after or a.before)


def _sentence_clusters(d: _Doc, sent: tuple[int, int], trigs: list[_Trig]) -> list[_Cluster]:
    fs, fe = d.fpos(sent[0]), d.fpos(sent[1])
    span = (sent[0], sent[1], fs, fe)
    clusters: list[_Cluster] = []
    spare: list[_Place] = []  # places of clauses that have no trigger
    for clause in _clauses(d, fs, fe):
        groups = _groups(d, [t for t in trigs if clause[0] <= t.full < clause[1]])
        places = [p for p in d.places if clause[0] <= p.start < clause[1]]
        if not groups:
            spare += places
            continue
        for g in groups:
            g.status, g.cues = _status(d, g, clause, fe)
        for a, b in zip(groups, groups[1:], strict=False):
            if a.status in ("negated", "mentioned") and b.status == "reported" and _coordinated(d, a, b):
                b.status = a.status
        _assign_places(d, groups, places)
        by_key: dict[tuple, _Cluster] = {}
        for g in groups:
            key = (g.type, g.status, "vac" if g.tags & {"vac", "abduct"} else "")
            if key not in by_key:
                by_key[key] = _Cluster(g.type, [], span, clause, [])
                clusters.append(by_key[key])
            c = by_key[key]
            c.groups.append(g)
            c.places += [p for p in g.places if p not in c.places]
    for c in clusters:
        if not c.places:
            c.places = list(spare)
        elif c.type == _T.DISPLACEMENT:  # … حيث وصلوا إلى X: a destination in a later clause
            c.places += [p for p in spare if p.start > c.clause[1]]
    return clusters


# ---------------------------------------------------------------- event fields
def _roles(d: _Doc, c: _Cluster) -> tuple[list[_Place], list[_Place]]:
    """Origins and destinations of a displacement, from the preposition before each place.

    A place with no preposition of its own takes the role of the place it is coordinated
    with; a place before the trigger is an origin; places of later clauses count only as
    destinations (… حيث وصلوا إلى X).
    """
    origins: list[_Place] = []
    dests: list[_Place] = []
    role, anchor = "origin", c.groups[0].end
    for p in sorted(c.places, key=lambda x: x.start):
        if p.start < c.groups[0].start:
            role = "origin"
        else:
            lo = max(anchor, c.clause[0])
            arrival = bool(_ARRIVE.search(d.text[c.clause[0] : p.start]))
            for w in reversed((d.text[lo : p.start] + " " + p.prefix).split()):
                w = w.strip("\"'«»“”")
                w = w[1:] if w[:1] == "و" and len(w) > 1 else w
                if w in _ORIGIN_PREP or w in _DEST_PREP or w in _IN_PREP:
                    in_role = "destination" if arrival else "origin"
                    role = "origin" if w in _ORIGIN_PREP else "destination" if w in _DEST_PREP else in_role
                    break
        if role == "destination":
            dests.append(p)
        elif p.start < c.clause[1]:
            origins.append(p)
        anchor = p.end
    return origins, dests


def _actors(d: _Doc, c: _Cluster) -> tuple[str | None, str | None]:
    """Actor 1 is the agent: in Arabic the actor right after the trigger (قصفت قوات النظام، قصف
    النظام) or else the nearest one before it; in English "by X" or the nearest one before.
    Actors after على/ضد/on/against are targets. Actor 2 is another actor of the clause or sentence.
    Displacements get no actors."""
    if c.type == _T.DISPLACEMENT:
        return None, None
    word_end = c.groups[0].trigs[0].end
    start = c.groups[0].start
    arabic = is_arabic(d.text[c.sent[2] : c.sent[3]])
    in_clause = [a for a in d.actors if c.clause[0] <= a[0] < c.clause[1]]
    in_sent = [a for a in d.actors if c.sent[2] <= a[0] < c.sent[3]]
    agents = [a for a in in_clause if not _TARGET_MARK.search(d.text[max(0, a[0] - 15) : a[0]])]
    after = [a for a in agents if a[0] >= word_end]
    near_after = [a for a in after if arabic and len(d.text[word_end : a[0]].split()) <= 2]
    by = [a for a in after if d.text[max(0, a[0] - 3) : a[0]] == "by "]
    prior = [a for a in agents if a[1] <= start]
    first = near_after or by or prior[-1:] or agents or in_clause
    actor1 = first[0][2] if first else None
    rest = [a[2] for a in in_clause + in_sent if a[2] != actor1]
    return actor1, (rest[0] if rest else None)


def _date(d: _Doc, c: _Cluster) -> tuple[str | None, int]:
    if d.day is None:
        return None, 3
    g = c.groups[0]
    for lo, hi in (c.clause, c.sent[2:]):
        hits = list(_DAY_WORD.finditer(d.text[lo:hi]))
        if hits:
            best = min(hits, key=lambda m: abs(m.start() + lo - g.start))
            word = best.group("d") or best.group("e")
            if word in _WEEKDAYS:
                delta = -((d.day.weekday() - _WEEKDAYS[word]) % 7)
            else:
                delta = _DAY_OFFSET[word]
            return (d.day + timedelta(days=delta)).isoformat(), 1
    return d.day.isoformat(), 3


def _sub_event(c: _Cluster, actor1: str | None) -> tuple[str, str]:
    event_type, sub = _ACLED[c.type]
    tags = set().union(*(g.tags for g in c.groups))
    if c.type == _T.ARMED_CLASH and "capture" in tags and c.status == "reported":
        if actor1 in _GOV_SIDE:
            sub = "Government regains territory"
        elif actor1 in _NON_STATE:
            sub = "Non-state actor overtakes territory"
    elif c.type == _T.OTHER and tags & {"vac", "abduct"}:
        event_type = "Violence against civilians"
        sub = "Abduction/forced disappearance" if "abduct" in tags else "Attack"
    return event_type, sub


def _attach_counts(d: _Doc, clusters: list[_Cluster]) -> None:
    by_sent: dict[tuple, list[_Cluster]] = {}
    for c in clusters:
        by_sent.setdefault(c.sent, []).append(c)
    for sent, group in by_sent.items():
        for s, e, count in _counts_in(d.text, sent[2], sent[3]):
            fits = [c for c in group if c.type in _COMPATIBLE.get(count.what, ())]
            fits.sort(key=lambda c: (not c.clause[0] <= s < c.clause[1], abs(c.groups[0].start - s)))
            if fits:
                c = fits[0]
                if c.count is None or c.count.what == "injured" and count.what == "killed":
                    what = {"people": "displaced", "families": "displaced families"}.get(
                        count.what, count.what
                    )
                    c.count = replace(count, what=what, surface=d.doc.text[slice(*d.orig(s, e))])


def _event(d: _Doc, c: _Cluster, places: list[_Place]) -> Event:
    g = c.groups[0]
    ts, te = d.orig(g.trigs[0].start, g.end)
    origins: list[_Place] = []
    dests: list[_Place] = []
    locations = places
    if c.type == _T.DISPLACEMENT:
        origins, dests = _roles(d, replace(c, places=places))
        locations = origins or dests
    actor1, actor2 = _actors(d, c)
    date_, precision = _date(d, c)
    event_type, sub = _sub_event(c, actor1)
    notes = sorted({cue for gr in c.groups for cue in gr.cues})
    return Event(
        id="",
        doc_id=d.doc.id,
        type=c.type,
        event_type=event_type,
        sub_event_type=sub,
        sentence=d.doc.text[c.sent[0] : c.sent[1]],
        start=c.sent[0],
        end=c.sent[1],
        trigger=d.doc.text[ts:te],
        trigger_start=ts,
        trigger_end=te,
        locations=tuple(p.mention for p in locations),
        origins=tuple(p.mention for p in origins),
        destinations=tuple(p.mention for p in dests),
        count=c.count,
        actor1=actor1,
        actor2=actor2,
        status=c.status,
        date=date_,
        time_precision=precision,
        doc_url=d.doc.url,
        notes="; ".join(notes),
        sources=(d.doc.id,),
    )


def _ceasefire(d: _Doc, members: list[_Cluster]) -> Event:
    """One document-level ceasefire from its placeless mentions."""
    events = [_event(d, c, []) for c in members]
    score = lambda e: (e.status == "reported", "agreed" in e.notes, e.time_precision == 1)  # noqa: E731
    best = max(events, key=score)
    status = (
        "reported"
        if any(e.status == "reported" for e in events)
        else ("rejected" if any(e.status == "rejected" for e in events) else best.status)
    )
    notes = []
    rejecters = sorted({e.actor1 or "unnamed party" for e in events if e.status == "rejected"})
    if rejecters:
        notes.append("rejected by " + ", ".join(rejecters))
    if any(e.status == "proposed" for e in events):
        notes.append("proposed")
    notes += sorted({n for e in events for n in e.notes.split("; ") if n})
    for c in members:
        for s, e, count in _counts_in(d.text, c.clause[0], c.clause[1]):
            if count.what == "measure":
                notes.append("duration " + d.doc.text[slice(*d.orig(s, e))])
    dated = [e for e in events if e.time_precision == 1]
    places = tuple(p.mention for p in d.countries[:1])
    return replace(
        best,
        status=status,
        notes="; ".join(dict.fromkeys(notes)),
        locations=places,
        date=(dated or [best])[0].date,
        time_precision=(dated or [best])[0].time_precision,
    )


# ---------------------------------------------------------------- public API
def extract_events(doc: Document, mentions: Sequence[Mention]) -> tuple[tuple[Event, ...], tuple[Flow, ...]]:
    """Events and displacement flows reported in ``doc``, tied to its resolved place mentions.

    Args:
        doc: the document.
        mentions: its place mentions (offsets into ``doc.text``).

    Returns:
        Events in text order (ids ``{doc.id}:e{n}``) and flows (``{doc.id}:f{n}``).
    """
    d = _Doc(doc, mentions)
    trigs = _find_triggers(d.text)
    clusters = [c for sent in _sentences(doc.text) for c in _sentence_clusters(d, sent, trigs)]
    clusters = [c for c in clusters if c.status not in ("negated", "mentioned")]
    violent_clauses = {c.clause for c in clusters if c.type in _VIOLENT}
    clusters = [
        c
        for c in clusters
        if not (c.type == _T.OTHER and c.clause in violent_clauses and c.groups[0].tags & {"vac", "abduct"})
    ]
    _attach_counts(d, clusters)
    events: list[Event] = []
    placeless_ceasefire = []
    for c in clusters:
        if c.places:
            events.append(_event(d, c, c.places))
        elif c.type == _T.CEASEFIRE:
            placeless_ceasefire.append(c)
        elif not d.any_place and c.status == "reported":
            countries = [p for p in d.countries if c.sent[2] <= p.start < c.sent[3]]
            events.append(_event(d, c, countries))
    if placeless_ceasefire and not any(e.type == _T.CEASEFIRE for e in events):
        events.append(_ceasefire(d, placeless_ceasefire))
    unique: dict[tuple, Event] = {}
    for e in sorted(events, key=lambda e: e.trigger_start):
        key = (e.type, e.status, _place_key(e)) if _place_key(e) else (e.trigger_start,)
        if key in unique:
            if unique[key].count is None and e.count is not None:
                unique[key] = replace(unique[key], count=e.count)
            continue
        unique[key] = e
    final = [replace(e, id=f"{doc.id}:e{n}") for n, e in enumerate(unique.values(), 1)]
    flows = [
        Flow(f"{doc.id}:f{0}", doc.id, e.id, o, dest, e.count, e.sentence, e.start, e.end)
        for e in final
        if e.type == _T.DISPLACEMENT
        for o in e.origins
        for dest in (e.destinations or (None,))
    ]
    flows = [replace(f, id=f"{doc.id}:f{n}") for n, f in enumerate(flows, 1)]
    return tuple(final), tuple(flows)


def _place_key(e: Event) -> frozenset[str]:
    return frozenset(
        m.place.id if m.place else "name:" + m.name for m in e.locations + e.origins + e.destinations
    )


def merge_events(events: Sequence[Event]) -> tuple[Event, ...]:
    """Merge events of several documents at the same places, of the same type and date.

    The first event of each group keeps its evidence; ``sources`` lists every document.
    Events without places are never merged.
    """
    merged: dict[tuple, Event] = {}
    for e in events:
        key = (e.type, _place_key(e), e.date) if _place_key(e) else (e.id, e.doc_id)
        sources = e.sources or (e.doc_id,)
        if key in merged:
            first = merged[key]
            merged[key] = replace(
                first, sources=tuple(dict.fromkeys(first.sources + sources)), count=first.count or e.count
            )
        else:
            merged[key] = replace(e, sources=tuple(dict.fromkeys(sources)))
    return tuple(merged.values())
