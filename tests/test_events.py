"""Tests for geomap.events: triggers, status, places, counts, flows, actors, dates, merging."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.counts import find_counts
from geomap.events import extract_events, merge_events
from geomap.model import Document, Event, EventType, Mention, Place

SEED = Path(__file__).resolve().parent.parent / "examples" / "aljazeera-north-syria.txt"
DATE = "2024-03-16"  # a Saturday


def mention(
    text: str,
    surface: str,
    kind: str = "village",
    name: str | None = None,
    *,
    nth: int = 0,
    after: str | None = None,
    pid: str | None = None,
    feature: str = "",
    doc_id: str = "d",
) -> Mention:
    """A resolved mention of the ``nth`` occurrence of ``surface`` (after ``after`` if given)."""
    start = text.find(after) if after else 0
    start = text.find(surface, start)
    for _ in range(nth):
        start = text.find(surface, start + 1)
    assert start >= 0, surface
    name = name or surface
    place = Place(pid or name, name, name, kind, 0.0, 0.0)
    return Mention(doc_id, start, start + len(surface), surface, name, feature=feature, place=place)


def extract(text: str, *places: str | tuple, date: str | None = DATE, doc_id: str = "d"):
    """Events and flows of ``text`` with a mention for each place (surface or (surface, kind, …))."""
    ms = [
        mention(text, *p, doc_id=doc_id) if isinstance(p, tuple) else mention(text, p, doc_id=doc_id)
        for p in places
    ]
    return extract_events(Document(doc_id, text, date=date, url="https://example.org/a"), ms)


def events_of(text: str, *places: str | tuple, **kw) -> tuple[Event, ...]:
    return extract(text, *places, **kw)[0]


def one(text: str, *places: str | tuple, **kw) -> Event:
    events = events_of(text, *places, **kw)
    assert len(events) == 1, [(e.type, e.trigger) for e in events]
    return events[0]


def names(ms: tuple[Mention, ...]) -> list[str]:
    return [m.name for m in ms]


# ---------------------------------------------------------------- the seed article
@pytest.fixture(scope="module")
def seed():
    """The seed article with mentions shaped like the recogniser's (one per countryside of ريفي حماة وإدلب)."""
    text = SEED.read_text(encoding="utf-8")

    def m(surface: str, kind: str, name: str | None = None, **kw) -> Mention:
        return mention(text, surface, kind, name, doc_id="seed", **kw)

    north = Place("north-syria", "شمال سوريا", "northern Syria", "region", 0.0, 0.0)  # no governorate
    after_opp = "مناطق المعارضة في"
    ms = [
        *(replace(m("بشمال سوريا", "region", "شمال سوريا", nth=n), place=north) for n in range(3)),
        *(m("روسيا", "country", nth=n, pid="RU") for n in range(4)),
        m("تركيا", "country", pid="TR"),
        m("الكركات", "village", feature="axis"),
        m("ريف حماة الغربي", "countryside"),
        m("الكبينة", "village", "كبينة", feature="front"),
        m("ريف اللاذقية", "countryside"),
        m("السرمانية", "village"),
        m("سهل الغاب", "plain"),
        m("بريف حماة", "countryside", "ريف حماة", after="سهل الغاب"),
        m("درع الفرات", "operation-area"),
        m("غصن الزيتون", "operation-area"),
        m("ريفي حماة وإدلب", "countryside", "ريف حماة", pid="hama-countryside"),
        m("ريفي حماة وإدلب", "countryside", "ريف إدلب", pid="idlib-countryside"),
        m("منطقة خفض التصعيد الرابعة", "operation-area"),
        m("إدلب", "governorate", after="تشمل"),
        m("إدلب", "governorate", after="الدفاع المدني"),
        m("إدلب", "governorate", after=after_opp),
        m("وحماة", "governorate", "حماة", after=after_opp),
    ]
    doc = Document("seed", text, date="2019-05-19", url="https://www.aljazeera.net/x")
    events, flows = extract_events(doc, ms)
    return doc, events, flows


def by_type(events: tuple[Event, ...], t: EventType) -> list[Event]:
    return [e for e in events if e.type == t]


def test_seed_yields_exactly_the_expected_events(seed):
    """The seed gives two clashes, one shelling, one displacement, one ceasefire and reinforcements."""
    _, events, _ = seed
    assert sorted(e.type.value for e in events) == [
        "armed_clash",
        "armed_clash",
        "ceasefire",
        "displacement",
        "other",
        "shelling",
    ]


def test_seed_karkat_axis_clash_is_a_failed_advance(seed):
    """حاولت التقدم عبر محور الكركات … لكنها فشلت: a failed armed clash on the Karkat axis."""
    _, events, _ = seed
    karkat = [e for e in by_type(events, EventType.ARMED_CLASH) if names(e.locations) == ["الكركات"]]
    assert len(karkat) == 1
    assert karkat[0].status == "failed"
    assert karkat[0].actor1 == "Government of Syria"


def test_seed_kabani_front_clash_without_its_container(seed):
    """جبهة الكبينة في ريف اللاذقية: the clash is on the Kabani front only."""
    _, events, _ = seed
    kabani = [e for e in by_type(events, EventType.ARMED_CLASH) if "كبينة" in names(e.locations)]
    assert [names(e.locations) for e in kabani] == [["كبينة"]]
    assert kabani[0].status == "reported"


def test_seed_shelling_on_sirmaniyah(seed):
    """قصف مكثف على السرمانية في سهل الغاب بريف حماة: shelling located at Sirmaniyah alone."""
    _, events, _ = seed
    (shelling,) = by_type(events, EventType.SHELLING)
    assert names(shelling.locations) == ["السرمانية"]
    assert shelling.event_type == "Explosions/Remote violence"


def test_seed_displacement_count_and_origins(seed):
    """About 180,000 fled the Hama and Idlib countrysides; the count is stored once."""
    _, events, flows = seed
    (disp,) = by_type(events, EventType.DISPLACEMENT)
    assert disp.count.best == 180000 and disp.count.low < 180000 < disp.count.high
    assert names(disp.origins) == ["ريف حماة", "ريف إدلب"]
    assert disp.destinations == ()
    assert [(f.origin.name, f.destination) for f in flows] == [("ريف حماة", None), ("ريف إدلب", None)]
    assert all(f.count is disp.count and f.event_id == disp.id for f in flows)


def test_seed_one_ceasefire_with_rejection_in_notes(seed):
    """The 48-hour truce is one ceasefire event: agreed by the government, rejected by the opposition."""
    _, events, _ = seed
    (truce,) = by_type(events, EventType.CEASEFIRE)
    assert truce.status == "reported"
    assert "rejected by Opposition" in truce.notes
    assert "48" in truce.notes
    assert truce.date == "2019-05-17" and truce.time_precision == 1  # ليل الجمعة
    assert [m.place.id for m in truce.locations] == ["north-syria"]  # بشمال البلاد


def test_seed_reinforcements_from_operation_areas(seed):
    """وصول تعزيزات من مناطق درع الفرات وغصن الزيتون: one 'other' event at both areas."""
    _, events, _ = seed
    (reinf,) = by_type(events, EventType.OTHER)
    assert names(reinf.locations) == ["درع الفرات", "غصن الزيتون"]
    assert reinf.sub_event_type == "Other"


def test_seed_russia_and_turkey_are_never_locations(seed):
    """بالتنسيق مع روسيا وتركيا: countries named as parties are not event places."""
    _, events, _ = seed
    ids = {m.place.id for e in events for m in e.locations + e.origins + e.destinations}
    assert not ids & {"RU", "TR"}


def test_seed_evidence_offsets_and_ids(seed):
    """Every event points back to its trigger and sentence in the original text."""
    doc, events, flows = seed
    assert [e.id for e in events] == [f"seed:e{n}" for n in range(1, len(events) + 1)]
    assert [f.id for f in flows] == ["seed:f1", "seed:f2"]
    for e in events:
        assert doc.text[e.trigger_start : e.trigger_end] == e.trigger
        assert doc.text[e.start : e.end] == e.sentence
        assert e.start <= e.trigger_start < e.trigger_end <= e.end
        assert e.doc_url == doc.url and e.sources == ("seed",)


# ---------------------------------------------------------------- trigger families
@pytest.mark.parametrize(
    ("text", "place", "kind"),
    [
        ("اندلعت اشتباكات عنيفة في بلدة كفرنبودة.", "كفرنبودة", EventType.ARMED_CLASH),
        ("ودارت معارك طاحنة على جبهة الهبيط.", "الهبيط", EventType.ARMED_CLASH),
        ("اقتحمت الفصائل قرية الحماميات.", "الحماميات", EventType.ARMED_CLASH),
        ("Heavy fighting raged around Kafr Nabudah.", "Kafr Nabudah", EventType.ARMED_CLASH),
        ("وقصفت المدفعية بلدة كفرزيتا بالقذائف.", "كفرزيتا", EventType.SHELLING),
        ("سقطت صواريخ راجمات على مدينة سراقب.", "سراقب", EventType.SHELLING),
        ("Mortar shells hit Maarat al-Numan.", "Maarat al-Numan", EventType.SHELLING),
        ("شن الطيران الحربي غارات على بلدة حيش.", "حيش", EventType.AIR_STRIKE),
        ("ألقت المروحيات براميل متفجرة على قرية التمانعة.", "التمانعة", EventType.AIR_STRIKE),
        ("وقصف الطيران الروسي أطراف مدينة أريحا.", "أريحا", EventType.AIR_STRIKE),
        ("A drone attack hit a car in Qamishli.", "Qamishli", EventType.AIR_STRIKE),
        ("Warplanes carried out airstrikes on Khan Shaykhun.", "Khan Shaykhun", EventType.AIR_STRIKE),
        ("وشهدت بلدة كفرنبل موجة نزوح كبيرة.", "كفرنبل", EventType.DISPLACEMENT),
        ("Hundreds of families fled Saraqib.", "Saraqib", EventType.DISPLACEMENT),
        ("ودخلت الهدنة حيز التنفيذ في مدينة إدلب.", "إدلب", EventType.CEASEFIRE),
        ("A ceasefire took effect in Idlib at midnight.", "Idlib", EventType.CEASEFIRE),
        ("سيّرت القوات الروسية والتركية دوريات مشتركة قرب أريحا.", "أريحا", EventType.CEASEFIRE),
        ("ووصلت تعزيزات عسكرية إلى بلدة مورك.", "مورك", EventType.OTHER),
        ("Reinforcements arrived in Saraqib.", "Saraqib", EventType.OTHER),
        ("سقط 15 صاروخاً على بلدة كفرزيتا.", "كفرزيتا", EventType.SHELLING),
        ("Regime artillery shelled the town of Kafr Zita.", "Kafr Zita", EventType.SHELLING),
        ("Government forces clashed with rebels in Hish.", "Hish", EventType.ARMED_CLASH),
        ("Thousands of families were displaced from Kafr Nabl.", "Kafr Nabl", EventType.DISPLACEMENT),
        ("A truce was announced in Daraa.", "Daraa", EventType.CEASEFIRE),
        ("Rebels seized the village of Hish.", "Hish", EventType.ARMED_CLASH),
        ("Government forces took control of Kafr Nabl.", "Kafr Nabl", EventType.ARMED_CLASH),
    ],
)
def test_trigger_family(text, place, kind):
    """Each trigger family, in Arabic and English, gives its event class at the named place."""
    event = one(text, place)
    assert event.type == kind
    assert names(event.locations) == [place]


def test_acled_types_for_air_strike():
    """An air strike carries the ACLED event and sub-event types."""
    event = one("شنت طائرات حربية غارات على بلدة حيش.", "حيش")
    assert (event.event_type, event.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")


def test_displacement_uses_dtm_like_types():
    """A displacement is event_type Displacement, sub-type Population displacement."""
    event = one("نزح سكان قرية الهبيط.", "الهبيط")
    assert (event.event_type, event.sub_event_type) == ("Displacement", "Population displacement")


@pytest.mark.parametrize(
    ("text", "place", "sub"),
    [
        ("سيطرت قوات النظام على قرية الحويز.", "الحويز", "Government regains territory"),
        ("استعادت الفصائل السيطرة على بلدة كفرنبودة.", "كفرنبودة", "Non-state actor overtakes territory"),
        ("Rebels captured the village of Hish.", "Hish", "Non-state actor overtakes territory"),
        ("اشتباكات في قرية الحويز.", "الحويز", "Armed clash"),
    ],
)
def test_capture_sub_event_types(text, place, sub):
    """Captures with a clear actor get the ACLED territory sub-event types."""
    assert one(text, place).sub_event_type == sub


def test_execution_is_violence_against_civilians():
    """إعدامات ميدانية: class other with ACLED event type Violence against civilians."""
    event = one("نفذت قوات النظام إعدامات ميدانية في قرية الحويز.", "الحويز")
    assert event.type == EventType.OTHER
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")


def test_massacre_by_air_strike_is_one_air_strike():
    """مجزرة by warplanes is reported as the air strike, not a second event."""
    event = one("ارتكبت الطائرات الحربية مجزرة بغارات على بلدة حيش.", "حيش")
    assert event.type == EventType.AIR_STRIKE


# ---------------------------------------------------------------- negation and modality
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("لم تتعرض بلدة معرة النعمان لغارات جوية اليوم.", "معرة النعمان"),
        ("لم تشهد مدينة إدلب أي غارات جوية.", "إدلب"),
        ("توقف القصف على مدينة سراقب.", "سراقب"),
        ("شهدت أريحا انخفاضا في حدة المواجهات والقصف الجوي.", "أريحا"),
        ("There were no airstrikes on Idlib on Saturday.", "Idlib"),
    ],
)
def test_negated_events_are_not_emitted(text, place):
    """Negated or halted events (لم، توقف، انخفاض، no) produce no event."""
    assert events_of(text, place) == ()


@pytest.mark.parametrize(
    "text",
    [
        "أطلق ناشطون حملة للتنديد بالقصف على بلدة حيش.",
        "عبروا عن رفضهم اقتحام النظام مدينة سراقب.",
        "Activists condemned the shelling of Saraqib.",
    ],
)
def test_condemned_events_are_not_emitted(text):
    """An event that is only the topic of a condemnation or campaign is not a report of it."""
    place = next(p for p in ("حيش", "سراقب", "Saraqib") if p in text)
    assert events_of(text, place) == ()


@pytest.mark.parametrize(
    "text",
    ["رفضت هيئة تحرير الشام الهدنة في إدلب.", "The opposition rejected the ceasefire in Idlib."],
)
def test_rejected_ceasefire(text):
    """A rejected ceasefire is kept with status rejected."""
    event = one(text, "إدلب" if "إدلب" in text else "Idlib")
    assert (event.type, event.status) == (EventType.CEASEFIRE, "rejected")


@pytest.mark.parametrize(
    "text",
    [
        "اقترحت روسيا هدنة في إدلب.",
        "عرض النظام وقفا لإطلاق النار في إدلب.",
        "A truce was proposed for Idlib.",
    ],
)
def test_proposed_ceasefire(text):
    """A proposed truce is kept with status proposed."""
    event = one(text, "إدلب" if "إدلب" in text else "Idlib")
    assert (event.type, event.status) == (EventType.CEASEFIRE, "proposed")


def test_attempted_advance():
    """حاولت التقدم with no outcome is an attempted armed clash."""
    event = one("حاولت قوات النظام التقدم نحو بلدة كفرنبودة.", "كفرنبودة")
    assert (event.type, event.status) == (EventType.ARMED_CLASH, "attempted")


@pytest.mark.parametrize(
    "text",
    [
        "حاولت قوات النظام التقدم على بلدة الهبيط، لكنها فشلت.",
        "Regime forces tried to advance on Hish but failed.",
    ],
)
def test_failed_advance(text):
    """An attempt followed by فشلت / failed is a failed armed clash."""
    event = one(text, "الهبيط" if "الهبيط" in text else "Hish")
    assert event.status == "failed"


def test_repelled_attack_is_failed():
    """صدت الفصائل هجوما على X: a clash whose attack failed."""
    assert one("صدت الفصائل هجوما على قرية الحماميات.", "الحماميات").status == "failed"


def test_still_ongoing_is_not_negation():
    """لا تزال الاشتباكات مستمرة is not a negation."""
    assert one("لا تزال الاشتباكات مستمرة في قرية الحويز.", "الحويز").status == "reported"


# ---------------------------------------------------------------- counts
@pytest.mark.parametrize(
    ("text", "best", "low", "high", "what"),
    [
        ("قتل 12 مدنيا", 12, 12, 12, "killed"),
        ("نزح ١٢٠٠ شخص", 1200, 1200, 1200, "displaced"),
        ("نحو 180 ألف مدني", 180000, 162000, 198000, "people"),
        ("مئات آلاف النازحين", 300000, 100000, 900000, "displaced"),
        ("عشرات الجرحى", 30, 20, 90, "injured"),
        ("آلاف المدنيين", 3000, 2000, 9000, "people"),
        ("ثلاثة ملايين نسمة", 3000000, 3000000, 3000000, "population"),
        ("مليون نازح", 1000000, 1000000, 1000000, "displaced"),
        ("ألفين شخص", 2000, 2000, 2000, "people"),
        ("ثلاثين قتيلا", 30, 30, 30, "killed"),
        ("عشرة جرحى", 10, 10, 10, "injured"),
        ("خمسة وعشرين قتيلا", 25, 25, 25, "killed"),
        ("أكثر من 20 غارة", 20, 20, 30, "strikes"),
        ("أقل من 50 قتيلا", 50, 25, 50, "killed"),
        ("more than 8 killed", 8, 8, 12, "killed"),
        ("about 2,000 people", 2000, 1800, 2200, "people"),
        ("12,500 displaced", 12500, 12500, 12500, "displaced"),
        ("hundreds of thousands of people", 300000, 100000, 900000, "people"),
        ("1.5 million people", 1500000, 1500000, 1500000, "people"),
        ("two hundred families", 200, 200, 200, "families"),
    ],
)
def test_count_forms(text, best, low, high, what):
    """Digits, Arabic-Indic digits, number words, scales, vague plurals and hedges."""
    (count,) = find_counts(text)
    assert (count.best, count.low, count.high, count.what) == (best, low, high, what)


@pytest.mark.parametrize(
    ("text", "best", "what"),
    [
        ("أسفرت الغارة عن مقتل طفل", 1, "killed"),
        ("استشهدت امرأة جراء القصف", 1, "killed"),
        ("قتل ناشط إعلامي بالقصف", 1, "killed"),
        ("مقتل طفلين بالقصف", 2, "killed"),
        ("قتل مدنيان بالقصف", 2, "killed"),
        ("مقتل طفل رضيع وامرأة", 2, "killed"),
        ("سقوط قتيل بالقصف", 1, "killed"),
        ("لقي مدني حتفه", 1, "killed"),
        ("إصابة شاب بجروح", 1, "injured"),
        ("The strike killed a child.", 1, "killed"),
        ("A civilian was killed in the shelling.", 1, "killed"),
        ("The shelling claimed the life of a woman.", 1, "killed"),
        ("قتل مدني في حيش وآخر في الهبيط", 2, "killed"),  # and another
        ("اغتال مسلحون مجهولون قيادياً في الفصائل", 1, "killed"),
        ("قُتل قيادي في مجلس المدينة العسكري واثنان من مرافقيه", 3, "killed"),
        ("قتل 7 مدنيين من عائلة واحدة", 7, "killed"),  # one family: one, the adjective, counts nothing
    ],
)
def test_casualties_without_a_number(text, best, what):
    """A singular person after a casualty word counts 1, a dual 2, coordinated ones add up."""
    (count,) = find_counts(text)
    assert (count.best, count.low, count.high, count.what) == (best, best, best, what)


@pytest.mark.parametrize("text", ["مقتل المدنيين", "مشفى الشهيد في المدينة", "a child in the camp"])
def test_no_casualty_without_a_casualty_word_or_number(text):
    """A plural without a number, a name after a martyr, a person not killed: no count."""
    assert find_counts(text) == ()


def test_part_of_a_count_is_not_a_count():
    """بينهم 3 أطفال / 7 منهم / including two children count part of the first number."""
    assert [c.best for c in find_counts("مقتل 5 أشخاص بينهم 3 أطفال")] == [5]
    assert [c.best for c in find_counts("مقتل 10 أشخاص، 7 منهم مدنيون")] == [10]
    assert [c.best for c in find_counts("killing 6 people, including two children")] == [6]


def test_people_counted_in_nasama_are_displaced():
    """«نزوح 400 ألف نسمة»: نسمة counts people when a displacement word is near."""
    (count,) = find_counts("نزوح أكثر من 400 ألف نسمة")
    assert (count.best, count.low, count.high, count.what) == (400000, 400000, 600000, "displaced")


def test_count_surface_is_original_text():
    """A count's surface is the original phrase with its hedge."""
    (count,) = find_counts("فرّ نحو ٣٠٠ شخص")
    assert count.surface == "نحو ٣٠٠ شخص"


def test_years_and_durations_are_not_event_counts():
    """A year is no count; a duration is marked as a measure."""
    assert find_counts("in 2019") == ()
    assert [c.what for c in find_counts("هدنة لمدة 48 ساعة")] == ["measure"]


def test_killed_count_attaches_to_violent_event():
    """Casualties of a strike are counted on the strike."""
    event = one(
        "Russian warplanes carried out airstrikes on Khan Shaykhun, killing more than 8 civilians.",
        "Khan Shaykhun",
    )
    assert (event.count.best, event.count.what) == (8, "killed")


def test_displaced_people_count_is_named_displaced():
    """People counted by a displacement are counted as displaced."""
    event = one("نزح أكثر من ٨ آلاف شخص من بلدة حيش.", "حيش")
    assert (event.count.best, event.count.high, event.count.what) == (8000, 12000, "displaced")


def test_deaths_are_the_primary_count_and_fatalities():
    """Deaths come before munitions: count and fatalities are the deaths; injured never are."""
    event = one(
        "قصفت قوات النظام بلدة كفرنبل بـ 20 قذيفة، ما أدى إلى مقتل 3 مدنيين وإصابة 5 آخرين.", "كفرنبل"
    )
    assert (event.count.best, event.count.what, event.fatalities) == (3, "killed", 3)


def test_munitions_are_the_count_when_no_one_died():
    """Without deaths, the number of rockets is the count and fatalities stay unknown."""
    event = one("The regime fired 20 rockets at Kafr Nabl.", "Kafr Nabl")
    assert (event.count.best, event.count.what, event.fatalities) == (20, "projectiles", None)


def test_more_than_keeps_the_stated_number():
    """أكثر من 10: best and low are 10, high 15."""
    event = one("أسفر القصف على مدينة أريحا عن مقتل أكثر من 10 أشخاص.", "أريحا")
    assert (event.count.best, event.count.low, event.count.high, event.fatalities) == (10, 10, 15, 10)


def test_death_counts_of_one_event_add_up():
    """مقتل 3 مدنيين و2 من عناصر الدفاع المدني: 5 killed."""
    event = one("أسفرت الغارات على بلدة حيش عن مقتل 3 مدنيين ومقتل عنصرين من الدفاع المدني.", "حيش")
    assert event.fatalities == 5


def test_count_goes_to_the_place_it_names():
    """Strikes on X and Y «أسفرت عن مقتل 4 في Y»: Y has its own event with the deaths, X none."""
    text = "شنت طائرات حربية غارات على بلدة حيش وقرية الهبيط، ما أدى لمقتل 4 مدنيين في الهبيط."
    ms = [mention(text, "حيش"), mention(text, "الهبيط"), mention(text, "الهبيط", nth=1)]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    assert [(names(e.locations), e.fatalities) for e in events] == [(["حيش"], None), (["الهبيط"], 4)]


def test_count_place_in_a_clause_without_trigger_joins_the_event():
    """… غارات على ريف X، ما أدى لمقتل طفل في بلدة Y: Y is where the strike killed."""
    text = "شنت طائرات حربية غارات على ريف إدلب الجنوبي، ما أدى لمقتل طفل في بلدة حيش."
    events = events_of(text, ("ريف إدلب الجنوبي", "countryside"), "حيش")
    assert [(names(e.locations), e.fatalities) for e in events] == [
        (["ريف إدلب الجنوبي"], None),
        (["حيش"], 1),
    ]


def test_casualties_of_a_following_sentence_go_to_the_event_before():
    """قصفت … بلدة X. وأسفر القصف عن مقتل طفل: the death belongs to the shelling of X."""
    event = one("قصفت قوات النظام بلدة كفرنبل بالمدفعية. وأسفر القصف عن مقتل طفل.", "كفرنبل")
    assert (event.type, event.fatalities) == (EventType.SHELLING, 1)


def test_count_is_not_given_to_a_different_event():
    """Deaths of a strike are not the count of a displacement in the same sentence."""
    events = events_of(
        "نزح الأهالي من بلدة حيش بعد غارات على قرية الهبيط أدت لمقتل 3 مدنيين.", "حيش", "الهبيط"
    )
    by = {e.type: e for e in events}
    assert by[EventType.DISPLACEMENT].count is None
    assert by[EventType.AIR_STRIKE].fatalities == 3


def test_massacre_at_a_struck_place_is_the_strike():
    """«مجزرة في X» and «غارات على X» in another sentence: one air strike at X with the deaths."""
    text = "ارتكبت قوات النظام مجزرة في بلدة حيش راح ضحيتها 7 مدنيين.\nوشنت طائرات حربية غارات على بلدة حيش."
    ms = [mention(text, "حيش"), mention(text, "حيش", nth=1)]
    (event,), _ = extract_events(Document("d", text, date=DATE), ms)
    assert (event.type, event.fatalities) == (EventType.AIR_STRIKE, 7)


def test_massacre_takes_the_type_of_its_sentence():
    """«مجزرة في X، … بغارات على Y»: the massacre at X was done by the air strikes of its sentence."""
    events = events_of("وقعت مجزرة في بلدة حيش، بعد غارات روسية على قرية الهبيط.", "حيش", "الهبيط")
    assert {e.type for e in events} == {EventType.AIR_STRIKE}


def test_deaths_reported_at_the_governorate_go_to_the_village_inside():
    """Shelling on a village, then «مقتل 9 … في إدلب»: the deaths are the village's."""
    text = "قصفت قوات النظام بلدة حيش.\nوقتل 9 مدنيين في القصف على إدلب."
    gov = Place("SY07", "إدلب", "Idlib", "governorate", 35.9, 36.6, admin1_pcode="SY07")
    village = Place("C1", "حيش", "Hish", "village", 35.5, 36.6, admin1_pcode="SY07")
    ms = [replace(mention(text, "حيش"), place=village), replace(mention(text, "إدلب"), place=gov)]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    deaths = {e.locations[0].place.id: e.fatalities for e in events}
    assert deaths["C1"] == 9 and deaths.get("SY07") is None


def test_deaths_at_the_governorate_go_to_the_strike_of_their_kind():
    """Air strikes and shelling on a village, then «مقتل 9 في هجوم جوي على إدلب»: the air strike's deaths."""
    text = "استهدفت الطائرات الحربية وراجمات الصواريخ بلدة حيش.\nوقتل 9 جنود في هجوم جوي على إدلب."
    gov = Place("SY07", "إدلب", "Idlib", "governorate", 35.9, 36.6, admin1_pcode="SY07")
    village = Place("C1", "حيش", "Hish", "village", 35.5, 36.6, admin1_pcode="SY07")
    ms = [replace(mention(text, "حيش"), place=village), replace(mention(text, "إدلب"), place=gov)]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    deaths = {(e.type, e.locations[0].place.id): e.fatalities for e in events}
    assert deaths[(EventType.AIR_STRIKE, "C1")] == 9
    assert deaths[(EventType.SHELLING, "C1")] is None


@pytest.mark.parametrize(
    "text",
    [
        "قصفت المدفعية مدينة حيش، ما دفع عشرات السكان إلى النزوح.",
        "قصفت المدفعية مدينة حيش، مما أجبر الأهالي على النزوح.",
        "Artillery shelled the town of Hish, forcing residents to flee.",
    ],
)
def test_consequence_clause_happens_at_the_place_before(text):
    """«…، ما دفع السكان إلى النزوح»: the displacement is from the place the clause before names."""
    surface = "Hish" if "Hish" in text else "حيش"
    by = {e.type: e for e in events_of(text, surface)}
    assert names(by[EventType.DISPLACEMENT].locations) == [surface]
    assert names(by[EventType.SHELLING].locations) == [surface]


def test_a_clause_with_its_own_place_keeps_it():
    """A consequence clause that names its own place is not moved to the place before."""
    events = events_of("قصفت المدفعية بلدة حيش، ما دفع السكان إلى النزوح نحو قرية الهبيط.", "حيش", "الهبيط")
    by = {e.type: e for e in events}
    assert names(by[EventType.DISPLACEMENT].destinations) == ["الهبيط"]


@pytest.mark.parametrize(
    "text",
    [
        "بدأ سكان بلدة حيش في مغادرة منازلهم.",
        "غادر الأهالي منازلهم في بلدة حيش.",
        "Residents of Hish left their homes.",
    ],
)
def test_leaving_homes_is_displacement(text):
    surface = "Hish" if "Hish" in text else "حيش"
    event = one(text, surface)
    assert event.type == EventType.DISPLACEMENT


def test_launch_site_is_not_the_target():
    """قصفت … من مواقعها في X بلدة Y: the shelling is at Y only."""
    event = one(
        "قصفت قوات النظام من مواقعها في معسكر جورين بلدة كفرنبل.", ("معسكر جورين", "village"), "كفرنبل"
    )
    assert names(event.locations) == ["كفرنبل"]


def test_foreign_capital_is_never_an_event_place():
    """«أنقرة» names a government; a strike there is not on the map of Syria."""
    text = "قالت أنقرة إن غارات استهدفت بلدة حيش."
    ankara = Place("ankara", "أنقرة", "Ankara", "city", 39.93, 32.86)
    ms = [replace(mention(text, "أنقرة"), place=ankara), mention(text, "حيش")]
    (event,), _ = extract_events(Document("d", text, date=DATE), ms)
    assert names(event.locations) == ["حيش"]


def test_displacement_at_a_country_scale_region():
    """«نزوح 400 ألف في شمال غرب سوريا»: displacement figures are located at the region."""
    text = "نزح أكثر من 400 ألف شخص في شمال غرب سوريا.\nوقصفت قوات النظام بلدة كفرنبل."
    region = Place("nw", "شمال غرب سوريا", "north-western Syria", "region", 36.0, 36.7)
    ms = [replace(mention(text, "شمال غرب سوريا", "region"), place=region), mention(text, "كفرنبل")]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    (disp,) = [e for e in events if e.type == EventType.DISPLACEMENT]
    assert [m.place.id for m in disp.locations] == ["nw"] and disp.count.best == 400000


def test_english_front_in_a_countryside_keeps_the_front():
    """ "the Kabani front in the Latakia countryside": the countryside only says where Kabani is."""
    event = one(
        "Fighting continued on the Kabani front in the Latakia countryside.",
        "Kabani",
        ("Latakia countryside", "countryside"),
    )
    assert names(event.locations) == ["Kabani"]


def test_population_is_never_an_event_count():
    """نحو ثلاثة ملايين نسمة describes a region, not the displaced."""
    event = one("نزح سكان من إدلب التي تؤوي نحو ثلاثة ملايين نسمة.", "إدلب")
    assert event.count is None


# ---------------------------------------------------------------- flows
def test_flow_from_origin_to_destination_ar():
    """فروا من X إلى Y gives one flow X → Y."""
    events, flows = extract("فر ألفا شخص من بلدة خان شيخون إلى مخيمات أطمة.", "خان شيخون", ("أطمة", "camp"))
    (event,) = events
    assert (names(event.origins), names(event.destinations)) == (["خان شيخون"], ["أطمة"])
    assert [(f.origin.name, f.destination.name) for f in flows] == [("خان شيخون", "أطمة")]


def test_flow_from_origin_to_destination_en():
    """fled from X to Y gives one flow X → Y with the count."""
    events, flows = extract(
        "About 2,000 people fled from Kafr Nabl to Atmeh.", "Kafr Nabl", ("Atmeh", "camp")
    )
    assert [(f.origin.name, f.destination.name, f.count.best) for f in flows] == [
        ("Kafr Nabl", "Atmeh", 2000)
    ]


def test_coordinated_origins_share_one_count():
    """من X وY: two origins on one event, one flow each, one count object."""
    events, flows = extract("نزح 500 شخص من بلدة حيش وكفرنبل نحو الشمال.", "حيش", "كفرنبل")
    (event,) = events
    assert names(event.origins) == ["حيش", "كفرنبل"]
    assert len(flows) == 2 and flows[0].count is flows[1].count is event.count
    assert all(f.destination is None for f in flows)


def test_destination_in_a_following_clause():
    """… من X، حيث وصلت إلى مخيمات في Y: Y is the destination."""
    events, flows = extract(
        "نزحت ٥٠٠ عائلة من بلدة سراقب، حيث وصلت إلى مخيمات في ريف إدلب الشمالي.",
        ("سراقب", "town"),
        ("ريف إدلب الشمالي", "countryside"),
    )
    assert [(f.origin.name, f.destination.name) for f in flows] == [("سراقب", "ريف إدلب الشمالي")]
    assert events[0].count.what == "displaced families"


def test_destination_only_has_no_flow():
    """A displacement with a destination only is located there and has no flow."""
    events, flows = extract("وصل مئات النازحين إلى مخيمات أطمة.", ("أطمة", "camp"))
    assert names(events[0].locations) == ["أطمة"] and flows == ()


# ---------------------------------------------------------------- actors
@pytest.mark.parametrize(
    ("text", "place", "actor1", "actor2"),
    [
        ("قصفت قوات النظام بلدة كفرنبل.", "كفرنبل", "Government of Syria", None),
        (
            "اندلعت اشتباكات على محور كبانة بين قوات النظام وهيئة تحرير الشام.",
            "كبانة",
            "Government of Syria",
            "HTS",
        ),
        ("شنت طائرات حربية روسية غارات على بلدة حيش.", "حيش", "Russia", None),
        ("قصفت قسد مواقع الجيش التركي قرب منبج.", "منبج", "SDF", "Turkey"),
        ("هاجم تنظيم الدولة حاجزا للنظام في البادية قرب السخنة.", "السخنة", "IS", "Government of Syria"),
        (
            "Government forces clashed with rebels near Kafr Nabudah.",
            "Kafr Nabudah",
            "Government of Syria",
            "Opposition",
        ),
        ("Hezbollah fighters stormed Qusayr.", "Qusayr", "Hezbollah", None),
        ("Coalition airstrikes hit Baghuz.", "Baghuz", "Coalition", None),
    ],
)
def test_actors(text, place, actor1, actor2):
    """Named actors map to canonical English names; the agent is actor 1."""
    event = one(text, place)
    assert (event.actor1, event.actor2) == (actor1, actor2)


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("اليوم", "2024-03-16"),
        ("أمس", "2024-03-15"),
        ("أول أمس", "2024-03-14"),
        ("يوم الخميس", "2024-03-14"),
        ("فجر السبت", "2024-03-16"),
        ("ليل الجمعة", "2024-03-15"),
        ("الأحد", "2024-03-10"),
    ],
)
def test_relative_days_ar(phrase, expected):
    """Arabic day words resolve against the document date (weekday: on or before it)."""
    event = one(f"قصفت قوات النظام بلدة كفرنبل {phrase}.", "كفرنبل")
    assert (event.date, event.time_precision) == (expected, 1)


@pytest.mark.parametrize(("phrase", "expected"), [("yesterday", "2024-03-15"), ("on Monday", "2024-03-11")])
def test_relative_days_en(phrase, expected):
    """English day words resolve against the document date."""
    event = one(f"Government forces shelled Kafr Nabl {phrase}.", "Kafr Nabl")
    assert (event.date, event.time_precision) == (expected, 1)


def test_no_day_word_means_document_date_month_precision():
    """Without a day word the event has the document date and precision 3."""
    event = one("قصفت قوات النظام بلدة كفرنبل.", "كفرنبل")
    assert (event.date, event.time_precision) == (DATE, 3)


def test_no_document_date():
    """Without a document date, relative days cannot be resolved."""
    event = one("قصفت قوات النظام بلدة كفرنبل أمس.", "كفرنبل", date=None)
    assert (event.date, event.time_precision) == (None, 3)


# ---------------------------------------------------------------- linking places
def test_reporter_location_is_not_event_place():
    """قال مصدر في إدلب: the source's town is not where the strike was."""
    event = one("قال مصدر في إدلب إن غارات روسية استهدفت بلدة حيش.", ("إدلب", "governorate"), "حيش")
    assert names(event.locations) == ["حيش"]


def test_reporter_location_alone_gives_no_event():
    """With only the source's town named, the event has no place and is dropped."""
    assert events_of("قال مصدر في إدلب إن غارات استهدفت المنطقة.", ("إدلب", "governorate")) == ()


def test_actor_origin_is_not_event_place():
    """قوات قادمة من حماة قصفت X: the forces' origin is not the target."""
    event = one("قوات النظام القادمة من حماة قصفت بلدة كفرزيتا.", ("حماة", "city"), "كفرزيتا")
    assert names(event.locations) == ["كفرزيتا"]


def test_place_before_trigger_is_used_when_none_follows():
    """X تشهد اشتباكات: the place before the trigger is the location."""
    assert names(one("بلدة كفرنبودة تشهد اشتباكات عنيفة.", "كفرنبودة").locations) == ["كفرنبودة"]


def test_clauses_link_each_event_to_its_own_place():
    """اشتباكات في X بينما قصفت Y: each event gets the place of its clause."""
    events = events_of("جرت اشتباكات في كفرنبودة بينما قصفت قوات النظام الهبيط.", "كفرنبودة", "الهبيط")
    assert [(e.type, names(e.locations)) for e in events] == [
        (EventType.ARMED_CLASH, ["كفرنبودة"]),
        (EventType.SHELLING, ["الهبيط"]),
    ]


def test_coordinated_triggers_share_the_place():
    """قصف مدفعي وغارات جوية على X: both the shelling and the strikes are at X."""
    events = events_of("تعرضت بلدة كفرزيتا لقصف مدفعي وغارات جوية.", "كفرزيتا")
    assert [(e.type, names(e.locations)) for e in events] == [
        (EventType.SHELLING, ["كفرزيتا"]),
        (EventType.AIR_STRIKE, ["كفرزيتا"]),
    ]


def test_listed_places_stay_in_the_clause():
    """in X, Y and Z: commas of a list do not cut the clause."""
    event = one(
        "Clashes broke out in Hish, Kafr Nabl and Maarat al-Numan.", "Hish", "Kafr Nabl", "Maarat al-Numan"
    )
    assert names(event.locations) == ["Hish", "Kafr Nabl", "Maarat al-Numan"]


def test_mention_context_drops_container():
    """A place listed in another mention's context is not a second location."""
    text = "قصف على قرية الحويز من جهة سهل الغاب."
    village = mention(text, "الحويز")
    plain = mention(text, "سهل الغاب", "plain", pid="ghab")
    (event,), _ = extract_events(Document("d", text, date=DATE), [replace(village, context=("ghab",)), plain])
    assert names(event.locations) == ["الحويز"]


# ---------------------------------------------------------------- placeless events and duplicates
def test_placeless_event_dropped_when_document_names_places():
    """المعارك قائمة (no place) is dropped when the article names places elsewhere."""
    text = "ما زالت المعارك قائمة.\nوقصفت قوات النظام بلدة كفرنبل."
    assert [e.type for e in events_of(text, "كفرنبل")] == [EventType.SHELLING]


def test_placeless_event_kept_when_document_names_no_place():
    """A clearly reported event in an article naming no place is kept without location."""
    event = one("Russian airstrikes killed 20 people.")
    assert (event.type, event.locations, event.count.best) == (EventType.AIR_STRIKE, (), 20)


def test_country_used_only_when_nothing_else_is_named():
    """A country is the location only when the article names no other place."""
    event = one("Russian airstrikes killed 20 people in Syria.", ("Syria", "country"))
    assert names(event.locations) == ["Syria"]


def test_country_scale_region_is_not_a_location():
    """تقصف … بشمال سوريا: a region spanning governorates is as vague as the country."""
    text = "قوات المعارضة تقصف قوات النظام بشمال سوريا.\nوقصفت قوات النظام بلدة كفرنبل."
    north = Place("north", "شمال سوريا", "northern Syria", "region", 0.0, 0.0)
    ms = [replace(mention(text, "بشمال سوريا", "region"), place=north), mention(text, "كفرنبل")]
    (event,), _ = extract_events(Document("d", text, date=DATE), ms)
    assert names(event.locations) == ["كفرنبل"]


def test_same_type_triggers_in_a_clause_make_one_event():
    """غارات الطيران الحربي … وبراميل: several air words about one place are one event."""
    event = one("شن الطيران الحربي غارات وألقى براميل متفجرة على بلدة حيش.", "حيش")
    assert event.type == EventType.AIR_STRIKE


def test_repeated_sentence_does_not_duplicate():
    """The same report twice (caption and body) gives one event."""
    text = "قصفت قوات النظام بلدة كفرنبل.\nقصفت قوات النظام بلدة كفرنبل."
    ms = [mention(text, "كفرنبل"), mention(text, "كفرنبل", nth=1)]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    assert len(events) == 1


# ---------------------------------------------------------------- merging documents
def _strike(doc_id: str, date: str = DATE) -> Event:
    (event,) = events_of(
        "شنت طائرات حربية غارات على بلدة حيش.", ("حيش", "village", "حيش"), doc_id=doc_id, date=date
    )
    return event


def test_merge_events_across_documents():
    """Same place, type and date in two documents merge into one event with both sources."""
    merged = merge_events([_strike("a"), _strike("b")])
    assert len(merged) == 1
    assert merged[0].sources == ("a", "b") and merged[0].doc_id == "a"


def test_merge_keeps_different_dates_apart():
    """Events on different days stay separate."""
    assert len(merge_events([_strike("a"), _strike("b", date="2024-03-17")])) == 2


def test_merge_never_merges_events_of_one_document():
    """Two events of one document stay two: only other documents confirm an event."""
    assert len(merge_events([_strike("a"), _strike("a")])) == 2


def test_merge_never_merges_undated_events():
    """Without a day, two reports cannot be said to be the same event."""
    assert len(merge_events([_strike("a", date=None), _strike("b", date=None)])) == 2


def test_merge_takes_deaths_from_a_later_report():
    """The first report has no toll, the second has: the merged event has the deaths."""
    (later,) = events_of(
        "شنت طائرات حربية غارات على بلدة حيش أسفرت عن مقتل 4 مدنيين.", ("حيش", "village", "حيش"), doc_id="b"
    )
    (merged,) = merge_events([_strike("a"), later])
    assert (merged.fatalities, merged.count.best, merged.sources) == (4, 4, ("a", "b"))


def test_merge_never_merges_placeless_events():
    """Events without places are not merged."""
    first = one("Russian airstrikes killed 20 people.", doc_id="a")
    second = one("Russian airstrikes killed 20 people.", doc_id="b")
    assert len(merge_events([first, second])) == 2


# ---------------------------------------------------------------- invariants
_WORDS = [
    "قصفت",
    "قوات",
    "النظام",
    "بلدة",
    "حيش",
    "غارات",
    "على",
    "من",
    "إلى",
    "نزح",
    "نحو",
    "١٨٠",
    "ألف",
    "لم",
    "هدنة",
    "رفضت",
    "،",
    ".",
    "\n",
    "و",
    "shelling",
    "in",
    "Hish",
    "fled",
    "to",
    "2,000",
    "no",
    "أمس",
]


@given(st.lists(st.sampled_from(_WORDS), max_size=40))
@settings(max_examples=150, deadline=None)
def test_any_text_gives_consistent_evidence(words):
    """For any text, triggers and sentences point back into the original text."""
    text = " ".join(words)
    ms = []
    pos = text.find("حيش")
    if pos >= 0:
        ms.append(
            Mention("d", pos, pos + 3, "حيش", "حيش", place=Place("hish", "حيش", "Hish", "village", 0, 0))
        )
    events, flows = extract_events(Document("d", text, date=DATE), ms)
    for e in events:
        assert text[e.trigger_start : e.trigger_end] == e.trigger
        assert text[e.start : e.end] == e.sentence
        assert e.status != "negated"
    assert len({e.id for e in events}) == len(events)
    assert all(f.event_id in {e.id for e in events} for f in flows)


_LEXICON_WORDS = [
    *_WORDS,
    "وقصف جوي",
    "الطيران الحربي",
    "هيئة تحرير الشام",
    "القضاء على آخر جيب",
    "وفر باتجاه",
    "الباصات الخضراء",
    "took control of",
    "air strikes",
    "an attack",
    "Russian regime forces",
    "backed by",
    "أطلقت القوات التركية",
]


def _lexicon_agrees(text: str) -> None:
    from geomap.events import _ACTOR_LEXICON, _TRIGGER_LEXICON
    from geomap.normalize import fold

    folded = fold(text).text
    for lexicon in (_TRIGGER_LEXICON, _ACTOR_LEXICON):
        together = [[m.span() for m in ms] for ms in lexicon.matches(folded)]
        assert together == [[m.span() for m in rx.finditer(folded)] for rx in lexicon.patterns]


@given(st.lists(st.sampled_from(_LEXICON_WORDS), max_size=30))
@settings(max_examples=150, deadline=None)
def test_lexicons_find_what_each_pattern_finds(words):
    """Triggers and actors found in one scan are what each pattern's own scan finds."""
    _lexicon_agrees(" ".join(words))


def test_lexicons_find_what_each_pattern_finds_in_the_seed():
    _lexicon_agrees(SEED.read_text(encoding="utf-8"))
    _lexicon_agrees(" ".join(_LEXICON_WORDS))


def test_time_between_death_verb_and_victim():
    """«استشهد يوم أمس الناشط» is one death."""
    (c,) = find_counts("استشهد يوم أمس الناشط الإعلامي بقصف جوي")
    assert (c.best, c.what) == (1, "killed")


def test_singular_victim_before_the_verb():
    """«إن مدنياً استشهد» is one death."""
    (c,) = find_counts("قال المراسل إن مدنياً استشهد في الغارة")
    assert (c.best, c.what) == (1, "killed")


def test_stationed_forces_are_not_the_target():
    """Shelling from where forces are stationed lands on the villages named before, not there."""
    text = (
        "أصيب مدنيون بقصف مدفعي على قرية الهبيط. "
        "وأطلقت القوات المتمركزة في تل الملح نحو 12 صاروخا على القرية المذكورة."
    )
    events = events_of(text, "الهبيط", "تل الملح")
    assert [names(e.locations) for e in events] == [["الهبيط"]]
    assert events[0].count.best == 12


def test_share_of_casualties_is_not_a_count():
    """«عدد من الجنود بين قتيل وجريح» says how a number splits, not that one died."""
    assert find_counts("سقط عدد من الجنود بين قتيل وجريح في القصف") == ()


def test_air_attack_is_an_air_strike():
    """«هجوم جوي» is an air strike, not a clash."""
    assert one("قتل جنود في هجوم جوي على سراقب", "سراقب").type == EventType.AIR_STRIKE


# -- statuses and forms found on new text ---------------------------------------------------------


def test_a_ceasefire_breach_does_not_negate_the_shelling():
    """«خرقت قوات النظام وقف إطلاق النار بقصف X»: the وقف is the ceasefire's, the shelling happened."""
    events = events_of("خرقت قوات النظام وقف إطلاق النار بقصف بلدة حيش.", "حيش")
    assert EventType.SHELLING in {e.type for e in events if e.status == "reported"}


@pytest.mark.parametrize(
    "text, surface",
    [
        ("نفت وزارة الدفاع الروسية شن أي غارات على بلدة حيش.", "حيش"),  # a denial
        ("تخشى الفصائل من هجوم مرتقب لقوات النظام على بلدة حيش.", "حيش"),  # feared, not yet
        ("قد تشن قوات النظام هجوماً على بلدة حيش.", "حيش"),
        ("Rebels fear an imminent offensive on Hish.", "Hish"),
        ("عاد آلاف النازحين إلى بلدة حيش.", "حيش"),  # people returning
        ("يعيش آلاف النازحين في مخيمات قرب بلدة حيش.", "حيش"),  # the displaced as a population
        ("وفرت المنظمة الخيام لأهالي بلدة حيش.", "حيش"),  # وفّر «provided», not فرّ
        ("تقع القرى في ريف إدلب الخاضع لسيطرة الفصائل قرب بلدة حيش.", "حيش"),
    ],
)
def test_no_event(text, surface):
    assert [e for e in events_of(text, surface) if e.status == "reported"] == []


def test_a_cue_of_another_clause_does_not_negate():
    """ "had no power when shelling hit X": the "no" is another verb's."""
    event = one("Residents had no electricity when shelling hit Hish.", "Hish")
    assert (event.type, event.status) == (EventType.SHELLING, "reported")


@pytest.mark.parametrize(
    "text, kind",
    [
        ("وصل مئات من مهجري بلدة حيش إلى قرية الهبيط.", EventType.DISPLACEMENT),
        ("وفرّ مئات المدنيين من بلدة حيش إلى قرية الهبيط.", EventType.DISPLACEMENT),
        ("استهدف الجيش التركي مواقع قسد في قرية الهبيط.", EventType.SHELLING),
        ("ألقت المروحيات أكثر من 30 برميلاً متفجراً على قرية الهبيط.", EventType.AIR_STRIKE),
    ],
)
def test_more_trigger_forms(text, kind):
    places = [p for p in ("حيش", "الهبيط") if p in text]
    assert kind in {e.type for e in events_of(text, *places)}


@pytest.mark.parametrize(
    "text, surface, sub, deaths",
    [
        ("انفجرت سيارة مفخخة في بلدة حيش ما أدى لمقتل 4 مدنيين.", "حيش", "Remote explosive/landmine/IED", 4),
        ("A suicide bomber blew himself up in Hish, killing six people.", "Hish", "Suicide bomb", 6),
        ("A roadside bomb killed three fighters near Hish.", "Hish", "Remote explosive/landmine/IED", 3),
    ],
)
def test_explosions(text, surface, sub, deaths):
    event = one(text, surface)
    assert (event.type, event.event_type, event.sub_event_type) == (
        EventType.OTHER,
        "Explosions/Remote violence",
        sub,
    )
    assert event.fatalities == deaths


def test_executions_are_deaths():
    event = one("أعدمت قوات النظام 11 شخصاً في بلدة حيش.", "حيش")
    assert event.fatalities == 11


def test_an_unknown_name_located_by_its_area_stays_its_own_event():
    """Clashes in «ريف حماة» and at an unknown village located by it are two events, not one."""
    text = "اشتباكات في ريف حماة الشمالي.\nتستمر الاشتباكات في قرية الجنابرة بريف حماة الشمالي."
    area = Place("north", "ريف حماة الشمالي", "northern Hama countryside", "countryside", 35.3, 36.6)
    ms = [
        replace(mention(text, "ريف حماة الشمالي"), place=area),
        replace(mention(text, "الجنابرة"), place=area, feature="in"),
        replace(mention(text, "ريف حماة الشمالي", nth=1), place=area),
    ]
    events, _ = extract_events(Document("d", text, date=DATE), ms)
    assert len([e for e in events if e.type == EventType.ARMED_CLASH]) == 2


def test_qad_with_a_past_verb_is_no_forecast():
    """«وكانت قوات النظام قد قصفت X»: قد with a past verb reports what happened."""
    event = one("وكانت قوات النظام قد قصفت بلدة حيش أمس.", "حيش")
    assert (event.type, event.status) == (EventType.SHELLING, "reported")


def test_a_massacre_by_aircraft_is_the_air_strike():
    """«ارتكب الطيران الحربي مجزرة في X، راح ضحيتها 18»: an air strike at X with 18 dead."""
    event = one("ارتكب الطيران الحربي مجزرة في بلدة حيش، راح ضحيتها 18 مدنياً.", "حيش")
    assert (event.type, event.fatalities) == (EventType.AIR_STRIKE, 18)


def test_a_follow_up_clause_says_where_the_strikes_fell():
    """«غارات على X، تركزت على Y وZ»: one strike event at X, Y and Z."""
    text = "شن الطيران غارات على ريف إدلب، تركزت على بلدة حيش وقرية الهبيط."
    event = one(text, ("ريف إدلب", "countryside"), "حيش", "الهبيط")
    assert names(event.locations) == ["ريف إدلب", "حيش", "الهبيط"]


def test_a_consequence_flight_starts_where_the_shelling_was():
    """«قصفت X، ما دفع السكان إلى النزوح نحو Y»: from X to Y."""
    text = "قصفت قوات النظام بلدة حيش، ما دفع المئات من سكانها إلى النزوح نحو قرية الهبيط."
    flight = next(e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.DISPLACEMENT)
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_fighting_that_displaced_people():
    """ "Fighting in X has displaced 90,000 people": a displacement from X with its count."""
    flight = next(
        e
        for e in events_of("Fighting in Hish has displaced 90,000 people.", "Hish")
        if e.type == EventType.DISPLACEMENT
    )
    assert names(flight.origins) == ["Hish"] and flight.count.best == 90000


def test_residents_of_x_fled_to_y():
    flight = one("Residents of Hish fled to Habit.", "Hish", "Habit")
    assert (names(flight.origins), names(flight.destinations)) == (["Hish"], ["Habit"])


def test_a_later_clause_of_another_movement_is_no_destination():
    """«نزح 200 ألف من X، في حين توجهت عائلات من Y إلى Z»: Z is not where the 200,000 went."""
    text = "نزح نحو 200 ألف من بلدة حيش، في حين توجهت مئات العائلات من قرية الهبيط إلى مدينة سراقب."
    flight = next(e for e in events_of(text, "حيش", "الهبيط", "سراقب") if e.count and e.count.best == 200000)
    assert "سراقب" not in names(flight.destinations)


def test_a_distance_from_a_place_is_no_launch_site():
    """ "a village 5 km from X": the strike landed near X, it did not come from there."""
    event = one("Air strikes hit a village 5 km from Hish, killing three.", "Hish")
    assert names(event.locations) == ["Hish"]


def test_two_dozen():
    assert one("Two dozen people were killed in shelling on Hish.", "Hish").fatalities == 24


def test_a_truce_one_will_not_accept_is_rejected():
    event = one("HTS said it would not accept any truce in Hish.", "Hish")
    assert (event.type, event.status) == (EventType.CEASEFIRE, "rejected")


def test_a_breach_reported_after_the_truce():
    event = one("The ceasefire in Hish was violated on Monday.", "Hish")
    assert "breach alleged" in event.notes


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Syrian government forces backed by Russian warplanes captured Hish.", "Hish"),
        ("سيطرت قوات النظام مدعومة بالطيران الروسي على بلدة حيش.", "حيش"),
    ],
)
def test_the_backer_is_neither_agent_nor_event(text, surface):
    """Air support named as backing is no air strike, and the backer is not actor 1."""
    event = one(text, surface)
    assert (event.type, event.actor1, event.sub_event_type) == (
        EventType.ARMED_CLASH,
        "Government of Syria",
        "Government regains territory",
    )


@pytest.mark.parametrize(
    "text, deaths",
    [
        ("قتل 35 عنصراً من قوات النظام و12 مقاتلاً من الفصائل في اشتباكات في بلدة حيش.", 47),
        ("Clashes in Hish killed 5 soldiers and 3 rebel fighters.", 8),
    ],
)
def test_coordinated_death_counts_add_up(text, deaths):
    surface = "Hish" if "Hish" in text else "حيش"
    assert one(text, surface).fatalities == deaths


@pytest.mark.parametrize(
    "text",
    [
        "هدد الجيش التركي بقصف مواقع قسد في بلدة حيش.",  # a threat
        "توقع المرصد أن تشن قوات النظام هجوماً على بلدة حيش.",  # a forecast
        "نفت وزارة الدفاع التركية الأنباء عن استهداف طائراتها لبلدة حيش.",  # a denial, far before
        "وكانت قوات النظام قد سيطرت العام الماضي على بلدة حيش.",  # background
        "شهدت بلدة حيش مظاهرات ضد القصف الروسي.",  # a protest
        "حلقت طائرات الاستطلاع الروسية في سماء بلدة حيش.",  # reconnaissance
        "اتخذت السلطات إجراءات في مواجهة فيروس كورونا في بلدة حيش.",  # «في مواجهة»: facing
    ],
)
def test_no_event_either(text):
    assert [e for e in events_of(text, "حيش") if e.status == "reported"] == []


@pytest.mark.parametrize(
    "text, kind, status",
    [
        ("صدت فصائل المعارضة محاولة تقدم لقوات النظام على بلدة حيش.", EventType.ARMED_CLASH, "failed"),
        ("حررت وحدات من الجيش العربي السوري بلدة حيش.", EventType.ARMED_CLASH, "reported"),
        ("تم تسيير الدورية الروسية التركية المشتركة قرب بلدة حيش.", EventType.CEASEFIRE, "reported"),
        ("قُتل ثلاثة مدنيين برصاص مجهولين في بلدة حيش.", EventType.OTHER, "reported"),
        ("قتل عنصران بكمين في بلدة حيش.", EventType.ARMED_CLASH, "reported"),
        ("وصلت الباصات الخضراء من بلدة حيش إلى الشمال.", EventType.DISPLACEMENT, "reported"),
        ("وصلت 200 عائلة نازحة من بلدة حيش.", EventType.DISPLACEMENT, "reported"),
    ],
)
def test_more_wordings(text, kind, status):
    assert (kind, status) in {(e.type, e.status) for e in events_of(text, "حيش")}


def test_a_truce_that_did_not_hold():
    event = one("لم يصمد وقف إطلاق النار في بلدة حيش سوى ساعات.", "حيش")
    assert (event.type, event.status, event.notes) == (EventType.CEASEFIRE, "reported", "collapsed")


def test_israeli_strikes_and_unknown_gunmen():
    event = one("قصف الطيران الحربي الإسرائيلي مواقع للميليشيات الإيرانية في بلدة حيش.", "حيش")
    assert (event.actor1, event.actor2) == ("Israel", "Iran")
    event = one("قُتل ثلاثة مدنيين برصاص مجهولين في بلدة حيش.", "حيش")
    assert event.actor1 == "Unidentified Armed Group"


def test_a_day_word_of_another_event_is_not_this_ones():
    """«قصفت … الأسبوع الماضي X، وتستمر اليوم المعارك في Y»: the shelling is not today's."""
    text = "قصفت قوات النظام الأسبوع الماضي بلدة حيش، وتستمر اليوم المعارك في قرية الهبيط."
    by = {e.type: e for e in events_of(text, "حيش", "الهبيط")}
    assert by[EventType.SHELLING].time_precision != 1
    assert by[EventType.ARMED_CLASH].date == DATE


def test_people_coming_from_x():
    """«وصل 3 آلاف نازح إلى X قادمين من Y»: from Y to X."""
    flight = one("وصل نحو 3 آلاف نازح إلى بلدة حيش قادمين من قرية الهبيط.", "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (["الهبيط"], ["حيش"])


def test_an_attack_that_caused_flight_is_its_origin():
    text = "تسبب الهجوم على بلدة حيش بنزوح أكثر من 137 ألف شخص من المنطقة إلى قرية الهبيط."
    flight = next(e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.DISPLACEMENT)
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


@pytest.mark.parametrize(
    "text, count, deaths",
    [
        ("قتلت هيئة تحرير الشام 7 عناصر في هجوم على بلدة حيش.", 7, 7),  # the actor between
        ("مقتل وإصابة 15 مدنياً بقصف على بلدة حيش.", 15, None),  # casualties, not deaths
        ("انتشلت فرق الدفاع المدني جثث 7 مدنيين بعد غارة على بلدة حيش.", 7, 7),  # bodies
    ],
)
def test_more_casualty_forms(text, count, deaths):
    event = one(text, "حيش")
    assert (event.count.best, event.fatalities) == (count, deaths)


@pytest.mark.parametrize(
    "text, origins, destinations",
    [
        ("خرج أكثر من 3 آلاف شخص من بلدة حيش ونقلوا بشاحنات إلى قرية الهبيط.", ["حيش"], ["الهبيط"]),
        ("نزح 358 ألف شخص من بلدة حيش، واتجهت غالبيتهم إلى قرية الهبيط.", ["حيش"], ["الهبيط"]),
    ],
)
def test_verbs_of_going(text, origins, destinations):
    flight = one(text, "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (origins, destinations)


def test_going_without_civilians_is_no_displacement():
    assert {e.type for e in events_of("وصلت تعزيزات عسكرية إلى بلدة حيش.", "حيش")} == {EventType.OTHER}


def test_a_contrasted_movement_is_its_own():
    text = "نزح نحو 200 ألف من بلدة حيش، في حين توجهت مئات العائلات من قرية الهبيط إلى مدينة سراقب."
    flights = [e for e in events_of(text, "حيش", "الهبيط", "سراقب") if e.type == EventType.DISPLACEMENT]
    assert [(names(f.origins), names(f.destinations)) for f in flights] == [
        (["حيش"], []),
        (["الهبيط"], ["سراقب"]),
    ]


@pytest.mark.parametrize(
    "text, surface, kind, actor1",
    [
        ("قصفت هيئة تحرير الشام مواقع قوات النظام في بلدة حيش.", "حيش", EventType.SHELLING, "HTS"),
        ("استهدفت قوات الأسد بلدة حيش.", "حيش", EventType.SHELLING, "Government of Syria"),
        (
            "سيطرت قوات النظام بإسناد من الطائرات الروسية على بلدة حيش.",
            "حيش",
            EventType.ARMED_CLASH,
            "Government of Syria",
        ),
    ],
)
def test_names_and_backing_that_hold_trigger_words(text, surface, kind, actor1):
    event = one(text, surface)
    assert (event.type, event.actor1) == (kind, actor1)


def test_strikes_on_each_of():
    """«غارات على كل من X وY»: both targets, no launch site."""
    event = one("نفذت الطائرات 36 غارة على كل من بلدة حيش وقرية الهبيط.", "حيش", "الهبيط")
    assert names(event.locations) == ["حيش", "الهبيط"]


def test_an_ally_is_not_actor_2():
    event = one("قصفت قوات النظام والطيران الروسي بلدة حيش.", "حيش")
    assert event.actor2 != "Russia"


@pytest.mark.parametrize(
    "text, deaths",
    [
        ("تعرض رتل لغارة جوية قرب بلدة حيش، الاثنين، ما أدى لمقتل 3 مدنيين.", 3),  # Monday, not two
        ("اشتباكات على محور حيش قتل فيها 59 عنصراً من قوات النظام و74 من الفصائل.", 133),
    ],
)
def test_days_are_no_counts_and_bare_second_counts_add(text, deaths):
    assert one(text, "حيش").fatalities == deaths


def test_background_with_kan_qad():
    events = events_of("وكانت قسد قد سيطرت على بلدة حيش في كانون الأول الماضي.", "حيش")
    assert [e for e in events if e.status == "reported"] == []


def test_an_unknown_list_item_does_not_swallow_its_neighbour():
    """«دوما وحمورية وسقبا»: an item located by its neighbours does not make them containers."""
    text = "استهدف الطيران الحربي مدن دوما وحمورية وسقبا."
    duma = Place("C1", "دوما", "Duma", "city", 33.57, 36.40)
    saqba = Place("C2", "سقبا", "Saqba", "village", 33.52, 36.38)
    ms = [
        replace(mention(text, "دوما"), place=duma),
        replace(mention(text, "حمورية"), place=saqba, context=("C1", "C2")),
        replace(mention(text, "سقبا"), place=saqba),
    ]
    (event,), _ = extract_events(Document("d", text, date=DATE), ms)
    assert names(event.locations) == ["دوما", "حمورية", "سقبا"]


def test_an_evacuation_in_an_agreement():
    """«اتفاق يقضي بوقف إطلاق النار وخروج المحاصرين إلى X»: X is where the besieged go, not the truce."""
    text = "اتفاق يقضي بوقف إطلاق النار وخروج المحاصرين إلى بلدة حيش."
    by = {e.type: e for e in events_of(text, "حيش")}
    assert names(by[EventType.DISPLACEMENT].destinations) == ["حيش"]
    assert names(by[EventType.CEASEFIRE].locations) == []


def test_deaths_of_a_consequence_clause_belong_to_the_clause_before():
    """«غارات على X، ما أدى إلى مقتل 8، بينما تدور اشتباكات في Y»: the strikes killed the 8."""
    text = "قصفت الطائرات بلدة حيش بـ 22 غارة، ما أدى إلى مقتل 8 مدنيين، بينما تدور اشتباكات في قرية الهبيط."
    by = {e.type: e for e in events_of(text, "حيش", "الهبيط")}
    assert by[EventType.AIR_STRIKE].fatalities == 8 and by[EventType.ARMED_CLASH].fatalities is None


def test_the_victims_nationality_is_no_agent():
    event = one("قتل 33 جندياً تركياً بغارة جوية في بلدة حيش.", "حيش")
    assert event.actor1 != "Turkey" and event.actor2 == "Turkey"


def test_coalition_bombardment_is_an_air_strike():
    assert one("قصف التحالف بلدة حيش.", "حيش").type == EventType.AIR_STRIKE


def test_fighters_and_civilians_leaving_are_displacement():
    flight = one("خرج 1500 مقاتل و6 آلاف مدني من بلدة حيش إلى قرية الهبيط.", "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_a_reference_point_is_no_event_place():
    """«قرية X غربي Y»: Y says where X is."""
    text = "سيطرت قسد على قرية حيش غربي الرقة."
    raqqa = Place("C9", "الرقة", "Raqqa", "city", 35.95, 39.0)
    ms = [mention(text, "حيش"), replace(mention(text, "الرقة"), place=raqqa)]
    ms[0] = replace(ms[0], context=("C9",))
    (event,), _ = extract_events(Document("d", text, date=DATE), ms)
    assert names(event.locations) == ["حيش"]


def test_allies_are_not_opponents():
    event = one("سيطرت القوات التركية وفصائل المعارضة على بلدة حيش.", "حيش")
    assert {event.actor1, event.actor2} & {"Turkey", "Opposition"} == {event.actor1}


@pytest.mark.parametrize(
    "text, kind",
    [
        (
            "تقدمت قوات النظام نحو بلدة حيش. وسيطرت قوات النظام على البلدة مساء اليوم ذاته.",
            EventType.ARMED_CLASH,
        ),
        ("فر آلاف المدنيين من بلدة حيش بعد قصف مدفعي على محيط البلدة.", EventType.SHELLING),
    ],
)
def test_a_back_reference_is_the_place_named_before(text, kind):
    """«البلدة», «محيطها»: the settlement named last, one or two sentences before."""
    events = [e for e in events_of(text, "حيش") if e.type == kind]
    assert events and all(names(e.locations) == ["حيش"] for e in events)


def test_the_count_of_the_displaced_rose():
    flight = one("ارتفع عدد النازحين من بلدة حيش إلى 270 ألف.", "حيش")
    assert (flight.type, flight.count.best) == (EventType.DISPLACEMENT, 270000)


def test_at_least_is_no_negation():
    """«ما لا يقل عن 16 برميلاً»: a hedge, not «لا»."""
    strike = one("ألقى الطيران المروحي ما لا يقل عن 16 برميلاً متفجراً على بلدة حيش.", "حيش")
    assert strike.type == EventType.AIR_STRIKE and strike.count.low == 16


def test_since_last_month_is_no_background():
    """«منذ مطلع شباط الماضي»: a running total until now, not an event of the past."""
    flight = one("نزح أكثر من 200 ألف مدني من بلدة حيش منذ مطلع شباط الماضي.", "حيش")
    assert flight.count.low == 200000
    assert events_of("وكانت القوات قد سيطرت على حيش في شباط الماضي.", "حيش") == ()


def test_the_injured_after_a_dual_are_not_killed():
    """«قتل مدنيان وأصيب 5 آخرون»: 2 killed."""
    assert one("قتل مدنيان وأصيب 5 آخرون جراء سقوط قذائف هاون على بلدة حيش.", "حيش").fatalities == 2


def test_two_explosions_and_two_car_bombs():
    blast = one("قتل 30 شخصاً في انفجارين بسيارتين مفخختين في بلدة حيش.", "حيش")
    assert blast.fatalities == 30 and "Explosions" in blast.event_type


def test_what_an_expected_attack_would_cause_is_expected_too():
    assert events_of("من المتوقع أن يؤدي أي هجوم على بلدة حيش إلى نزوح عشرات الآلاف.", "حيش") == ()
    assert events_of("حذرت المنظمة من أن القصف على حيش سيؤدي إلى نزوح الآلاف.", "حيش") == ()


def test_the_army_is_the_government_and_destroying_its_vehicles_a_clash():
    capture = one("سيطر الجيش على بلدة حيش بعد معارك.", "حيش")
    assert capture.actor1 == "Government of Syria"
    assert one("هاجم الجيش التركي بلدة حيش.", "حيش").actor1 == "Turkey"
    clash = one("دمرت وحدات الجيش آليات للإرهابيين في محيط بلدة حيش.", "حيش")
    assert clash.type == EventType.ARMED_CLASH


def test_a_flight_from_the_town_named_before():
    """«نزحت 200 عائلة من البلدة باتجاه الهبيط»: the origin is the town of the sentence before."""
    events = events_of(
        "سيطرت القوات على بلدة حيش. ونزحت 200 عائلة من البلدة باتجاه قرية الهبيط.", "حيش", "الهبيط"
    )
    (flight,) = [e for e in events if e.type == EventType.DISPLACEMENT]
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_the_fronts_of_the_fighting_are_where_not_a_clash():
    """«غارات على محاور القتال في حيش»: air strikes on the front lines; «القتال» names where."""
    strike = one("شنت طائرات روسية غارات على محاور القتال في بلدة حيش، ما أسفر عن مقتل 6 مقاتلين.", "حيش")
    assert (strike.type, strike.fatalities, strike.actor1) == (EventType.AIR_STRIKE, 6, "Russia")


def test_an_attempt_the_defenders_repelled_failed():
    attempt = one("حاولت قوات النظام التقدم نحو بلدة حيش، لكن الفصائل تمكنت من صدها.", "حيش")
    assert attempt.status == "failed"


def test_the_fighting_with_the_article_is_the_one_just_reported():
    """«وقتل في الاشتباكات 14 … و9 …»: the deaths of the capture reported the sentence before."""
    capture = one(
        "سيطرت الفصائل على بلدة حيش. وقتل في الاشتباكات 14 عنصراً من الفصائل و9 من قوات النظام.", "حيش"
    )
    assert capture.fatalities == 23


def test_people_who_have_left_a_place_fled_it():
    flight = one("50,000 people have left Binnish since the offensive began.", "Binnish")
    assert flight.type == EventType.DISPLACEMENT and flight.count.best == 50000
    assert events_of("Government forces have left Binnish.", "Binnish") == ()


def test_a_flight_with_no_origin_named_left_where_the_fighting_was():
    """«هاجم التنظيم حيش، بينما فر المدنيون نحو الهبيط»: from حيش to الهبيط."""
    events = events_of("هاجم التنظيم بلدة حيش، بينما فر مئات المدنيين نحو قرية الهبيط.", "حيش", "الهبيط")
    (flight,) = [e for e in events if e.type == EventType.DISPLACEMENT]
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])
    alone = one("فر مئات المدنيين نحو قرية الهبيط.", "الهبيط")
    assert (names(alone.origins), names(alone.destinations)) == ([], ["الهبيط"])


def test_the_town_refers_back_in_english_and_suicide_bombers_blew_themselves_up():
    events = events_of(
        "Rebels captured Binnish. Government jets then bombed the town, killing at least 12.", "Binnish"
    )
    (strike,) = [e for e in events if e.type == EventType.AIR_STRIKE]
    assert names(strike.locations) == ["Binnish"] and strike.fatalities == 12
    events = events_of("اقتحم مسلحون بلدة حيش. وفجر انتحاريان نفسيهما في سوق وسط البلدة.", "حيش")
    assert any("Explosions" in e.event_type and names(e.locations) == ["حيش"] for e in events)


def test_a_reference_point_after_a_bearing_word_is_no_event_place():
    """«بلدة حيش شرقي مدينة الهبيط»: east of it, whatever the recogniser linked."""
    events = events_of("سيطرت قسد على بلدة حيش شرقي مدينة الهبيط.", "حيش", ("الهبيط", "city"))
    assert [names(e.locations) for e in events] == [["حيش"]]


def test_a_truce_for_the_area_is_where_the_fighting_just_was():
    text = (
        "تجددت الاشتباكات في بلدة حيش. وأعلنت اللجنة اتفاقاً لوقف إطلاق النار يقضي بدخول الشرطة إلى المنطقة."
    )
    (truce,) = [e for e in events_of(text, "حيش") if e.type == EventType.CEASEFIRE]
    assert names(truce.locations) == ["حيش"]


def test_a_convoy_hit_is_the_target_and_an_air_powers_missiles_are_air_strikes():
    strike = one("قتل 33 جندياً بغارة جوية استهدفت رتلهم قرب بلدة حيش.", "حيش")
    assert (strike.type, strike.fatalities) == (EventType.AIR_STRIKE, 33)
    assert one("وصل رتل عسكري إلى بلدة حيش.", "حيش").type == EventType.OTHER  # reinforcements
    assert one("Israeli missiles struck Binnish.", "Binnish").type == EventType.AIR_STRIKE


def test_people_who_left_a_town_fled_it_and_about_is_not_towards():
    """«غادر نحو 6700 شخص مدينة حيش باتجاه الهبيط»: نحو before a number is «about»."""
    flight = one("غادر نحو 6700 شخص مدينة حيش باتجاه قرية الهبيط.", "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations), flight.count.best) == (
        ["حيش"],
        ["الهبيط"],
        6700,
    )
    flight = one("Some 2,000 people left the town of Binnish.", "Binnish")
    assert flight.type == EventType.DISPLACEMENT and flight.count.best == 2000
    assert events_of("غادرت قوات النظام بلدة حيش.", "حيش") == ()


def test_the_city_refers_to_the_city_and_the_area_to_where_the_strikes_were():
    text = "هاجم التنظيم مدينة حيش وقرية الهبيط. وفجر انتحاريون أحزمتهم الناسفة داخل المدينة."
    places = {e.type: names(e.locations) for e in events_of(text, ("حيش", "city"), "الهبيط")}
    assert places[EventType.OTHER] == ["حيش"]
    text = "قصفت قوات النظام بلدة حيش. ووثق المرصد نزوح عشرات العائلات من المنطقة باتجاه الحدود."
    (flight,) = [e for e in events_of(text, "حيش") if e.type == EventType.DISPLACEMENT]
    assert names(flight.origins) == ["حيش"]


def test_strikes_on_the_displaced_a_bomb_that_targeted_and_controlling_a_fire():
    strike = one("قتل 21 مدنياً جراء غارات جوية استهدفت تجمعاً للنازحين قرب بلدة حيش.", "حيش")
    assert (strike.type, strike.fatalities) == (EventType.AIR_STRIKE, 21)
    blast = one("قتل عنصران بانفجار عبوة ناسفة استهدفت سيارتهم قرب بلدة حيش.", "حيش")
    assert blast.event_type == "Explosions/Remote violence" and "IED" in blast.sub_event_type
    assert events_of("تواصل فرق الإطفاء جهودها للسيطرة على حريق في أحراج بلدة حيش.", "حيش") == ()


def test_refuge_in_a_later_clause_is_a_destination_and_bused_is_moved():
    flight = one("نزح 70 ألف شخص من بلدة حيش، ولجأ معظمهم إلى مدارس في قرية الهبيط.", "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])
    bused = one("Around 700 fighters were bused from Binnish to Taftanaz.", "Binnish", "Taftanaz")
    assert (names(bused.origins), names(bused.destinations), bused.count.best) == (
        ["Binnish"],
        ["Taftanaz"],
        700,
    )


@pytest.mark.parametrize(
    "text, origin, dest",
    [
        ("نزحت أكثر من 300 عائلة من بلدة حيش. ووصل معظمهم إلى قرية الهبيط.", "حيش", "الهبيط"),
        ("نزح الآلاف من بلدة حيش خلال يومين. وتوجه معظم النازحين إلى مخيمات الهبيط.", "حيش", "الهبيط"),
        (
            "Some 3,000 people fled Binnish on Monday. Most of them arrived in Taftanaz.",
            "Binnish",
            "Taftanaz",
        ),
        (
            "Some 3,000 people fled Binnish, most of them moving north towards areas such as Taftanaz.",
            "Binnish",
            "Taftanaz",
        ),
        ("نزحت 300 عائلة من بلدة حيش، وانتقل معظمها إلى قرية الهبيط.", "حيش", "الهبيط"),
    ],
)
def test_where_the_displaced_arrived_in_the_next_sentence(text, origin, dest):
    (flight,) = [e for e in events_of(text, origin, dest) if e.type == EventType.DISPLACEMENT]
    assert (names(flight.origins), names(flight.destinations)) == ([origin], [dest])


def test_a_strike_in_the_next_sentence_is_no_destination():
    events = events_of("نزحت 300 عائلة من بلدة حيش. وقصفت الطائرات قرية الهبيط.", "حيش", "الهبيط")
    (flight,) = [e for e in events if e.type == EventType.DISPLACEMENT]
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], [])


def test_a_flight_said_twice_in_one_sentence_is_one():
    """«تشهد X حركة نزوح …، حيث نزح 40 ألفاً نحو مخيمات Y»: one flight from X to Y, with its count."""
    text = "تشهد بلدة حيش حركة نزوح كبيرة مع استمرار القصف، حيث نزح أكثر من 40 ألف شخص نحو مخيمات الهبيط."
    (flight,) = [e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.DISPLACEMENT]
    assert (names(flight.origins), names(flight.destinations), flight.count.best) == (
        ["حيش"],
        ["الهبيط"],
        40000,
    )


@pytest.mark.parametrize(
    "text, sub",
    [
        ("دخلت قوات النظام مدينة حيش بعد معارك عنيفة.", "Government regains territory"),
        ("انسحبت فصائل المعارضة من بلدة حيش فجر اليوم.", "Armed clash"),
    ],
)
def test_forces_entering_or_leaving_a_town_is_a_change_of_hands(text, sub):
    event = one(text, "حيش")
    assert (event.type, event.sub_event_type) == (EventType.ARMED_CLASH, sub)


@pytest.mark.parametrize(
    "text",
    [
        "دخلت قوات روسية إلى بلدة حيش ضمن دوريات مشتركة.",  # a joint patrol: the agreement's
        "دخلت قافلة مساعدات إلى بلدة حيش.",  # no forces
    ],
)
def test_entering_is_no_capture_without_forces_or_with_an_agreement(text):
    assert all(e.type != EventType.ARMED_CLASH for e in events_of(text, "حيش"))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("ورغم سريان اتفاق وقف إطلاق النار، قصفت قوات النظام بلدة حيش.", EventType.SHELLING),
        ("قصفت الطائرات بلدة حيش بعد أيام من سيطرة قوات النظام عليها.", EventType.AIR_STRIKE),
        ("Despite the truce, shelling hit Binnish.", EventType.SHELLING),
    ],
)
def test_what_a_sentence_concedes_or_dates_by_is_no_news(text, kind):
    place = "Binnish" if "Binnish" in text else "حيش"
    (event,) = [e for e in events_of(text, place) if e.status == "reported"]
    assert event.type == kind


@pytest.mark.parametrize(
    "text, launch, target",
    [
        ("قصفت مدفعية قسد من مواقعها في محيط بلدة حيش قرية الهبيط.", "حيش", "الهبيط"),
        ("Mortar shells fired from rebel-held Binnish killed two people in Taftanaz.", "Binnish", "Taftanaz"),
    ],
)
def test_fire_from_positions_around_a_place_comes_from_there(text, launch, target):
    (event,) = events_of(text, launch, target)
    assert names(event.locations) == [target]


@pytest.mark.parametrize(
    "text, origin, dest, count",
    [
        ("انطلقت 15 حافلة تقل نحو 750 شخصاً من بلدة حيش باتجاه قرية الهبيط.", "حيش", "الهبيط", 750),
        ("Dozens of buses carrying 2,000 people left Binnish for Taftanaz.", "Binnish", "Taftanaz", 2000),
    ],
)
def test_buses_carrying_people_move_them(text, origin, dest, count):
    (flight,) = events_of(text, origin, dest)
    assert (flight.type, names(flight.origins), names(flight.destinations)) == (
        EventType.DISPLACEMENT,
        [origin],
        [dest],
    )
    assert flight.count.best == count  # the people, not the buses


def test_the_neighbourhood_refers_back(pipeline):
    text = "تجددت الاشتباكات في حي جوبر بدمشق. وتوصلت اللجنة إلى اتفاق ينص على وقف إطلاق النار وتسليم الحي."
    events = pipeline(Document("d", text)).events
    (truce,) = [e for e in events if e.type == EventType.CEASEFIRE]
    assert [m.place.name_ar for m in truce.locations] == ["جوبر"]


def test_where_attackers_came_from_is_not_where_they_fought():
    (clash,) = events_of("اندلعت اشتباكات بين مجموعات قادمة من بلدة حيش وأهالي قرية الهبيط.", "حيش", "الهبيط")
    assert names(clash.locations) == ["الهبيط"]


@pytest.mark.parametrize(
    "text",
    [
        "Some 160,000 Syrians who fled an army offensive in Binnish are sheltering near the border.",
        "Thousands more left Binnish on Tuesday.",
    ],
)
def test_people_fleeing_an_offensive_or_leaving_a_town(text):
    flight = next(e for e in events_of(text, "Binnish") if e.type == EventType.DISPLACEMENT)
    assert names(flight.origins) == ["Binnish"]


def test_a_running_total_since_a_month_and_where_they_went_sentence_by_sentence():
    text = (
        "قال الفريق إن نحو 330 ألف مدني نزحوا من بلدة حيش منذ بداية الحملة العسكرية في نيسان الماضي. "
        "وأضاف الفريق أن النازحين توجهوا إلى مناطق أكثر أمناً. واستقر عدد كبير منهم في مخيمات الهبيط."
    )
    (flight,) = events_of(text, "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations), flight.count.best) == (
        ["حيش"],
        ["الهبيط"],
        330000,
    )


def test_near_a_place_is_no_origin():
    text = "نزح الآلاف من بلدة حيش. وتوجه معظم النازحين إلى مناطق قريبة من قرية الهبيط."
    (flight,) = events_of(text, "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_the_buses_of_a_flight_and_where_they_head_before_other_news():
    text = (
        "بدأت عملية تهجير الدفعة الأولى من المقاتلين وعائلاتهم، حيث خرجت 40 حافلة من بلدة حيش تقل نحو 3500 شخص. "
        "وتتجه القافلة إلى قرية الهبيط، وفق اتفاق التسوية الذي أبرم مع الجانب الروسي."
    )
    flight = next(e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.DISPLACEMENT)
    assert (names(flight.origins), names(flight.destinations), flight.count.best) == (
        ["حيش"],
        ["الهبيط"],
        3500,
    )


def test_most_of_them_from_after_the_source_and_leaving_it():
    text = "More than 900,000 people have fled their homes since December, the UN said, most of them from Binnish."
    flight = one(text, "Binnish")
    assert names(flight.origins) == ["Binnish"]
    text = "يعاني آلاف النازحين في مخيم حيش. وقالت إدارة المخيم إن 300 عائلة غادرته خلال الشهر الماضي باتجاه قرية الهبيط."
    flight = one(text, "حيش", "الهبيط")
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_government_shelling_despite_russian_brokered_talks_is_the_governments():
    event = one(
        "In Binnish, residents said government shelling continued despite Russian-brokered talks.", "Binnish"
    )
    assert (event.type, event.actor1) == (EventType.SHELLING, "Government of Syria")


@pytest.mark.parametrize(
    "text, kind, status",
    [
        ("عثرت فرق الهندسة على عبوة ناسفة في بلدة حيش وعملت على تفكيكها.", EventType.OTHER, "mentioned"),
        (
            "قالت المصادر إن المقاتلين سيُنقلون بالباصات الخضراء من بلدة حيش.",
            EventType.DISPLACEMENT,
            "mentioned",
        ),
        (
            "أعادت وحدات من الجيش العربي السوري الأمن والاستقرار إلى بلدة حيش.",
            EventType.ARMED_CLASH,
            "reported",
        ),
        ("Russian strikes on Binnish killed 12 civilians.", EventType.AIR_STRIKE, "reported"),
    ],
)
def test_defused_future_restored_security_and_strikes(text, kind, status):
    place = "Binnish" if "Binnish" in text else "حيش"
    found = [(e.type, e.status) for e in events_of(text, place)]
    assert (kind, status) in found or (status == "mentioned" and all(t != kind for t, _ in found))


def test_mortar_fire_whose_source_is_positions_around_a_place():
    text = "قصف بقذائف الهاون مصدره مواقع قوات النظام في محيط بلدة حيش استهدف قرية الهبيط."
    (event,) = events_of(text, "حيش", "الهبيط")
    assert names(event.locations) == ["الهبيط"]


def test_a_leader_and_two_of_his_companions():
    (count,) = find_counts("اغتال مسلحون قيادياً في الفصائل واثنين من مرافقيه")
    assert (count.best, count.what) == (3, "killed")


def test_a_town_under_fire_from_positions_around_another():
    text = "وتعرضت بلدة حيش مساء أمس لقصف بقذائف الهاون مصدره مواقع قوات النظام في محيط قرية الهبيط."
    (event,) = events_of(text, "حيش", "الهبيط")
    assert names(event.locations) == ["حيش"]


def test_a_flight_with_its_origin_set_off_by_commas():
    text = "خرجت، أمس الإثنين، دفعة جديدة تضم نحو 2500 شخص، غالبيتهم من النساء والأطفال، من مخيم حيش المحاصر."
    flight = one(text, "حيش")
    assert (names(flight.origins), flight.count.best) == (["حيش"], 2500)


def test_a_transfer_that_will_be_is_no_news():
    text = "وقال ناشطون إن الراغبين بالخروج سيُنقلون بالباصات الخضراء إلى بلدة حيش."
    assert all(e.status != "reported" for e in events_of(text, "حيش"))


def test_the_strikes_drove_families_to_flee_from_where_they_fell():
    text = "شنت الطائرات الحربية غارات على بلدة حيش. والغارات دفعت مئات العائلات إلى النزوح."
    flight = next(e for e in events_of(text, "حيش") if e.type == EventType.DISPLACEMENT)
    assert names(flight.origins) == ["حيش"]


def test_a_deal_that_moves_people_applies_where_they_leave():
    text = "انطلقت 40 حافلة تقل 2000 شخص من بلدة حيش باتجاه قرية الهبيط بموجب اتفاق مع الجانب الروسي."
    (deal,) = [e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.CEASEFIRE]
    assert names(deal.locations) == ["حيش"]


def test_where_fighters_withdrew_to_is_no_battlefield():
    (event,) = events_of("انسحب عناصر التنظيم من بلدة حيش نحو قرية الهبيط.", "حيش", "الهبيط")
    assert names(event.locations) == ["حيش"]
    assert events_of("انسحب عناصر التنظيم نحو قرية الهبيط.", "الهبيط") == ()


def test_they_left_it():
    text = "تعرضت بلدة حيش لغارات. وقال ناشطون إن معظم سكان البلدة غادروها نحو قرية الهبيط."
    flight = next(e for e in events_of(text, "حيش", "الهبيط") if e.type == EventType.DISPLACEMENT)
    assert (names(flight.origins), names(flight.destinations)) == (["حيش"], ["الهبيط"])


def test_the_subject_before_its_verb_of_dying():
    (count,) = find_counts("وقال المرصد إن 32 عنصراً من قوات النظام قتلوا خلال يومين من المعارك")
    assert (count.best, count.what) == (32, "killed")


def test_deaths_at_a_place_belong_to_the_event_there_reported_before(pipeline):
    text = "قصفت قوات النظام بلدة حيش بالمدفعية. وقتل ثلاثة مدنيين في حيش، فيما استهدفت مروحيات قرية الهبيط."
    events = {e.type: e for e in pipeline(Document("d", text)).events}
    assert (events[EventType.SHELLING].fatalities, events[EventType.AIR_STRIKE].fatalities) == (3, None)


@pytest.mark.parametrize(
    "text, best",
    [
        ("Air strikes hit the town on May 13, killing at least six civilians.", 6),  # May 13 is a date
        ("خرج أكثر من ألفي شخص من البلدة", 2000),  # the dual of thousand
    ],
)
def test_a_date_is_no_count_and_two_thousand(text, best):
    counts = find_counts(text)
    assert [c.best for c in counts] == [best]


@pytest.mark.parametrize(
    "text, kind, status",
    [
        ("سقطت قذائف قرب خط فض الاشتباك في بلدة حيش.", EventType.ARMED_CLASH, None),  # disengagement
        (
            "Troops massed near Binnish, paving the way for an assault on the town.",
            EventType.ARMED_CLASH,
            "mentioned",
        ),
        (
            "About 3,000 people left Binnish and were trucked north to Taftanaz.",
            EventType.DISPLACEMENT,
            "reported",
        ),
    ],
)
def test_disengagement_preparations_and_trucks(text, kind, status):
    place = "Binnish" if "Binnish" in text else "حيش"
    found = {e.type: e.status for e in events_of(text, place, *(["Taftanaz"] if "Taftanaz" in text else []))}
    assert found.get(kind, "mentioned" if status == "mentioned" else None) == status


def test_a_woman_and_her_son():
    (count,) = find_counts("The air strike killed a woman and her son.")
    assert (count.best, count.what) == (2, "killed")


def test_where_those_who_left_were_taken_two_sentences_later(pipeline):
    text = (
        "More than 3,000 people were evacuated from Binnish in recent days. "
        "Coalition warplanes pounded the area on Sunday. "
        "Most of those who left were trucked north to Taftanaz."
    )
    (flight,) = [e for e in pipeline(Document("d", text)).events if e.type == EventType.DISPLACEMENT]
    assert ([m.name for m in flight.origins], [m.name for m in flight.destinations]) == (
        ["Binnish"],
        ["Taftanaz"],
    )


@pytest.mark.parametrize(
    "text, origin, dest, count",
    [
        (
            "خرجت الدفعة الأولى من أهالي بلدة حيش باتجاه قرية الهبيط. وضمت القافلة نحو 1500 شخص.",
            "حيش",
            "الهبيط",
            1500,
        ),
        ("بدأت عملية إخلاء بلدة حيش، وخرجت الحافلات باتجاه قرية الهبيط.", "حيش", "الهبيط", None),
        ("نزح الآلاف من بلدة حيش. ويقيم كثير منهم في مخيمات قرية الهبيط.", "حيش", "الهبيط", 3000),
    ],
)
def test_the_convoys_count_an_evacuation_and_where_they_stay(text, origin, dest, count):
    (flight,) = events_of(text, origin, dest)
    assert (names(flight.origins), names(flight.destinations)) == ([origin], [dest])
    assert (flight.count.best if flight.count else None) == count


def test_since_the_truce_took_effect_is_no_new_truce():
    text = "قصفت قوات النظام بلدة حيش، وهو أول قصف منذ بدء سريان الاتفاق."
    assert [e.type for e in events_of(text, "حيش")] == [EventType.SHELLING]


def test_the_people_of_the_two_towns(pipeline):
    text = (
        "تعرضت بلدتا حيش والهبيط لحصار خانق. ووصلت حافلات تقل نحو خمسة آلاف من سكان البلدتين إلى مدينة إدلب."
    )
    (flight,) = [e for e in pipeline(Document("d", text)).events if e.type == EventType.DISPLACEMENT]
    assert [m.name for m in flight.origins] == ["حيش", "الهبيط"] and flight.count.best == 5000


@pytest.mark.parametrize(
    "text, best, what",
    [
        ("وصلت أولى القوافل التي تقل نحو ألف شخص بينهم جرحى", 1000, "people"),  # the injured are among them
        ("اغتال مسلحون مختار البلدة", 1, "killed"),
    ],
)
def test_among_them_and_a_village_head(text, best, what):
    count = find_counts(text)[0]
    assert (count.best, count.what) == (best, what)


@pytest.mark.parametrize(
    "text, place, kind",
    [
        ("استهدف مسلحون مجهولون سيارة قيادي في بلدة حيش.", "حيش", EventType.ARMED_CLASH),  # gunfire
        ("Kurdish fighters said they had taken full control of Binnish.", "Binnish", EventType.ARMED_CLASH),
        ("قتل 41 عنصراً في هجوم على كلية المدفعية في بلدة حيش.", "حيش", EventType.ARMED_CLASH),  # a college
        (
            "Some 700 gunmen and their families were bused from Binnish to Taftanaz.",
            "Binnish",
            EventType.DISPLACEMENT,
        ),
    ],
)
def test_gunmen_full_control_an_artillery_college_and_bused_gunmen(text, place, kind):
    places = [place] + (["Taftanaz"] if "Taftanaz" in text else [])
    assert [e.type for e in events_of(text, *places)] == [kind]


def test_the_pocket_and_the_encampment_refer_back(pipeline):
    text = "تقدمت القوات داخل بلدة حيش. ونفذت طائرات التحالف 20 ضربة جوية على الجيب المحاصر."
    strikes = [e for e in pipeline(Document("d", text)).events if e.type == EventType.AIR_STRIKE]
    assert [m.place.name_ar for e in strikes for m in e.locations] == ["حيش"]


def test_was_with_qad_and_no_past_date_is_news():
    """«وكان انتحاريون قد فجروا …» tells the same story; only a past date («العام الماضي») makes it background."""
    event = one("وكان انتحاريون قد فجروا أحزمتهم الناسفة في بلدة حيش.", "حيش")
    assert event.status == "reported"


@pytest.mark.parametrize(
    "text, place",
    [
        ("تدور اشتباكات عنيفة في محيط بلدة حيش وسط غارات مكثفة للطيران الروسي.", "حيش"),
        ("Clashes raged in Binnish amid heavy air strikes.", "Binnish"),
    ],
)
def test_strikes_amid_which_the_fighting_went_on_were_there_too(text, place):
    assert {e.type for e in events_of(text, place)} == {EventType.ARMED_CLASH, EventType.AIR_STRIKE}
