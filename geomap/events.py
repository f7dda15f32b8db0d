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
   governorate; a displacement with no other place keeps such a region of its sentence,
   as DTM figures are), cities far abroad (أنقرة: a government), places inside an actor name, places of a news source
   (``قال مصدر في إدلب``) and containers (``السرمانية في سهل الغاب بريف حماة`` keeps
   only السرمانية) are set aside. Each remaining place of a clause goes to the nearest
   trigger group *before* it, else to the nearest one after it (a weaker link, used only
   when the group has no place after it). The place fire came from (من مواقعها في X،
   from X) is no place of a shelling or air strike. Coordinated groups of different types share
   places (``قصف مدفعي وغارات على X``). A group without a place in its clause may take the
   places of the sentence's trigger-less clauses.
4. Groups of one type and status in a clause make **one event** (all its places, one
   count). Places of a displacement are origins (من / from, or before the trigger) or
   destinations (إلى، نحو، باتجاه / to, towards; في / in after an arrival word); a route
   (عبر / via) is neither. A flight told again without an origin, in its sentence or the
   two after («ووصل معظمهم إلى Y», buses that leave, «معظمهم من X»), is the same flight,
   and a sentence right after it that says where people arrived gives its destinations.
   Background (العام الماضي، رغم، بعد أيام من، last year) and what is yet to come are mentioned.
5. **Placeless events** are dropped when the document names any place (other than
   countries); in a document naming none, reported events keep a country of their
   sentence, or no location. Ceasefire mentions without a place are taken to be about
   one agreement: they make a single document-level event (status ``reported`` if any
   mention reports it in force, with the rejections and proposals in ``notes``),
   located in the document's first country that is not an actor, unless another
   ceasefire event of the document has a place.
6. **Counts** (``geomap.counts``: numbers, hedges and what they count). A count attaches to the nearest
   compatible event of its clause, else of its sentence (events with a place first), or to
   the event at the place it names («مقتل 3 مدنيين في قرية X»: X becomes an event of its
   own, unless an event of the two sentences before is at X); casualties and munitions of a
   sentence without such an event, and a convoy's or arrivals' count, go to the last
   compatible event of the two sentences before. The **primary count** (``Event.count``)
   is the deaths if any (added up), else the displaced, else strikes or munitions, else
   the injured; ``Event.fatalities`` is the deaths alone (ACLED). Flows of one event carry
   the same ``Count`` object and must not be summed.
7. **Actors** (canonical English names), **dates** (doc date; اليوم، أمس، أول أمس,
   weekdays, today/yesterday/on Saturday → precision 1), **sub-event types** (captures
   with a clear actor → "Government regains territory" / "Non-state actor overtakes
   territory"). Violence against civilians (إعدام، مجزرة، اختطاف / executed, massacre,
   abducted) is ``EventType.OTHER`` with ACLED event type "Violence against civilians",
   and is dropped when the clause reports shelling, strikes or clashes (the better class).
   A massacre (مجزرة) takes the class of the strike or shelling of its sentence, and a
   massacre at a place the document reports struck is that event (its deaths go there).
   Deaths reported at a governorate or countryside go to the violent event without deaths
   at a settlement inside it.

One ``Flow`` per origin × destination (destination ``None`` when no named place);
``merge_events`` merges the events that several documents report (same class, places and day).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from geomap.counts import FLEE_CUE, counts_in
from geomap.model import AREA_KINDS, Count, Document, Event, EventType, Flow, Mention, Place
from geomap.normalize import (
    CLITIC_PATTERN,
    any_of,
    cue_pattern,
    fold,
    fold_document,
    is_arabic,
    lexicon_pattern,
)

# ---------------------------------------------------------------- trigger lexicon
# One line per trigger family: event type, tag (- for none), language, regex of word forms
# on folded text. Arabic forms take the clitics و ف ب ل ك ال and pronoun suffixes ها/هم;
# "ar0" forms take no clitic (وفر "provided" is not فر "fled"). English forms begin with a
# lower-case Latin letter: the scan for where triggers start tries them only there.
_TRIGGER_TABLE = r"""
armed_clash  -        ar   (?<!فض )(?<!فك )(?<!فض ال)(?<!فك ال)اشتباك(?:ات)?|اشتبك(?:ت|وا)?|يشتبك(?:ون)?|معارك|معركه|مواجه(?:ه|ات)|قتال|اقتتال
armed_clash  -        ar   اقتحام|اقتحم(?:ت|وا)?|تصدي|تصدت|تصدوا|[تي]تصدي|تقدم(?:ت|وا|ا)?|[يت]تقدم
armed_clash  soft     ar   هجوم(?:ا)?|هجمات|هاجم(?:ت|وا)?|يهاجم(?:ون)?
armed_clash  capture  ar   (?:سيطر(?:ت|وا)?|سيطره|[يت]سيطر)(?! (?:علي )?(?:ال)?(?:حريق|حرائق|نيران|نار|وضع|اوضاع|انتشار)\w*)|استعاد(?:ت|وا)?|استعاده|[يت]ستعيد|انتزع(?:ت|وا)?|انتزاع
armed_clash  capture  ar   اعاد(?:ت|وا)?(?= (?:\S+ ){0,6}?(?:ال)?امن و(?:ال)?استقرار)
armed_clash  capture  ar   تحررت|القضاء علي (?:\S+ ){0,2}(?:جيب|معقل|معاقل)|حرر(?:ت|وا)?|[يت]حرر|تحرير(?= (?:\S+ )?(?:بلد(?:ه|ات|تي)|قري(?:ه|تي)?|مدين(?:ه|تي)|مناطق|تل|مواقع|نقاط)(?!\w))
armed_clash  -        ar   كمين|كمينا|تسلل|محاوله تسلل|اغار(?:ت|وا)?
armed_clash  capture  ar   دخل(?:ت|وا)?(?= (?:ال)?(?:قوات|فصائل|عناصر|مقاتل(?:و|ي)|وحدات|ميليشيات|جيش)(?!\w))(?![^.،]{0,80}(?:دوري|اتفاق|بموجب|تفاهم))
armed_clash  withdraw ar   انسحب(?:ت|وا)?(?= (?:ال)?(?:قوات|فصائل|عناصر|مقاتل(?:و|ي)|وحدات|ميليشيات|جيش)(?!\w))(?![^.،]{0,80}(?:دوري|اتفاق|بموجب|تفاهم))
armed_clash  -        ar   دمر(?:ت|وا)?(?= (?:\S+ ){0,3}(?:اليات|اليه|عربات|عربه|تحصينات|مقرات|اوكار|مرابض|دبابات|دبابه|تجمعات|تجمع|مواقع)(?!\w))
armed_clash  -        en   clash(?:es|ed|ing)?|fighting|fought|battl(?:e|es|ed)|combat|skirmish(?:es)?
armed_clash  -        en   storm(?:s|ed|ing)?|advanc(?:e|es|ed|ing)
armed_clash  soft     en   attack(?:s|ed)?|assaults?|offensive
armed_clash  capture  en   captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|recaptur(?:e|ed|es)|regain(?:ed|s)?|retook
armed_clash  capture  en   (?:took|take|taken|taking|gained|regained|retook) (?:full |complete |total )?control|overran|overrun
shelling     generic  ar   قصف(?:ت|وا|ا)?|[يت]قصف(?:ون)?|استهدف(?:ت|وا)?|[يت]ستهدف(?:ون)?
shelling     artill   ar   (?<!كليه )(?<!كليه ال)(?<!مدرسه )(?<!مدرسه ال)مدفعي(?:ه)?|هاون|راجم(?:ه|ات)
shelling     -        ar   قذائف|قذيفه|قذيفت(?:ان|ين)|صاروخ(?:ا|ان|ين)?|صواريخ|صاروخي(?:ه)?
shelling     generic  en   bombard(?:ed|ing|ments?)?|bomb(?:ed|ing|ings)
shelling     artill   en   artillery|mortars?
shelling     -        en   shell(?:s|ed|ing)|rockets?|missiles?
air_strike   -        ar   (?:ضربه|ضربات) (?:ال)?جويه|(?:قصف|هجوم)(?:ا)? (?:ال)?جوي(?:ا)?|غاره|غارات|طيران(?! (?:ال)?استطلاع)|حربي(?:ه)?
air_strike   -        ar   طائر(?:ه|ات)(?! (?:ال)?استطلاع)(?: (?:ال)?مسير(?:ه|ات))?|مروحي(?:ه|ات)?|براميل|برميل(?:ا|ين|ان)?|مسيرات
air_strike   -        en   air ?strikes?|air ?raids?|air attacks?|aerial (?:bombardment|attacks?)|war ?planes?
air_strike   -        en   (?:fighter )?jets?|helicopters?|gunships?|barrel ?bombs?|drones?(?: strikes?)?
air_strike   -        en   bombing raids?
air_strike   -        en   (?:(?<=russian )|(?<=coalition )|(?<=israeli )|(?<=turkish )|(?<=regime )|(?<=us ))strikes?
displacement -        ar   نزوح|نزح(?:ت|وا)?|ينزح(?:ون)?|تهجير|هجروا|تشريد|اجلاء|اخلاء
displacement noun     ar   نازح(?:ين|ون|ي|ا|ه|ات)?|مهجر(?:ين|ون|ي)?
displacement move     ar   خروج|خرج(?:ت|وا)?|[يت]خرج(?:ون)?|نقل(?:ت|وا)|وصل(?:ت|وا)?|وصول|[يت]صل(?:ون)?|توجه(?:ت|وا)?|اتجه(?:ت|وا)?|لجا(?:ت|وا)?|لجوء|غادر(?:ت|وا)?|[يت]غادر(?:ون)?
displacement -        ar   (?:ال)?باصات (?:ال)?خضراء|(?:ال)?حافلات (?:ال)?خضراء|خروج (?:ال)?دفع(?:ه|ات)
displacement -        ar   شرد(?:ت|وا)?|فرار|هرب(?:ت|وا|ا)?|يهرب(?:ون)?
displacement move     ar   (?:حافل(?:ه|ات|تين|تان)|باص(?:ات)?)(?= (?:\S+ ){0,8}?(?:تقل|يقل|تحمل|محمل\w*|تنقل|علي متنها)(?!\w))
displacement -        ar0  فر(?:وا|ت)?|[يت]فر(?:ون)?|وفر(?:وا)?(?= (?:\S+ ){0,2}(?:من|الي|باتجاه|نحو|هربا)(?!\w))
displacement -        ar   (?:مغادره|غادر(?:ت|وا)?|[يت]غادر(?:ون)?|ترك(?:ت|وا)?|[يت]ترك(?:ون)?)(?: \w+)? (?:منازل|بيوت|مساكن|قري)\w*
displacement -        en   (?:left|leaving|abandon(?:ed|ing)?) (?:their|his|her) (?:homes?|houses?|villages?)
displacement -        en   displacement|fled|flee(?:s|ing)?|exodus|uprooted|evacuat(?:ed|ion|ions)|buss?ed|trucked
displacement move     en   bus(?:es)?(?= (?:\S+ ){0,2}carrying)
displacement -        en   (?:ha(?:s|ve|d) been |were |was |(?<!\w)(?:has|have|had) )displaced|displacing
displacement noun     en   displaced|idps
displacement move     en   (?:have|has|had) left|left(?= (?:the|their) )|(?:allowed|forced) to leave
displacement move     en   (?:(?<=thousands )|(?<=hundreds )|(?<=people )|(?<=civilians )|(?<=families )|(?<=residents )|(?<=more ))left
ceasefire    -        ar   هدنه|هدنات|وقفا? (?:ل)?اطلاق (?:ال)?نار|تهدئه|منزوعه السلاح|(?:ال)?دوري(?:ه|ات) (?:\S+ ){0,2}(?:ال)?مشترك(?:ه)?
ceasefire    -        ar   خفض (?:ال)?تصعيد
ceasefire    agree    ar   اتفاق(?:ا|ات)?|اتفاقيه
ceasefire    -        en   cease ?fires?|truces?|armistice|de escalation (?:agreement|deal|accord)
ceasefire    -        en   demilitari[sz]ed zones?|joint patrols?
ceasefire    agree    en   agreements?
other        -        ar   تعزيزات|حشود|حشد(?:ت|وا)?|رتل|ارتال
other        -        en   reinforcements?|(?:troop )?build ?up|military convoys?|deploy(?:ed|ment|ments)
other        vac      ar   اعدام(?:ات)?|اعدم(?:ت|وا)?|اغتيال|اغتال(?:ت|وا)?|برصاص|قنص|قناص
other        vac      en   snipers?|gunmen(?! (?:\S+ ){0,4}(?:were |be )?(?:bused|evacuated|transferred|allowed))|shot dead
other        vac      en   executed|executions?|assassinat(?:ed|ion)
other        massacre ar   مجزره|مجازر
other        massacre en   massacres?
other        abduct   ar   اختطاف|اختطف(?:ت|وا)?|خطف(?:ت|وا)?
other        ied      ar   انفجار(?:ين|ان|ات)?|انفجر(?:ت)?|تفجير(?:ين|ان|ات)?|عبو(?:ه|ات|تين|تان) ناسف(?:ه|ات|تين|تان)|سيار(?:ه|ات|تين|تان) مفخخ(?:ه|ات|تين|تان)|مفخخ(?:ه|ات|تين|تان)|لغم|الغام
other        suicide  ar   (?:تفجير|هجوم|عمليه) انتحاري(?:ه)?|انتحاري(?:ه|ين|ان)?|فجر(?:ا|وا|ت)? (?:نفسه|نفسها|نفسيهما|انفسهم)|(?:حزام|احزمه|احزمت)\w* (?:ال)?ناسف(?:ه)?
other        ied      en   explosions?|explod(?:ed|es|ing)|blasts?|(?:car|truck|roadside) bombs?|ieds?|(?:land)?mines?
other        suicide  en   suicide (?:bomb(?:s|ings?|ers?)?|attacks?|attackers?)
other        abduct   en   abduct(?:ed|ion|ions)?|kidnap(?:ped|ping|pings)?
"""
_WORD = {
    "ar": rf"(?<!\w)(?P<pre>{CLITIC_PATTERN})(?P<w>(?:{{}})(?:ها|هم|هما|(?<=ت)ه|وها|وهم|وه)?)(?!\w)",
    "ar0": r"(?<!\w)(?P<pre>)(?P<w>{})(?!\w)",
    "en": r"\b(?P<pre>)(?P<w>{})\b",
}
_TRIGGERS: tuple[tuple[EventType, str, re.Pattern[str]], ...] = tuple(
    (EventType(t), "" if tag == "-" else tag, lexicon_pattern(_WORD[lang].format(rx)))
    for t, tag, lang, rx in (line.split(maxsplit=3) for line in _TRIGGER_TABLE.strip().splitlines())
)
_T = EventType
_VAC_TAGS = frozenset({"vac", "massacre", "abduct"})  # violence against civilians
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
    (lexicon_pattern(r"^سيطر"), lexicon_pattern(r"(?:مناطق|منطقه|تحت|خاضعه|خاضع|الخاضع|الخاضعه|نفوذ)$")),
    (lexicon_pattern(r"^خفض"), lexicon_pattern(r"(?:مناطق|منطقه)$")),
    (lexicon_pattern(r"^مواجه"), lexicon_pattern(r"^(?:في|ل)$")),  # «في مواجهة كورونا»: facing
    (lexicon_pattern(r"^انفجار"), lexicon_pattern(r"شديد\w*$")),  # «صواريخ شديدة الانفجار»
)


# ---------------------------------------------------------------- cue words (folded)
_NEG = cue_pattern(
    r"لم|لن|ليس|ليست|عدم|دون|بدون|بلا|غياب|خلو|توقف\w*|وقف|انخفاض\w*|تراجع\w*|هدوء|منع|لمنع|يمنع"
    r"|لا(?! (?:تزال|يزال|زال|زالت|يقل|تقل))|no|not|never|without|halt\w*|stop\w*|absence|lull|decline"
)
_DENY = cue_pattern(r"نفي|نفت|[يت]نفي|den(?:y|ies|ied)")
#: Not yet happened: «هجوم مرتقب», «قد تشن هجوماً», "feared offensive", "could attack".
_FUTURE = cue_pattern(
    r"مرتقب\w*|محتمل\w*|وشيك\w*|[يت]خشي|خشيه|مخاوف|تحذير\w*|حذر\w*|[يت]حذر\w*|[يت]هدد\w*|هدد\w*|تهديد\w*"
    r"|توقع\w*|[يت]توقع\w*|متوقع\w*|[يت]ستعد\w*|استعداد\w*|تحضير\w*|[يت]حضر\w*|سوف"
    r"|س[يت]ؤدي|س[يت]تسبب"  # «هجوم سيؤدي إلى نزوح»: a consequence yet to come
    r"|س[يت](?:نقل|خرج|غادر|نزح|تم|عود|صل|توجه|دخل|سلم)\w*"  # «سيُنقلون», «سيتم»: yet to come
    r"|تمهيدا|paving (?:the )?way|pave (?:the )?way|prepar\w* for"
    r"|قد (?:ي\w+|ت(?!م(?!\w))\w*[^ت\s])"  # «قد تشن» may, not «قد قصفت» / «قد تم» had
    r"|fear\w*|threat\w*|warn\w*|expect\w*|imminent|possible|looming|could|might|planned|prepar\w*"
)
#: A subordinate clause starts: cues before it belong to another verb («عندما», "when").
_SUBORDINATE = lexicon_pattern(r"(?<!\w)(?:عندما|حين|حينما|لدي|اثناء|بينما|when|as|while|after|before)(?!\w)")
_OPINION = cue_pattern(
    r"تنديد|ندد\w*|[يت]ندد\w*|ادان\w*|ادانه|استنكر\w*|استنكار|تعبير|احتجاج\w*|مظاهر\w*|تظاهر\w*"
    r"|تحدثوا|[يت]تحدثون|تحدث\w* (?:\w+ )?عن"
    r"|condemn\w*|denounc\w*|protest\w*|talked|spoke"
)
_REJECT = cue_pattern(r"رفض\w*|[يت]رفض\w*|مرفوض\w*|reject\w*|refus\w*|dismiss\w*")
_PROPOSE = cue_pattern(
    r"اقترح\w*|اقتراح|مقترح\w*|طرح\w*|عرض\w*|[يت]عرض\w*|مبادره|دعا|دعت|[يت]دعو|دعوه"
    r"|propos\w*|offer\w*|call\w* for|suggest\w*"
)
_ATTEMPT = cue_pattern(r"حاول\w*|[يت]حاول\w*|محاول\w*|attempt\w*|tried|trying|tries|sought")
_FAIL = cue_pattern(
    r"فشل\w*|بالفشل|صد(?:ت|وا)?(?:ها|هم|ه)?|[يت]صد(?:ون|ها|هم)?|احبط\w*|افشل\w*|اسقاط|اسقط\w*|failed|repel\w*|repuls\w*|thwart\w*|foil\w*"
    r"|shot down|downed"
)
#: An event from before the news: «كانت قد سيطرت العام الماضي», «سبق أن قصفت», "last year".
_BACKGROUND = lexicon_pattern(
    r"(?<!\w)(?:سبق (?:ان|و)|في وقت سابق|(?<!خلال )(?:العام|الشهر|السنه) (?:الماضي|الفائت|المنصرم)|منذ (?:\S+ )?(?:سنوات|اعوام|اشهر|عام|سنه)"
    r"|[وف]?يذكر ان|تجدر الاشاره|(?:في )?عام (?:19|20)\d\d"
    r"|(?<!منذ )(?<!منذ مطلع )(?<!منذ بدايه )(?<!منذ نهايه )(?<!منذ اواخر )(?<!منذ اوائل )(?<!منذ منتصف )"
    r"(?:كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين)(?: (?:الاول|الثاني))? (?:الماضي|المنصرم)"
    r"|قبل (?:\S+ )?(?:سنوات|اعوام|اشهر|عام|سنه)|last (?:year|month)|years? ago|months ago|previously)(?!\w)"
)
#: What a sentence concedes or dates another event by is no news of its own: «رغم سريان وقف إطلاق
#: النار», «بعد أيام من سيطرة القوات عليها», "despite the truce", "weeks after the capture of".
_CONCEDED = cue_pattern(
    r"رغم|برغم|بالرغم|الرغم|despite|spite"
    r"|بعد (?:\S+ )?(?:ايام|اسابيع|اسبوعين|اشهر|شهرين|سنوات|عامين) (?:علي|من)|(?:days|weeks|months|years) after"
    r"|منذ (?:بدء|بدايه) (?:سريان|تطبيق|تنفيذ)|since (?:the )?(?:truce|ceasefire|deal) took effect"
)
#: A second event that went with the first, where the first was: «وسط غارات مكثفة», "amid shelling".
_AMID = lexicon_pattern(
    r"(?<!\w)(?:وسط|بالتزامن مع|تزامنا مع|مترافقه مع|amid|alongside|accompanied by)(?: \w+)?\s*$"
)
#: «منذ»: what follows a running total is no date of a past event.
_SINCE = cue_pattern(r"منذ|since")
#: A convoy whose count, told after a flight, is the flight's («وضمت القافلة نحو 1500 شخص»).
_CONVOY = cue_pattern(r"قافل\w*|دفع(?:ه|ات)|حافلات|باصات|convoys?|buses")
#: A clause that begins with a place and its preposition goes on with the one before.
_LEAD_PREP = re.compile(
    r"(?:من|الي|نحو|باتجاه|from|to|towards) (?:(?:ال)?(?:مخيم|مدينه|بلده|قريه|حي|منطقه|the town of|the city of) )?"
)
#: A bomb found or defused did not go off.
_DEFUSED = cue_pattern(r"تفكيك\w*|فكك\w*|ابطال|عثر\w*|ضبط\w*|defus\w*|dismantl\w*|found")
#: A time set off by commas («، أمس الإثنين،»).
_TIME_ONLY = lexicon_pattern(
    r"[\s،,]*(?:(?:[وف]?(?:يوم|امس|اليوم|صباح|مساء|فجر|ليل|ليله|ظهر|عصر|الاثنين|الثلاثاء|الاربعاء|الخميس"
    r"|الجمعه|السبت|الاحد|الماضي|on|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|morning|evening|night)[\s،,]*){1,4})"
)
#: «غادرته», «غادروها»: they left the place named before.
_LEFT_IT = lexicon_pattern(r"^غادر(?:ت|وا|و)(?:ه|ها)$")
#: «معظمهم من X», "most of them from X": the flight's origin in a clause of its own.
_MOST_OF_THEM = lexicon_pattern(r"(?<!\w)(?:معظمهم|غالبيتهم|اغلبهم|most of them|mostly) (?:من|from)(?!\w)")
#: A truce that did not hold: «لم يصمد وقف إطلاق النار», "the truce failed to hold".
_NOT_HELD = cue_pattern(r"(?:لم|لن) [يت]صمد|did not hold|failed to hold|collapsed")
_BREACH = cue_pattern(r"خرق\w*|انتهاك\w*|انهار\w*|انهيار|violat\w*|breach\w*|collaps\w*")
_NOT_ACCEPT = cue_pattern(
    r"(?:لن|لا|لم|not|never) (?:\w+ )?(?:[يت]?قبل\w*|[يت]وافق\w*|accept\w*|agree\w*|approv\w*|sign\w*)"
)
_AGREE = cue_pattern(r"اتفاق\w*|ابرم\w*|توصل\w*|وقع\w*|agree\w*|signed|reached|brokered")
_ARRIVE = cue_pattern(
    r"وصل\w*|وصول|[يت]صل\w*|مخيم\w*|[وا]?تجه\w*|[يت]تجه\w*|متجه\w*|توجه\w*|لجا\w*|[يت]لجا\w*|لجوء|انتقل\w*|[يت]نتقل\w*|استقر\w*"
    r"|[يت]قيم\w*|مقيم\w*"
    r"|arriv\w*|reach\w*|shelter\w*|camps?|head\w*|refuge|mov(?:e|es|ed|ing)|settled"
)
_CIVILIANS = cue_pattern(
    r"مدني\w*|عائل\w*|اسر|سكان\w*|اهال\w*|نازح\w*|مهجر\w*|محاصر\w*|شخص\w*|اشخاص|مواطن\w*|الاف"
    r"|people|civilians|families|residents|relatives|thousands|hundreds|syrians"
)
_RETURN = cue_pattern(r"عاد\w*|عوده|[يت]عود\w*|return\w*")
_MOVE = cue_pattern(
    r"ارتفع\w*|بلغ\w*|تجاوز\w*|وصل\w*|وصول|[يت]صل\w*|توجه\w*|[يت]توجه\w*|خروج|خرج\w*|arriv\w*|reach\w*|head\w*|left"
)
_TRANSPARENT = frozenset({"اي", "any", "the", "a", "an"})
_LEADS_TO = lexicon_pattern(r"(?<!\w)(?:الي|would|could|will|lead to|cause)(?!\w)")
_LAUNCH = lexicon_pattern(
    r"(?:^|\s)(?:من|from|مصدر\w*)(?:\s+(?:مواقع\w*|مطار|قاعد\w*|its|their|positions?|bases?|airport))*"
    r"(?:(?<=مواقع)(?:\s+\S+){1,2}?)?(?:\s+(?:في|ب|in|at))?"
    r"(?:\s+(?:محيط|اطراف|قرب|the|\w+\s+(?:held|controlled)))?$"
)
_CAME_FROM = lexicon_pattern(
    r"(?:قادم\w*|انطلاقا|coming|launched|arriving) (?:من|from)(?: (?:بلده|مدينه|قريه|the town of|the village of))? $"
)
_DISTANCE = lexicon_pattern(
    r"(?:كم|كيلو\w*|متر|امتار|بعد|قريب\w*|km|kilomet\w*|miles?|met(?:er|re)s?|far|away|north|south|east|west)\s+(?:من|from)\s*$"
)
_BEARING = lexicon_pattern(r"^(?:شمال|جنوب|شرق|غرب)(?:ي|ي?\S*)?$|^(?:north|south|east|west)\w*$")
#: Words that refer back to a place named before: «البلدة», «المدينة», «محيطها», «منها».
_BACK_REFERENCE = lexicon_pattern(
    r"(?<!\w)[وفبل]{0,2}(?:ال|لل)(?:بلده|مدينه|قريه|معبر|مطار|تله|حي|بلدتين|قريتين|مدينتين|جيب)(?!\w)"
    r"|(?<!\w)(?:محيط|اطراف|داخل|منازل|احياء)ها(?!\w)|(?<!\w)(?:منها|فيها|عليها|اليها)(?!\w)"
    r"|\bthe (?:town|city|village|neighbou?rhood|pocket|enclave|encampment)\b(?! of)"
)
#: «المنطقة», «البلدة»: where an event of the text before was.
_AREA_NOUNS = r"(?:منطقه|مدينه|بلده|قريه)"
_THE_AREA = lexicon_pattern(
    rf"(?<!\w)[وفبل]{{0,2}}(?:ال|لل){_AREA_NOUNS}(?!\w)|\bthe (?:area|town|city|region)\b(?! of)"
)
_FROM_REFERENCE = lexicon_pattern(rf"(?<!\w)من ال{_AREA_NOUNS}(?!\w)|(?<!\w)منها(?!\w)")
_TARGETED = lexicon_pattern(
    r"(?<!\w)(?:استهدف\w*|[يت]ستهدف\w*|طال\w*|علي|ضد)\s+(?:(?:تجمع|مخيم|خيام|مركز|مراكز|مدرسه)\w*\s+)?$"
    r"|\b(?:on|targeting|hit|struck)\s+(?:an?\s+|the\s+)?(?:(?:camp|gathering|shelter)s?\s+(?:of|for)\s+)?$"
)
_ABOUT_N = lexicon_pattern(
    r"(?<!\w)نحو (?=[\d٠-٩]|(?:عشرات|مئات|الاف|الف|مئه|مائه|اثن|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر)\w*)"
)
_FRONT_OF = lexicon_pattern(
    r"(?<!\w)[وفبل]?(?:محاور|جبهات|خطوط|خط|نقاط|مناطق) (?:ال)?$|front ?lines? of (?:the )?$"
)
_EACH_OF = lexicon_pattern(r"(?<!\w)(?:كل|كلا) من\s*$")  # «غارات على كل من X وY»: the targets
_NEAR_SYRIA = (31.3, 38.4, 34.6, 43.4)  # Syria's bounding box and about 100 km around it
_PLACE_WORDS = frozenset(
    {"the", "town", "village", "city", "of", "بلده", "قريه", "مدينه", "منطقه", "بلدات", "قري"}
)

# ---------------------------------------------------------------- actors (folded)
# canonical name :: Arabic forms (take clitics) :: English forms (beginning with a lower-case Latin
# letter); several lines may share a name.
_ACTOR_TABLE = r"""
Government of Syria :: قوات (?:ال)?نظام(?: (?:ال)?سوري)?|نظام(?: (?:ال)?سوري)?|قوات (?:ال)?اسد :: (?:syrian )?regime
Government of Syria :: قوات (?:ال)?حكومه(?: (?:ال)?سوريه)?|قوات (?:ال)?حكوميه|حكومه (?:ال)?سوريه :: syrian government
Government of Syria :: جيش (?:ال)?عربي (?:ال)?سوري|جيش (?:ال)?سوري(?! (?:ال)?حر)|جيش (?:ال)?نظام :: syrian (?:arab )?army
Government of Syria :: قوات (?:ال)?جيش :: (?:syrian |pro )?government (?:forces|troops)|regime forces|assad forces|government(?= (?:shelling|bombardment|air ?strikes?|warplanes?|jets?|artillery|offensive|helicopters?))
Government of Syria :: (?<=ال)جيش(?! (?:ال)?(?:حر|وطني|تركي|روسي|اسرائيلي|احتلال|اسلام|امريكي|اميركي|عراقي|لبناني|اردني|ايراني)) :: the army
Opposition :: (?:فصائل|قوات|مقاتلي|مقاتلو) (?:ال)?معارضه(?: (?:ال)?سوريه)?(?: (?:ال)?مسلحه)? :: insurgents
Opposition :: معارضه(?: (?:ال)?سوريه)?(?: (?:ال)?مسلحه)?|فصائل|ثوار :: rebels?(?: (?:groups?|forces|fighters))?
Opposition :: جيش (?:ال)?سوري (?:ال)?حر|جيش (?:ال)?حر :: opposition(?: (?:forces|factions|fighters|groups))?
Opposition :: جبهه (?:ال)?وطنيه(?: للتحرير)?|جيش (?:ال)?وطني(?: (?:ال)?سوري)? :: free syrian army|fsa
Opposition :: فصائل (?:ال)?مسلحه :: national liberation front|syrian national army|turkish backed \w+
HTS :: هيئه تحرير (?:ال)?شام|تحرير (?:ال)?شام|جبهه (?:ال)?نصره|نصره :: hay.?at tahrir al sham|tahrir al sham|hts
HTS :: هيئه (?:ال)?تحرير :: (?:al )?nusra(?: front)?
SDF :: قسد|قوات سوريا (?:ال)?ديمقراطيه|وحدات حمايه (?:ال)?شعب :: syrian democratic forces|sdf|ypg
Russia :: روسيا|روس|(?:قوات|طيران|جيش|طائرات) (?:ال)?روسي(?:ه)?|روسي(?:ه)? :: russia|russians?(?! (?:brokered|mediated|sponsored))
Turkey :: تركيا|(?:جيش|قوات) (?:ال)?تركي(?:ه)?|اتراك|تركي(?:ه)? :: turkey|turkiye|turkish(?: army| forces| troops)?
IS :: داعش|تنظيم (?:ال)?دوله(?: (?:ال)?اسلاميه)?|دوله (?:ال)?اسلاميه :: islamic state|isis|isil|daesh
Iran :: ايران|(?:ميليشيات|مليشيات) (?:ال)?ايرانيه|حرس (?:ال)?ثوري|ايراني(?:ه)? :: iran(?:ian)?(?: backed)?
Hezbollah :: حزب الله :: hezbollah|hizbullah|hizbollah
Coalition :: تحالف(?: (?:ال)?دولي)? :: (?:us led |international )?coalition
Israel :: اسرائيل|(?:جيش|طيران|طائرات|قوات) (?:ال)?(?:اسرائيلي|احتلال)(?:ه)?|اسرائيلي(?:ه)? :: israel|israeli(?: jets| air force| army| forces)?
Unidentified Armed Group :: مجهول(?:ون|ين)|مسلح(?:ون|ين) مجهول(?:ون|ين) :: unidentified (?:gunmen|assailants|attackers)|unknown gunmen
"""
_ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, lexicon_pattern(rf"(?<!\w){CLITIC_PATTERN}(?:{ar})(?!\w)|\b(?:{en})\b"))
    for name, ar, en in (line.split(" :: ") for line in _ACTOR_TABLE.strip().splitlines())
)
_GOV_SIDE = frozenset({"Government of Syria", "Russia", "Iran", "Hezbollah"})
#: Sides that fight together: neither is the other's opponent (actor 2).
_ALLIANCES = (_GOV_SIDE, frozenset({"Turkey", "Opposition"}), frozenset({"Coalition", "SDF"}))
_AIR_POWERS = frozenset({"Coalition", "Russia", "Israel"})
_NON_STATE = frozenset({"Opposition", "HTS", "SDF", "IS"})
_BACKED = lexicon_pattern(
    r"(?:backed|supported|aided|assisted|covered) by(?: the)?(?: \S+)?\s*$|(?:مدعوم\w*|بدعم|بمساند\w*|بغطاء|باسناد|واسناد)(?: من)?\s*\S*$"
)
_TARGET_MARK = lexicon_pattern(
    r"(?<!\w)(?:علي|ضد|مواقع|نقاط|تجمعات|صفوف|جنود|جنديا|جندي|عناصر|عنصرا|مقاتلي|مقاتلين|رتلا|رتل|قافله"
    r"|against|on|targeting|positions|soldiers|troops|convoy)\s*$"
)

# ---------------------------------------------------------------- places, clauses, dates
_SENT_END = lexicon_pattern(r"\n+|[!?؟;؛]+|\.+(?=[\s\"'”»)\]]|$)")
_CLAUSE_SEP = lexicon_pattern(r"[،;؛]|,(?!\d{3})|:(?!\d)")
_CONNECTOR = lexicon_pattern(
    r"(?<!\w)(?:[وف]?حيث|في حين|بالتزامن مع|بينما|فيما|[وف]?لكن\w*|الا ان|غير ان|[وف]?كما"
    r"|while|whereas|but)(?!\w)"
)
_SOURCE_PLACE = lexicon_pattern(
    r"(?<!\w)[وفل]?(?:ال)?(?:مصدر|مصادر|ناشط\w*|مراسل\w*|مسؤول\w*|رئيس|مدير|مرصد|source|sources"
    r"|activists?|correspondents?|officials?|spokes\w+|reporters?|monitor)"
    r"(?:\s+\S+){0,3}\s+(?:في|من|ب|in|from)\s*$"
)
_ACTOR_ORIGIN = lexicon_pattern(
    r"(?:قادم\w*|القادم\w*|متمركز\w*|المتمركز\w*|coming|based|stationed)\s+(?:من|في|from|in)\s*$"
)
# «…، ما دفع السكان إلى النزوح», "…, forcing residents to flee": a consequence of the clause before
_CONSEQUENCE = lexicon_pattern(
    r"\s*(?:[وف]?(?:مما|ما) (?:دفع|اجبر|اضطر|ادي|تسبب|ارغم)\w*"
    r"|forcing|prompting|causing|driving|which (?:forced|drove|caused|prompted))(?!\w)"
)
#: A clause that says where the event of the clause before fell: «تركزت على X», "targeting X".
_FOLLOW_UP = lexicon_pattern(
    r"\s*(?:و)?(?:تركز\w*|طال\w*|طاول\w*|شمل\w*|[وب]خاصه|لا سيما|ولا سيما|منها|بينها"
    r"|targeting|hitting|including|mainly|especially|particularly)(?!\w)"
)
#: A clause that sets another event beside the one before («في حين توجهت عائلات من Y»).
_CONTRAST = lexicon_pattern(r"\s*(?:[وف]?(?:في حين|بينما|فيما)|while|whereas)(?!\w)")
_NEAR_WORD = lexicon_pattern(r"^(?:[وب]?ال)?(?:قريب\w*|قرب|مقربه|بعيد\w*|near|close|far|away)$")
_ROUTE_PREP = frozenset({"عبر", "مرورا", "via", "through"})
_ORIGIN_PREP = frozenset({"من", "عن", "from"})
_DEST_PREP = frozenset({"الي", "نحو", "باتجاه", "تجاه", "صوب", "to", "towards", "toward", "into", "for"})
_IN_PREP = frozenset({"في", "ب", "in", "at"})
_COORD = frozenset({"و", "او", "and", "or", "،", ","})
_WEEKDAYS = {
    **dict(zip("الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاحد".split(), range(7), strict=True)),
    **dict(zip("monday tuesday wednesday thursday friday saturday sunday".split(), range(7), strict=True)),
}
_DAY_OFFSET = {"اليوم": 0, "today": 0, "tonight": 0, "امس": -1, "البارحه": -1, "الليله الماضيه": -1}
_DAY_OFFSET |= {"yesterday": -1, "last night": -1, "اول امس": -2, "the day before yesterday": -2}
_DAY_WORD = lexicon_pattern(
    rf"(?<!\w)[وفب]?(?P<d>اول امس|امس|البارحه|اليوم|الليله الماضيه|{'|'.join(list(_WEEKDAYS)[:7])})(?!\w)"
    rf"|\b(?P<e>the day before yesterday|yesterday|today|tonight|last night|{'|'.join(list(_WEEKDAYS)[7:])})\b"
)

_CARRIED = frozenset({"killed", "injured", "strikes", "projectiles"})
_COMPATIBLE = {
    "displaced": {_T.DISPLACEMENT},
    "displaced families": {_T.DISPLACEMENT},
    "people": {_T.DISPLACEMENT},
    "families": {_T.DISPLACEMENT},
    "killed": _VIOLENT | {_T.OTHER},
    "injured": _VIOLENT | {_T.OTHER},
    "casualties": _VIOLENT | {_T.OTHER},
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


_REMOTE = frozenset({EventType.SHELLING, EventType.AIR_STRIKE})


@dataclass
class _Place:
    mention: Mention
    start: int
    end: int
    prefix: str  # clitic prefix of the surface (و، ب …)
    weak: bool = False  # a place that only tells where an actor came from
    road: bool = False  # an end of a road named («طريق حلب – دمشق»): the event is somewhere on it


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
        found = self._places()
        # the ends of a road only when nothing nearer is named («قطعوا طريق حلب – دمشق قرب X»)
        return [p for p in found if not p.road] or found

    def _places(self) -> list[_Place]:
        strong = [p for p in self.after if not p.weak]
        if self.type == _T.DISPLACEMENT:  # "residents of X fled to Y", «قادمين من X»: all its places
            return self.before + self.after
        if strong or self.type in _REMOTE:
            # fire comes from where forces are stationed («المتمركزة في X»), it does not land there
            return strong or [p for p in self.before if not p.weak]
        return [p for p in self.before if not p.weak] or self.after + self.before


@dataclass
class _Cluster:
    type: EventType
    groups: list[_Group]
    sent: tuple[int, int, int, int]  # original start, end; folded start, end
    clause: tuple[int, int]
    places: list[_Place]
    counts: list[tuple[Count, _Place | None]] = field(default_factory=list)  # with the place each names

    @property
    def status(self) -> str:
        return self.groups[0].status


# ---------------------------------------------------------------- the document
class _Doc:
    """Folded text of one document with its places, actors and sentences."""

    def actors_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Actors that begin in [start, end)."""
        lo = bisect_left(self.actor_starts, start)
        return self.actors[lo : bisect_left(self.actor_starts, end, lo)]

    def __init__(self, doc: Document, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        self.f = fold_document(doc.text)
        self.text = self.f.text
        self.day = _parse_date(doc.date)
        spans = sorted(((self.fpos(m.start), self.fpos(m.end), m) for m in mentions), key=lambda s: s[0])
        parts, pos = [], 0  # the text with every mention blanked
        for s, e, _ in spans:
            if e > pos:
                parts += [self.text[pos : max(s, pos)], " " * (e - max(s, pos))]
                pos = e
        self.blank = "".join([*parts, self.text[pos:]])
        self.actors = _find_spans(self.text)
        self.actor_starts = [a[0] for a in self.actors]
        self.countries: list[_Place] = []
        self.places: list[_Place] = []
        self.any_place = False
        last: _Place | None = None
        for s, e, m in spans:
            p = _Place(m, s, e, _clitic_prefix(m.surface, m.name), road=m.feature == "road")
            k = bisect_left(self.actor_starts, e) - 1  # actors are sorted and disjoint
            in_actor = k >= 0 and self.actors[k][1] > s
            if _abroad(m):
                continue
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
        self.place_starts = [p.start for p in self.places]
        self.country_starts = [p.start for p in self.countries]
        self.any_starts = set(self.place_starts) | set(self.country_starts)
        self.trig_starts: list[int] = []  # starts of the trigger words, set by extract_events
        self.trig_ends: list[int] = []  # … and their ends (increasing: the words do not overlap)
        self.trig_words: list[int] = []  # … and their starts without clitics
        self.trigs: list[_Trig] = []
        self.clause_cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.background_cache: dict[tuple[int, int], bool] = {}
        self.day_cache: dict[tuple[int, int], list[re.Match[str]]] = {}

    def places_in(self, lo: int, hi: int) -> list[_Place]:
        """Event places starting in ``[lo, hi)`` (folded offsets), in text order."""
        return _between(self.places, self.place_starts, lo, hi)

    def fpos(self, orig: int) -> int:
        return bisect_left(self.f.index, orig)

    def _contains(self, a: _Place, b: _Place) -> bool:
        """True when ``b`` only says where ``a`` is (``X في ريف حماة``)."""
        kind = b.mention.place.kind if b.mention.place else (b.mention.kind_hint or "")
        link = (self.text[a.end : b.start] + " " + b.prefix).split()
        link = [w for w in link if w not in ("the", "front", "axis", "outskirts")]  # "the X front in the Y"
        if link and _BEARING.match(link[0]) and len(link) <= 2:
            return True  # «الكرامة شرقي مدينة الرقة»: a reference point, not a place of the event
        if b.mention.place and b.mention.place.id in a.mention.context:
            # a container or a reference point («المنصورة غربي الرقة»), not a neighbour that only
            # located an unknown item of a list
            return (
                kind in AREA_KINDS
                or link in (["في"], ["ب"], ["in"])
                or bool(link and _BEARING.match(link[0]))
            )
        return kind in AREA_KINDS and link in (["في"], ["ب"], ["in"])

    def words(self, lo: int, hi: int) -> list[str]:
        """The words of ``[lo, hi)``, place names left out."""
        return [t for t in self.blank[lo:hi].split() if t not in _TRANSPARENT]

    def window(self, lo: int, hi: int, n: int) -> str:
        """The last ``n`` (or first ``-n``) words of ``[lo, hi)``, place names left out."""
        return _window(self.words(lo, hi), n)

    def background(self, lo: int, hi: int) -> bool:
        """The clause ``[lo, hi)`` tells of something before the news, and names no day (kept per clause)."""
        found = self.background_cache.get((lo, hi))
        if found is None:
            window = self.window(lo, hi, 40)
            # «منذ بداية الحملة في نيسان الماضي»: a running total since then, not a past event
            found = any(
                not _SINCE.search(window, max(0, m.start() - 45), m.start())
                for m in _BACKGROUND.finditer(window)
            ) and not self.day_words(lo, hi)
            self.background_cache[(lo, hi)] = found
        return found

    def day_words(self, lo: int, hi: int) -> list[re.Match[str]]:
        """The words that name a day in ``text[lo:hi]`` (offsets in the slice; kept per span)."""
        found = self.day_cache.get((lo, hi))
        if found is None:
            found = self.day_cache[(lo, hi)] = list(_DAY_WORD.finditer(self.text[lo:hi]))
        return found

    def orig(self, lo: int, hi: int) -> tuple[int, int]:
        return self.f.span(lo, hi)


def _window(words: list[str], n: int) -> str:
    """The last ``n`` (or first ``-n``) of ``words``, joined."""
    return " ".join(words[-n:] if n > 0 else words[:-n])


def _between(items: list, starts: list[int], lo: int, hi: int) -> list:
    """The items whose sorted ``starts`` lie in ``[lo, hi)``."""
    return items[bisect_left(starts, lo) : bisect_left(starts, hi)]


def _country_scale(m: Mention) -> bool:
    """A country, or a region spanning several governorates (شمال سوريا): too vague for an event."""
    if m.place is None:
        return m.kind_hint == "country"
    return m.place.kind == "country" or m.place.kind == "region" and not (m.place.admin1 or m.place.parent_id)


def _abroad(m: Mention) -> bool:
    """A city far outside Syria (أنقرة، موسكو، Washington): a government or a party, never a battlefield.

    Places near the border (Ceylanpınar, Reyhanlı) stay, for shelling across it.
    """
    p = m.place
    if p is None or p.kind == "country" or (p.admin1_pcode or "").startswith("SY") or p.lat == p.lon == 0:
        return False  # (0, 0): no known position
    lat0, lat1, lon0, lon1 = _NEAR_SYRIA
    return not (lat0 <= p.lat <= lat1 and lon0 <= p.lon <= lon1)


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def _clitic_prefix(surface: str, name: str) -> str:
    """The clitics written before ``name`` in ``surface`` (folded); kept, as places recur."""
    s, n = fold(surface).text, fold(name).text
    i = s.find(n) if n else -1
    if i > 0:
        return s[:i] if i <= 2 else ""
    if i < 0 and s[:1] in ("و", "ب") and not n.startswith(s[:1]):
        return s[:1]
    return ""


_WORD_START = re.compile(r"(?<!\w)\w")


class _Lexicon:
    """Patterns found together: the matches of each, as its own ``finditer`` would find them.

    ``union`` (where some pattern may start) scans the text once, in C; the scan resumes after
    each match, so the word starts inside a match are candidates too. At each candidate, the
    union of each block of about sqrt(n) patterns (an empty group after each pattern) tells
    whether any pattern of the block matches there and which first: only those are tried.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]], union: re.Pattern[str]) -> None:
        self.patterns = tuple(patterns)
        self.union = union
        n = len(self.patterns)
        size = max(1, round(n**0.5))
        self.blocks = tuple(
            (any_of(self.patterns[a : a + size], marked=True), a, min(a + size, n)) for a in range(0, n, size)
        )

    def matches(self, text: str) -> list[list[re.Match[str]]]:
        """For each pattern, its non-overlapping matches in ``text``, in order."""
        starts: list[int] = []
        for m in self.union.finditer(text):
            starts.append(m.start())
            starts += [w.start() for w in _WORD_START.finditer(text, m.start() + 1, m.end())]
        found: list[list[re.Match[str]]] = [[] for _ in self.patterns]
        ends = [-1] * len(self.patterns)  # where each pattern's last match ended
        for pos in starts:
            for block, a, b in self.blocks:
                first = block.match(text, pos)
                if first is None:
                    continue
                for k in range(a + first.lastindex - 1, b):  # the patterns before it fail here
                    if pos < ends[k]:
                        continue
                    m = self.patterns[k].match(text, pos)
                    if m is not None:
                        found[k].append(m)
                        ends[k] = m.end()
        return found


_ACTOR_LINES = [line.split(" :: ") for line in _ACTOR_TABLE.strip().splitlines()]
_ACTOR_LEXICON = _Lexicon(
    [rx for _, rx in _ACTORS],
    lexicon_pattern(  # where some actor may start: the clitics tried once, English names at Latin letters
        rf"(?<!\w)(?:{CLITIC_PATTERN}(?:{'|'.join(f'(?:{ar})' for _, ar, _ in _ACTOR_LINES)})"
        rf"|(?=[a-z])(?:{'|'.join(f'(?:{en})' for _, _, en in _ACTOR_LINES)})\b)"
    ),
)


def _find_spans(text: str) -> list[tuple[int, int, str]]:
    """Actor names in folded text as (start, end, canonical name), longest first, no overlaps."""
    per = _ACTOR_LEXICON.matches(text)
    found = sorted(
        ((m.start(), m.end(), name) for (name, _), ms in zip(_ACTORS, per, strict=True) for m in ms),
        key=lambda s: (s[0], -s[1]),
    )
    out: list[tuple[int, int, str]] = []
    for s in found:
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


def _trigger_union() -> re.Pattern[str]:
    """Where some trigger may start: the clitics tried once, then any Arabic or English stem (English
    ones only where a Latin letter is: in Arabic text no word start tries them)."""
    stems: dict[str, list[str]] = {"ar": [], "ar0": [], "en": []}
    for _, _, lang, rx in (line.split(maxsplit=3) for line in _TRIGGER_TABLE.strip().splitlines()):
        stems[lang].append(f"(?:{rx})")
    ar = "|".join(stems["ar"])
    return lexicon_pattern(
        rf"(?<!\w)(?:{CLITIC_PATTERN}(?:{ar})|(?:{'|'.join(stems['ar0'])})(?!\w)|(?=[a-z])(?:{'|'.join(stems['en'])})\b)"
    )


_TRIGGER_LEXICON = _Lexicon([rx for _, _, rx in _TRIGGERS], _trigger_union())


def _find_triggers(text: str) -> list[_Trig]:
    found = []
    per = _TRIGGER_LEXICON.matches(text)
    for (t, tag, _), ms in zip(_TRIGGERS, per, strict=True):
        for m in ms:
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
        if _WORD_START.search(body):
            out.append((pos + lead, pos + lead + len(body)))
        pos = end
    return out


def _clauses(d: _Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    """The clauses of the sentence ``[lo, hi)`` (folded offsets), computed once per sentence."""
    found = d.clause_cache.get((lo, hi))
    if found is None:
        found = d.clause_cache[(lo, hi)] = _split_clauses(d, lo, hi)
    return found


def _split_clauses(d: _Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    cuts = {m.end() + lo for m in _CLAUSE_SEP.finditer(d.text[lo:hi])}
    cuts |= {m.start() + lo for m in _CONNECTOR.finditer(d.text[lo:hi])}
    place_starts = d.any_starts
    out: list[tuple[int, int]] = []
    for a, b in zip([lo, *sorted(cuts)], [*sorted(cuts), hi], strict=True):
        seg = d.text[a:b]
        first = a + len(seg) - len(seg.lstrip())
        cont = first in place_starts or first + 1 in place_starts and d.text[first] == "و"
        cont = cont or d.text.startswith("and ", first) and first + 4 in place_starts
        # «…، من مخيم الباغوز»: a place with its preposition goes on with the clause before
        prep = _LEAD_PREP.match(d.text, first)
        cont = cont or bool(prep) and prep.end() in place_starts
        if out and cont and d.text[a - 1 : a] in "،,":
            out[-1] = (out[-1][0], b)
        elif b > a:
            out.append((a, b))
    # «خرجت، أمس الإثنين، دفعة جديدة من …»: a time set off by commas parts no clauses
    k = 1
    while k < len(out) - 1:
        if _TIME_ONLY.fullmatch(d.text, *out[k]):
            out[k - 1 : k + 2] = [(out[k - 1][0], out[k + 1][1])]
        else:
            k += 1
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
        if g.type == _T.SHELLING and g.tags <= {"generic"}:
            # «بانفجار عبوة ناسفة استهدفت سيارتهم»: the bomb is what hit
            blast = [
                h for h in groups if h.type == _T.OTHER and h.tags & {"ied", "suicide"} and gap(g, h) <= 3
            ]
            if blast:
                tag = next(iter(blast[0].tags & {"ied", "suicide"}))
                g.type, g.trigs = _T.OTHER, [replace(t, type=_T.OTHER, tag=tag) for t in g.trigs]
                continue
        if g.type == _T.SHELLING and not g.tags & {"artill"}:
            if any(h.type == _T.AIR_STRIKE and gap(g, h) <= 4 for h in groups):
                g.type = _T.AIR_STRIKE
        elif g.type == _T.ARMED_CLASH and g.tags == {"soft"}:
            near = [h for h in groups if h.type in (_T.SHELLING, _T.AIR_STRIKE) and gap(g, h) <= 2]
            if near:
                g.type = near[0].type
    return merge(groups)


def _status(d: _Doc, g: _Group, clause: tuple[int, int], sent_end: int) -> tuple[str, list[str]]:
    """Status of a trigger group and notes, from the cue words around it.

    Cues before the trigger count from the previous trigger or subordinate clause on: in «خرقت
    وقف إطلاق النار بقصف X» the وقف is the ceasefire's, and in "had no power when shelling hit"
    the "no" is another verb's.
    """
    lo = clause[0]
    k = bisect_right(d.trig_ends, g.start) - 1  # the last trigger word that ends before the group
    if k >= 0:
        lo = max(lo, d.trig_ends[k])
    lo = max([lo, *(m.end() + lo for m in _SUBORDINATE.finditer(d.text[lo : g.start]))])
    prior, later = d.words(lo, g.start), d.words(g.end, clause[1])
    before, near, close, wide = (_window(prior, n) for n in (5, 4, 3, 12))
    after = _window(later, -3)
    violent = g.type in _VIOLENT or g.type == _T.DISPLACEMENT
    if g.type == _T.CEASEFIRE and _NOT_HELD.search(near + " " + after):
        return "reported", ["collapsed"]
    if g.type == _T.CEASEFIRE and _NOT_ACCEPT.search(before):
        return "rejected", []
    if _NEG.search(near) or _DENY.search(wide):
        return "negated", []
    if d.background(*clause) or _CONCEDED.search(near):
        return "mentioned", ["background"]
    if "ied" in g.tags and _DEFUSED.search(d.text, clause[0], clause[1]):
        return "mentioned", ["defused"]  # «عثرت على عبوة ناسفة وعملت على تفكيكها»
    if _OPINION.search(before) or violent and _REJECT.search(before):
        return "mentioned", []
    if violent and (
        _FUTURE.search(wide) or _FUTURE.search(_window(later, -2)) or _FUTURE.search(d.text, g.start, g.end)
    ):
        return "mentioned", ["expected"]
    if violent:
        if _FAIL.search(_window(prior, 8)):
            return "failed", ["repelled"]
        if _ATTEMPT.search(close):
            failed = _FAIL.search(d.window(g.end, sent_end, -12))
            return ("failed", ["attempt failed"]) if failed else ("attempted", ["attempt"])
        return "reported", []
    cues = ["breach alleged"] if _BREACH.search(close) or _BREACH.search(after) else []
    if _REJECT.search(before) or _REJECT.search(after):
        return "rejected", cues
    if _PROPOSE.search(near) or _PROPOSE.search(after):
        return "proposed", cues
    if g.type == _T.CEASEFIRE and ("agree" in g.tags or _AGREE.search(near)):
        cues.append("agreed")
    return "reported", cues


def _places_of(places: list[_Place]) -> list[Place | None]:
    return [p.mention.place for p in places]


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
        amid = _AMID.search(d.text, max(0, b.start - 15), b.start)  # «اشتباكات في X وسط غارات مكثفة»
        if a.type != b.type and (_coordinated(d, a, b) or amid) and _T.CEASEFIRE not in (a.type, b.type):
            if not a.after and not a.before:
                a.after = list(b.after or b.before)
            elif not b.after and not b.before:
                b.before = list(a.after or a.before)


def _sentence_clusters(d: _Doc, sent: tuple[int, int], trigs: list[_Trig]) -> list[_Cluster]:
    fs, fe = d.fpos(sent[0]), d.fpos(sent[1])
    if not _between(trigs, d.trig_starts, fs, fe):
        return []  # no trigger word in any of its clauses
    span = (sent[0], sent[1], fs, fe)
    clusters: list[_Cluster] = []
    spare: list[_Place] = []  # places of clauses that have no trigger
    arrivals: list[_Place] = []  # … of those that say where people arrived (حيث وصلوا إلى X)
    previous: list[_Place] = []  # places of the clause before
    for clause in _clauses(d, fs, fe):
        groups = _groups(d, _between(trigs, d.trig_starts, *clause))
        flights = [c for c in clusters if c.type == _T.DISPLACEMENT]
        going_on = bool(
            flights
            and (groups and _only_moving(groups) or not groups and _MOST_OF_THEM.search(d.text, *clause))
            and not _CONTRAST.match(d.text, clause[0])
        )
        if going_on:
            # «نزحت 500 عائلة من X، حيث وصلت إلى Y», «حيث خرجت 40 حافلة من الرستن», "most of them
            # from X": the same people, from and to where the clause says
            flights[-1].places += [p for p in d.places_in(*clause) if p not in flights[-1].places]
            flights[-1].clause = (flights[-1].clause[0], clause[1])
            previous = d.places_in(*clause)
            continue
        # "forces backed by Russian jets captured X": the backing is no event of its own
        groups = [g for g in groups if not _BACKED.search(d.text[max(clause[0], g.start - 25) : g.start])]
        places = d.places_in(*clause)
        if _CONSEQUENCE.match(d.text, clause[0]):  # what the clause before did, it did there
            fled = any(g.type == _T.DISPLACEMENT for g in groups)
            places = (previous + places) if fled else (places or list(previous))
        previous = places
        if not groups:
            if clusters and places and _FOLLOW_UP.match(d.text, clause[0]):
                # «غارات على ريف إدلب، تركزت على X وY»: where the strikes of the clause before fell
                clusters[-1].places += [p for p in places if p not in clusters[-1].places]
                continue
            spare += places
            if _ARRIVE.search(d.text[clause[0] : clause[1]]):
                arrivals += places
            continue
        for g in groups:
            g.status, g.cues = _status(d, g, clause, fe)
        for a, b in zip(groups, groups[1:], strict=False):
            if a.status in ("negated", "mentioned") and b.status == "reported" and _coordinated(d, a, b):
                b.status = a.status
            elif (
                a.cues == ["expected"]
                and b.status == "reported"
                and _LEADS_TO.search(d.text[a.end : b.start])
            ):
                b.status, b.cues = a.status, a.cues  # «أي هجوم على منبج سيؤدي إلى نزوح»: yet to come too
        _assign_places(d, groups, places)
        by_key: dict[tuple, _Cluster] = {}
        for g in groups:
            key = (g.type, g.status, "vac" if g.tags & _VAC_TAGS else "")
            if key not in by_key:
                by_key[key] = _Cluster(g.type, [], span, clause, [])
                clusters.append(by_key[key])
            c = by_key[key]
            c.groups.append(g)
            c.places += [p for p in g.places if p not in c.places]
        # "fighting in X has displaced 900,000": people fled from where the fighting was
        # «تسبب الهجوم على عفرين بنزوح 137 ألفاً إلى نبل»: and from there, when no origin is named
        fought = [p for c in by_key.values() if c.type in _VIOLENT for p in c.places]
        for c in by_key.values():
            if c.type == _T.DISPLACEMENT and fought and not _roles(d, c)[0]:
                # "fled an army offensive in Deraa", «هرباً من القصف على X»: what they fled, and where
                fled = [
                    p
                    for v in by_key.values()
                    if v.type in _VIOLENT
                    and 0 <= v.groups[0].start - c.groups[0].end
                    and len(d.text[c.groups[0].end : v.groups[0].start].split()) <= 4
                    for p in v.places
                ]
                c.places = [p for p in fought if p.start < c.groups[0].start or p in fled] + c.places
    regions = [
        p
        for p in _between(d.countries, d.country_starts, fs, fe)
        if p.mention.place and p.mention.place.kind == "region"
    ]
    for c in clusters:
        if not c.places:
            c.places = [p for p in spare if not (p.weak and c.type in _REMOTE)]
        elif c.type == _T.DISPLACEMENT:  # … حيث وصلوا إلى X: a destination in a later clause
            c.places += [p for p in arrivals if p.start > c.clause[1]]
        if not c.places and c.type == _T.DISPLACEMENT:  # «نزوح 400 ألف في شمال غرب سوريا»: DTM-scale
            c.places = [p for k, p in enumerate(regions) if p.mention.place not in _places_of(regions[:k])]
    return clusters


# ---------------------------------------------------------------- event fields
def _roles(d: _Doc, c: _Cluster, places: list[_Place] | None = None) -> tuple[list[_Place], list[_Place]]:
    """Origins and destinations of a displacement (at ``places``, by default all of its places),
    from the preposition before each place.

    A place with no preposition of its own takes the role of the place it is coordinated
    with; a place before the trigger is an origin; places of later clauses count only as
    destinations (… حيث وصلوا إلى X).
    """
    origins: list[_Place] = []
    dests: list[_Place] = []
    role, anchor = "origin", c.groups[0].end
    for p in sorted(c.places if places is None else places, key=lambda x: x.start):
        if p.start < c.groups[0].start:
            role = "origin"
        else:
            lo = max(anchor, c.clause[0])
            arrival = bool(_ARRIVE.search(d.text[c.clause[0] : p.start]))
            between = _ABOUT_N.sub(" ", d.text[lo : p.start])  # «نحو 6700 شخص»: about, not towards
            words = [w.strip("\"'«»“”") for w in (between + " " + p.prefix).split()]
            for k in range(len(words) - 1, -1, -1):
                w = words[k][1:] if words[k][:1] == "و" and len(words[k]) > 1 else words[k]
                if w in _ORIGIN_PREP and k and _NEAR_WORD.match(words[k - 1]):
                    continue  # «إلى مناطق قريبة من الجولان»: near it, not from it
                if w in _ROUTE_PREP:  # «غادروا عبر ممر حرستا»: the way out, neither end
                    role = "route"
                    break
                if w in _ORIGIN_PREP or w in _DEST_PREP or w in _IN_PREP:
                    in_role = "destination" if arrival else "origin"
                    role = "origin" if w in _ORIGIN_PREP else "destination" if w in _DEST_PREP else in_role
                    break
        if role == "destination":
            dests.append(p)
        elif role != "route" and p.start < c.clause[1]:
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
    arabic = _is_arabic_word(d.text[c.groups[0].start : c.groups[0].end])  # the trigger's language
    in_clause = d.actors_in(c.clause[0], c.clause[1])
    in_sent = d.actors_in(c.sent[2], c.sent[3])
    agents = [a for a in in_clause if not _TARGET_MARK.search(d.text[max(0, a[0] - 15) : a[0]])]
    # "forces backed by Russian jets", «مدعومة بالطيران الروسي»: the backer is not the agent
    backers = [a for a in agents if _BACKED.search(d.text[max(0, a[0] - 20) : a[0]])]
    agents = [a for a in agents if a not in backers] or agents
    after = [a for a in agents if a[0] >= word_end]
    near_after = [a for a in after if arabic and len(d.text[word_end : a[0]].split()) <= 2]
    by = [a for a in after if d.text[max(0, a[0] - 3) : a[0]] == "by "]
    prior = [a for a in agents if a[1] <= start]
    first = near_after or by or prior[-1:] or agents
    actor1 = first[0][2] if first else None
    # actor 2: the other side, not an ally of actor 1 («قوات النظام» and «روسيا»)
    allies = next((side for side in _ALLIANCES if actor1 in side), frozenset())
    rest = [a[2] for a in in_clause + in_sent if a[2] != actor1 and a not in backers and a[2] not in allies]
    return actor1, (rest[0] if rest else None)


_is_arabic_word = lru_cache(maxsize=4096)(is_arabic)  # trigger words recur


def _date(d: _Doc, c: _Cluster) -> tuple[str | None, int]:
    if d.day is None:
        return None, 3
    g = c.groups[0]
    in_sent = _between(d.trigs, d.trig_words, c.sent[2], c.sent[3])
    others = [t.start for t in in_sent if not c.clause[0] <= t.start < c.clause[1]]
    for own, (lo, hi) in ((True, c.clause), (False, c.sent[2:])):
        hits = [
            m
            for m in d.day_words(lo, hi)
            if own or not any(_same_clause(d, m.start() + lo, t, c.sent) for t in others)
        ]
        if hits:
            best = min(hits, key=lambda m: abs(m.start() + lo - g.start))
            word = best.group("d") or best.group("e")
            if word in _WEEKDAYS:
                delta = -((d.day.weekday() - _WEEKDAYS[word]) % 7)
            else:
                delta = _DAY_OFFSET[word]
            return (d.day + timedelta(days=delta)).isoformat(), 1
    return d.day.isoformat(), 3


def _same_clause(d: _Doc, a: int, b: int, sent: tuple) -> bool:
    return any(lo <= a < hi and lo <= b < hi for lo, hi in _clauses(d, sent[2], sent[3]))


def _sub_event(c: _Cluster, actor1: str | None) -> tuple[str, str]:
    event_type, sub = _ACLED[c.type]
    tags = set().union(*(g.tags for g in c.groups))
    if c.type == _T.ARMED_CLASH and "capture" in tags and c.status == "reported":
        if actor1 in _GOV_SIDE:
            sub = "Government regains territory"
        elif actor1 in _NON_STATE:
            sub = "Non-state actor overtakes territory"
    elif c.type == _T.OTHER and tags & _VAC_TAGS:
        event_type = "Violence against civilians"
        sub = "Abduction/forced disappearance" if "abduct" in tags else "Attack"
    elif c.type == _T.OTHER and tags & {"ied", "suicide"}:
        event_type = "Explosions/Remote violence"
        sub = "Suicide bomb" if "suicide" in tags else "Remote explosive/landmine/IED"
    return event_type, sub


def _attach_counts(d: _Doc, clusters: list[_Cluster], sents: list[tuple[int, int, int, int]]) -> None:
    """Give each count of a sentence to one event.

    A count goes to the nearest compatible event of its clause, else of its sentence, events with a
    place first.  A count followed by its place («مقتل 3 مدنيين في قرية X», "killed 3 in X") goes to
    the event at X, and X joins the nearest compatible event when no event of the sentence has it.
    Casualties and munitions of a sentence with no compatible event at a place («وأسفر القصف عن مقتل
    طفل», «وسقط 15 صاروخاً») go to the last compatible event with a place and no such count yet, of
    the two sentences before.
    """
    by_sent: dict[tuple, list[_Cluster]] = {}
    for c in clusters:
        by_sent.setdefault(c.sent, []).append(c)
    for k, sent in enumerate(sents):
        group = by_sent.get(sent, [])
        for s, e, count in counts_in(d.text, sent[2], sent[3]):
            what = {"people": "displaced", "families": "displaced families"}.get(count.what, count.what)
            count = replace(count, what=what, surface=d.doc.text[slice(*d.orig(s, e))])
            fits = [c for c in group if c.type in _COMPATIBLE.get(count.what, ())]
            # «غارات على X، ما أدى إلى مقتل 8»: a consequence's count is the clause before's
            before = _consequence_of(d, s, sent)
            fits.sort(
                key=lambda c: (
                    not c.places,
                    not (c.clause[0] <= s < c.clause[1] or c.clause == before),
                    abs(c.groups[0].start - s),
                )
            )
            place = _count_place(d, e, sent[3])
            if place is not None and fits and not any(place in c.places for c in fits):
                # «مقتل ثلاثة مدنيين في حريتان، فيما استهدفت المروحيات حيان»: the deaths of the
                # event at حريتان reported in the sentence before, not of the other clause's
                where = place.mention.place
                earlier = [
                    c
                    for prev in sents[max(0, k - 2) : k]
                    for c in by_sent.get(prev, [])
                    if c.type in _COMPATIBLE.get(count.what, ())
                    and where is not None
                    and any(p.mention.place is not None and p.mention.place.id == where.id for p in c.places)
                ]
                if earlier:
                    earlier[-1].counts.append((count, None))
                    continue
            if place is not None and fits:
                owners = [c for c in fits if place in c.places]
                if not owners and not any(place in c.places for c in group):
                    fits[0].places.append(place)
                    owners = fits[:1]
                fits = owners or fits
                place = place if owners else None
            carried = what in _CARRIED or (
                what in ("people", "displaced", "displaced families", "families")
                and not fits
                and bool(
                    _CONVOY.search(d.text, sent[2], sent[3])
                    or FLEE_CUE.search(d.text, sent[2], sent[3])
                    or _ARRIVE.search(d.text, sent[2], sent[3])
                )
            )  # «… إلى إدلب. وضمت القافلة نحو 1500 شخص», «وأفاد أن 6700 شخص غادروا»: the flight's count
            if (not fits or not fits[0].places) and carried:
                prior = [
                    c
                    for earlier in sents[max(0, k - 2) : k]
                    for c in by_sent.get(earlier, [])
                    if c.places
                    and c.type in _COMPATIBLE[what]
                    and not any(
                        x.what == what or what == "people" and x.what.startswith("displaced")
                        for x, _ in c.counts
                    )
                ]
                fits = prior[-1:] or fits
            if fits:
                fits[0].counts.append((count, place))


def _consequence_of(d: _Doc, pos: int, sent: tuple[int, int, int, int]) -> tuple[int, int] | None:
    """The clause before the consequence clause («…، ما أدى إلى …») that holds ``pos``, if it is one."""
    clauses = _clauses(d, sent[2], sent[3])
    for k, (lo, hi) in enumerate(clauses):
        if lo <= pos < hi:
            return clauses[k - 1] if k and _CONSEQUENCE.match(d.text, lo) else None
    return None


def _count_place(d: _Doc, end: int, hi: int) -> _Place | None:
    """The place a count is said to be at: «مقتل 3 مدنيين في قرية X», "killing 3 in the town of X"."""
    after = d.places_in(end, hi)
    if not after:
        return None
    nxt = after[0]
    gap = [w for w in d.blank[end : nxt.start].split() if w not in _PLACE_WORDS] + [nxt.prefix]
    gap = [w for w in gap if w]
    return nxt if 1 <= len(gap) <= 2 and gap[-1] in _IN_PREP else None


def _partition(c: _Cluster) -> list[tuple[list[_Place], list[Count]]]:
    """Places of a cluster and their counts: a place with a count of its own is an event of its own.

    «غارات على X وY أسفرت عن مقتل 3 في X»: X with 3 killed, Y with no count.  Displacements stay
    whole (their places are origins and destinations of one movement).
    """
    everything = [(c.places, [n for n, _ in c.counts])]
    key = {id(p): p.mention.place.id if p.mention.place else p.mention.name for p in c.places}
    own = {
        key[id(p)]: [n for n, q in c.counts if q is p] for p in c.places if any(q is p for _, q in c.counts)
    }
    if c.type == _T.DISPLACEMENT or len(set(key.values())) < 2 or not own:
        return everything
    firsts: dict[str, _Place] = {}  # the first mention of each place
    for p in c.places:
        firsts.setdefault(key[id(p)], p)
    parts = [([p], own[k]) for k, p in firsts.items() if k in own]
    rest = [p for p in c.places if key[id(p)] not in own]
    shared = [n for n, q in c.counts if q is None]
    if rest:
        parts.append((rest, shared))
    else:
        parts[0][1].extend(shared)
    return sorted(parts, key=lambda x: x[0][0].start)


def _primary(counts: Sequence[Count]) -> tuple[Count | None, int | None]:
    """The primary count of an event and its fatalities.

    Deaths when the text reports any (several death counts of one event add up), else the
    displaced, else strikes or munitions, else the injured.  Returns ``(count, fatalities)``.
    """
    killed = [c for c in counts if c.what == "killed"]
    if len(killed) == 1:
        return killed[0], killed[0].best
    if killed:
        total = [sum(getattr(c, a) for c in killed) for a in ("best", "low", "high")]
        return Count(*total, "killed", " + ".join(c.surface for c in killed)), total[0]
    for what in (
        ("displaced", "displaced families"),
        ("strikes", "projectiles"),
        ("casualties",),
        ("injured",),
    ):
        first = next((c for c in counts if c.what in what), None)
        if first is not None:
            return first, None
    return None, None


def _event(d: _Doc, c: _Cluster, places: list[_Place], counts: Sequence[Count] | None = None) -> Event:
    g = c.groups[0]
    ts, te = d.orig(g.trigs[0].start, g.end)
    origins: list[_Place] = []
    dests: list[_Place] = []
    locations = places
    if c.type == _T.DISPLACEMENT:
        origins, dests = _roles(d, c, places)
        locations = origins or dests
    actor1, actor2 = _actors(d, c)
    generic = all(g.tags <= {"generic", ""} for g in c.groups)
    if c.type == _T.SHELLING and actor1 in _AIR_POWERS and generic:
        c = replace(
            c, type=_T.AIR_STRIKE
        )  # «قصف التحالف», "Israeli missiles": bombs and missiles from the air
    elif (
        c.type == _T.SHELLING
        and actor1 == "Unidentified Armed Group"
        and all(g.tags <= {"generic"} for g in c.groups)
    ):
        c = replace(c, type=_T.ARMED_CLASH)  # «مسلحون مجهولون استهدفوا سيارتهم»: gunfire, not artillery
    date_, precision = _date(d, c)
    event_type, sub = _sub_event(c, actor1)
    count, fatalities = _primary([n for n, _ in c.counts] if counts is None else counts)
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
        count=count,
        fatalities=fatalities,
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
        for s, e, count in counts_in(d.text, c.clause[0], c.clause[1]):
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
    trigs = [
        t
        for t in _find_triggers(d.text)
        if not _in_actor(d, t) and not _names_a_front(d, t) and not _a_target(d, t)
    ]
    d.trig_starts = [t.full for t in trigs]
    d.trig_ends = [t.end for t in trigs]
    d.trig_words = [t.start for t in trigs]
    d.trigs = trigs
    sents = [(s, e, d.fpos(s), d.fpos(e)) for s, e in _sentences(doc.text)]
    clusters = [c for sent in sents for c in _sentence_clusters(d, sent[:2], trigs)]
    clusters = [c for c in clusters if c.status not in ("negated", "mentioned") and not _not_a_movement(d, c)]
    violent_clauses = {c.clause for c in clusters if c.type in _VIOLENT}
    for c in clusters:  # «ارتكب الطيران مجزرة في X»: the strike's place is the massacre's
        if c.type == _T.OTHER and c.clause in violent_clauses and c.groups[0].tags & _VAC_TAGS:
            for v in clusters:
                if v.type in _VIOLENT and v.clause == c.clause and not v.places:
                    v.places = list(c.places)
    clusters = [
        c
        for c in clusters
        if not (c.type == _T.OTHER and c.clause in violent_clauses and c.groups[0].tags & _VAC_TAGS)
    ]
    violent_in: dict[tuple, list[_Cluster]] = {}
    for c in clusters:
        if c.type in _VIOLENT:
            violent_in.setdefault(c.sent, []).append(c)
    for c in clusters:  # «مجزرة» in a sentence that says how: the massacre is that strike or shelling
        violent = violent_in.get(c.sent, [])
        if c.type == _T.OTHER and violent and any("massacre" in g.tags for g in c.groups):
            c.type = min(violent, key=lambda v: abs(v.groups[0].start - c.groups[0].start)).type
    clusters = _arrivals_after(d, clusters, sents)
    for c in clusters:
        if c.type in (_T.SHELLING, _T.AIR_STRIKE):
            kept = [p for p in c.places if not _launch_site(d, p)]
            if not kept and c.places:  # «تعرضت سرمين لقصف مصدره مواقع … في محيط النيرب»: the target is before
                kept = [p for g in c.groups for p in g.before if not p.weak and not _launch_site(d, p)]
            c.places = kept
        elif (
            c.type == _T.ARMED_CLASH and len(c.places) > 1
        ):  # «مجموعات قادمة من X»: where attackers came from
            c.places = [p for p in c.places if not _CAME_FROM.search(d.text, max(0, p.start - 30), p.start)]
        if c.type == _T.ARMED_CLASH and all("withdraw" in g.tags for g in c.groups):
            # «انسحب عناصر التنظيم من حيش نحو الهبيط»: the town they left, not where they went
            c.places = [p for p in c.places if not _roles(d, c, [p])[1]]
        if not c.places and c.type != _T.CEASEFIRE:
            c.places = _referred_place(d, c) or _the_event_before(d, c, clusters)
            if not c.places and c.type == _T.DISPLACEMENT:
                # «نزوح العائلات من المنطقة», «الغارات دفعت مئات العائلات إلى النزوح»: where the strikes were
                c.places = _places_before(c, clusters)
        elif not c.places and _THE_AREA.search(d.text, c.clause[0], c.clause[1]):
            # «اتفاق لوقف إطلاق النار يقضي بدخول الشرطة إلى المنطقة»: where the fighting just was
            c.places = _places_before(c, clusters)
        elif not c.places:  # «اتفاق ينص على وقف إطلاق النار وتسليم الحي»: the one named before
            c.places = _referred_place(d, c)
        elif c.type == _T.DISPLACEMENT and _LEFT_IT.match(d.text[c.groups[0].start : c.groups[0].end]):
            # «300 عائلة غادرته»: the place named last before, the camp included
            c.places = [p for p in _referred_place(d, c, pronoun=True) if p not in c.places] + c.places
        elif c.type == _T.DISPLACEMENT and _FROM_REFERENCE.search(d.text, c.clause[0], c.clause[1]):
            # «نزحت 200 عائلة من البلدة باتجاه الشعفة»: the origin is the settlement named before
            c.places = [p for p in _referred_place(d, c) if p not in c.places] + c.places
        elif c.type == _T.DISPLACEMENT and not _roles(d, c)[0]:
            # «من سكان البلدتين»: the towns named before; «… بينما فر مئات المدنيين نحو بلدة مهين»:
            # they fled from where the event before was
            before = _referred_place(d, c) or _places_before(c, clusters)
            c.places = [p for p in before if p not in c.places] + c.places
    _deals_where_they_apply(d, clusters)
    _attach_counts(d, clusters, sents)
    events: list[Event] = []
    massacres: set[int] = set()
    placeless_ceasefire = []
    for c in clusters:
        if c.places:
            made = [_event(d, c, places, counts) for places, counts in _partition(c)]
            if c.type == _T.OTHER and any("massacre" in g.tags for g in c.groups):
                massacres |= {id(e) for e in made}
            events += made
        elif c.type == _T.CEASEFIRE:
            placeless_ceasefire.append(c)
        elif not d.any_place and c.status == "reported":
            countries = [p for p in d.countries if c.sent[2] <= p.start < c.sent[3]]
            events.append(_event(d, c, countries))
    if placeless_ceasefire and not any(e.type == _T.CEASEFIRE for e in events):
        events.append(_ceasefire(d, placeless_ceasefire))
    events = _deaths_where_they_happened(events, massacres)
    unique: dict[tuple, Event] = {}
    for e in sorted(events, key=lambda e: e.trigger_start):
        key = (e.type, e.status, _place_key(e)) if _place_key(e) else (e.trigger_start,)
        if key in unique:
            if unique[key].count is None and e.count is not None:
                unique[key] = replace(unique[key], count=e.count, fatalities=e.fatalities)
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


def _arrivals_after(
    d: _Doc, clusters: list[_Cluster], sents: list[tuple[int, int, int, int]]
) -> list[_Cluster]:
    """Where the people of a flight went, said after it: «نزح 40 ألفاً من X، حيث نزحوا نحو مخيمات Y»,
    «نزح الآلاف من X. ووصل معظمهم إلى Y». A flight with no origin, in the flight's sentence or
    the two after, is the same flight; so is a sentence right after it that says where people
    arrived before any other news."""
    by_sent: dict[tuple, list[_Cluster]] = {}
    for c in clusters:
        by_sent.setdefault(c.sent, []).append(c)
    merged: set[int] = set()
    flight: _Cluster | None = None  # the last flight with no destination yet, and its sentence
    at = -2
    recent: _Cluster | None = None  # the last flight, and the sentence it was last told in
    recent_at = -9
    for k, sent in enumerate(sents):
        here = by_sent.get(sent, [])
        other = [c.groups[0].start for c in here if c.type != _T.DISPLACEMENT]
        cut = min(other, default=sent[3])  # «وتتجه القافلة إلى جرابلس، وفق اتفاق …»: before the news
        if flight is not None and k == at + 1 and _ARRIVE.search(d.text, sent[2], cut):
            flight.places += [p for p in d.places_in(sent[2], cut) if p not in flight.places]
            if other or not here:
                flight = None
                continue
        if k > at + 1 or other and k > at:
            flight = None
        for c in here:
            origins, dests = _roles(d, c) if c.type == _T.DISPLACEMENT else ([], [])
            if c.type == _T.DISPLACEMENT and not origins and recent is not None and k - recent_at <= 2:
                # «وأضاف أن النازحين توجهوا إلى …», "most of those who left were trucked to X": the
                # same people, still on their way
                recent.places += [p for p in c.places if p not in recent.places]
                merged.add(id(c))
                recent_at = k
                if recent is flight:
                    at = k
            elif c.type == _T.DISPLACEMENT and c.status == "reported":
                recent, recent_at = c, k  # "were evacuated from the village": its origin comes later
                if origins and not dests:
                    flight, at = c, k
    return [c for c in clusters if id(c) not in merged]


def _deals_where_they_apply(d: _Doc, clusters: list[_Cluster]) -> None:
    """A deal that moves people («اتفاق يقضي بخروج المقاتلين من عربين», «40 حافلة باتجاه إدلب بموجب
    اتفاق») applies where they leave, not where they go."""
    for c in clusters:
        flights = [f for f in clusters if f.type == _T.DISPLACEMENT and f.sent == c.sent]
        if c.type != _T.CEASEFIRE or not flights:
            continue
        roles = [_roles(d, f) for f in flights]
        gone_to = [p for _, dests in roles for p in dests]
        kept = [p for p in c.places if p not in gone_to]
        c.places = kept or [p for origins, _ in roles for p in origins]


def _places_before(c: _Cluster, clusters: list[_Cluster]) -> list[_Place]:
    """The places of the violent event reported just before ``c``, in its sentence or the one before."""
    for o in reversed([o for o in clusters if o.groups[0].start < c.groups[0].start]):
        if o.type in _VIOLENT and o.places and c.sent[2] - o.sent[3] <= 2 and o.sent[2] <= c.sent[2]:
            return list(o.places)
    return []


def _the_event_before(d: _Doc, c: _Cluster, clusters: list[_Cluster]) -> list[_Place]:
    """«… وقتل في الاشتباكات 14 عنصراً»: the fighting (the strikes …) with the article is the one
    just reported, in this sentence or the one before; its places are this one's."""
    t = c.groups[0].trigs[0]
    if not d.text.startswith("ال", t.start) and not d.text[t.full : t.start].endswith("ال"):
        return []
    for o in reversed([o for o in clusters if o.groups[0].start < c.groups[0].start and o.places]):
        if o.type == c.type and len(_SENT_END.findall(d.text, o.groups[0].end, t.full)) <= 1:
            return list(o.places)
    return []


def _referred_place(d: _Doc, c: _Cluster, *, pronoun: bool = False) -> list[_Place]:
    """«وسيطرت القوات على البلدة», «قصف على محيطها»: the settlement named last before, in the two
    sentences before at most; with ``pronoun`` (the trigger's own «غادرته»), a camp too."""
    ref = None if pronoun else _BACK_REFERENCE.search(d.text, c.clause[0], c.clause[1])
    if not ref and not pronoun:
        return []
    word = ref.group() if ref else ""
    kinds = (
        ("city", "town", "village", "camp", "neighbourhood")
        if pronoun
        else ("city",)
        if "مدينه" in word or "city" in word
        else ("neighbourhood",)
        if word.endswith("حي") or "neighbo" in word
        else ("city", "town", "village")
    )
    earlier = [
        p
        for p in d.places
        if p.start < c.groups[0].start
        and not p.weak  # where forces are stationed is no referent
        and p.mention.place is not None
        and p.mention.place.kind in kinds  # «المدينة» is the city named before, not a village after it
        and len(_SENT_END.findall(d.text, p.start, c.clause[0])) <= 2
    ]
    return earlier[-2:] if word.endswith("تين") else earlier[-1:]  # «سكان البلدتين»: the two named before


def _only_moving(groups: list[_Group]) -> bool:
    """Only verbs of going (خرج، وصل، توجه): displacement if civilians go."""
    return all(t.tag == "move" for g in groups for t in g.trigs)


def _a_target(d: _Doc, t: _Trig) -> bool:
    """«غارة استهدفت رتلهم», «استهدفت تجمعاً للنازحين», "a strike on a convoy": what was hit (a
    convoy, the displaced), not an event of its own."""
    what = t.type == _T.OTHER and not t.tag or t.type == _T.DISPLACEMENT and t.tag == "noun"
    return what and bool(_TARGETED.search(d.text, max(0, t.full - 24), t.full))


def _names_a_front(d: _Doc, t: _Trig) -> bool:
    """«محاور القتال», «خطوط الاشتباك», "front lines of the fighting": where, not an event of its own."""
    return t.type == _T.ARMED_CLASH and bool(_FRONT_OF.search(d.text, max(0, t.full - 12), t.full))


def _in_actor(d: _Doc, t: _Trig) -> bool:
    """A trigger word inside an actor's name («هيئة تحرير الشام»); aircraft («الطيران الروسي») stay."""
    if t.type == _T.AIR_STRIKE:
        return False
    k = bisect_left(d.actor_starts, t.start + 1) - 1
    return k >= 0 and d.actors[k][0] <= t.start and t.end <= d.actors[k][1]


def _not_a_movement(d: _Doc, c: _Cluster) -> bool:
    """A displacement that is none: people returning («عاد آلاف النازحين»), the displaced named as
    a population («يعيش آلاف النازحين في مخيمات») with no word of movement in the clause, or a verb
    of going (خرج، وصل، توجه) whose subject is no civilians («وصلت تعزيزات»)."""
    if c.type != _T.DISPLACEMENT:
        return False
    if _RETURN.search(d.window(c.clause[0], c.groups[0].start, 3)):
        return True
    clause_text = d.blank[c.clause[0] : c.clause[1]]
    if _only_moving(c.groups):  # civilians go (fighters may go with them); reinforcements are no flight
        return not _CIVILIANS.search(clause_text)
    if not all("noun" in g.tags for g in c.groups):
        return False
    clause = d.blank[c.clause[0] : c.clause[1]]
    return not (FLEE_CUE.search(clause) or _MOVE.search(clause))


def _launch_site(d: _Doc, p: _Place) -> bool:
    """A place the fire came from («قصفت من مواقعها في X», «من مطار X», "from X"), not its target
    ("5 km from X", "not far from X", «على بعد كيلومترين من X» say where it landed)."""
    words = d.text[max(0, p.start - 50) : p.start].split() + ([p.prefix] if p.prefix else [])
    text = " ".join([w for w in words if w not in _PLACE_WORDS][-7:])
    return bool(_LAUNCH.search(text)) and not _DISTANCE.search(text) and not _EACH_OF.search(text)


def _deaths_where_they_happened(events: list[Event], massacres: set[int]) -> list[Event]:
    """Give deaths to the event where they happened, within one document.

    * A massacre (class other) at a place where the document reports a strike, shelling or clash is
      that event: it is dropped and its deaths go to the violent event when it has none.
    * Deaths of a violent event located only at an area (a governorate, district, countryside) go to
      a violent event without deaths at a settlement inside that area: one of the same type first,
      then the nearest one before it.
    """

    def ids(e: Event) -> set[str]:
        return {m.place.id for m in e.locations if m.place}

    out = list(events)
    for m in [e for e in events if id(e) in massacres]:
        same = [v for v in out if v.type in _VIOLENT and ids(v) & ids(m)]
        if same:
            out.remove(m)
            target = min(same, key=lambda v: abs(v.trigger_start - m.trigger_start))
            if target.fatalities is None and m.fatalities is not None:
                out[out.index(target)] = replace(target, count=m.count, fatalities=m.fatalities)
    for k, e in enumerate(out):
        areas = [m.place for m in e.locations if m.place]
        if e.type not in _VIOLENT or e.fatalities is None or not areas or not all(a.is_area for a in areas):
            continue
        inside = [
            j
            for j, v in enumerate(out)
            if j != k
            and v.type in _VIOLENT
            and v.fatalities is None
            and any(
                m.place and not m.place.is_area and any(_within(m.place, a) for a in areas)
                for m in v.locations
            )
        ]
        if inside:
            j = min(
                inside,
                key=lambda j: (
                    out[j].type != e.type,
                    out[j].trigger_start > e.trigger_start,
                    abs(out[j].trigger_start - e.trigger_start),
                ),
            )
            out[j] = replace(out[j], count=e.count, fatalities=e.fatalities)
            out[k] = replace(e, count=None, fatalities=None)
    return out


def _within(place: Place, area: Place) -> bool:
    """True when the settlement ``place`` lies in the governorate, district, sub-district or countryside ``area``."""
    if area.kind == "countryside":
        return area.id == f"geomap:countryside/{place.admin1_pcode}"
    return area.id in (place.admin1_pcode, place.admin2_pcode, place.admin3_pcode)


def _place_key(e: Event) -> frozenset[str]:
    """The places of an event; a name the gazetteer lacks, located by its area, stays itself."""
    return frozenset(
        "name:" + m.name if m.place is None or m.feature == "in" else m.place.id
        for m in e.locations + e.origins + e.destinations
    )


@dataclass
class Report:
    """What the merged reports of one event say: the documents, the count and the deaths."""

    sources: tuple[str, ...]
    count: Count | None
    fatalities: int | None


class EventMerger:
    """Merges the reports of one event from several documents as they arrive.

    Same type, same places, same day, different documents: one event. The first report keeps
    its evidence; ``sources`` grows, and a count or fatalities missing from the first come from
    the next report that has them. Events without a place or a date are never merged.
    """

    def __init__(self) -> None:
        self._open: dict[tuple, list[Report]] = {}

    def add(self, e: Event) -> Report | None:
        """The report of ``e`` when it is a new event, or None when it joined an earlier one."""
        mine = own_report(e)
        key = merge_key(e)
        if key is None:
            return mine
        reports = self._open.setdefault(key, [])
        i = first_other(reports, mine)
        if i is None:
            reports.append(mine)
            return mine
        first, merged = reports[i], joined(reports[i], mine)  # rows made before hold ``first``
        first.sources, first.count, first.fatalities = merged.sources, merged.count, merged.fatalities
        return None


def own_report(e: Event) -> Report:
    """What one document's report of ``e`` says."""
    return Report(tuple(dict.fromkeys(e.sources or (e.doc_id,))), e.count, e.fatalities)


def merge_key(e: Event) -> tuple[str, frozenset[str], str] | None:
    """Reports of one event share type, places and day; None for an event never merged
    (no place or no date)."""
    places = _place_key(e)
    return None if not places or e.date is None else (e.type.value, places, e.date)


def first_other(reports: Sequence[Report], mine: Report) -> int | None:
    """The first earlier report of the same key from other documents (one document's events are
    distinct), or None."""
    return next((i for i, r in enumerate(reports) if set(r.sources).isdisjoint(mine.sources)), None)


def joined(first: Report, other: Report) -> Report:
    """``first`` with ``other``'s documents; a count or deaths missing from it come from ``other``."""
    count, fatalities = first.count or other.count, first.fatalities
    if fatalities is None and other.fatalities is not None:  # deaths are the primary count
        count, fatalities = other.count, other.fatalities
    return Report(first.sources + other.sources, count, fatalities)


def merge_events(events: Sequence[Event]) -> tuple[Event, ...]:
    """Merge the events that several documents report: same type, same places, same day.

    Events of one document are never merged with each other (``extract_events`` already did),
    nor are events without a place or a date (see ``EventMerger``).

    Args:
        events: events of any number of documents, in reading order.

    Returns:
        The merged events, in the order of their first report, each with its ``sources``
        (UCDP ``number_of_sources`` is its length).
    """
    merger = EventMerger()
    kept = [(e, r) for e in events if (r := merger.add(e)) is not None]
    return tuple(replace(e, sources=r.sources, count=r.count, fatalities=r.fatalities) for e, r in kept)
