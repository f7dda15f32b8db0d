"""Recognition on sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from geomap.model import Document
from geomap.normalize import fold_key
from geomap.recognize import Recognizer


@pytest.fixture(scope="module")
def rec(gaz):
    return Recognizer(gaz)


def names(rec, text):
    return [m.name for m in rec(Document("t", text))]


def mentions(rec, text):
    return rec(Document("t", text))


class TestClitics:
    @pytest.mark.parametrize("word", ["وسراقب", "بسراقب", "لسراقب", "فسراقب", "وبسراقب", "كسراقب"])
    def test_proclitics(self, rec, word):
        """Conjunctions and prepositions before a name do not hide it."""
        ms = mentions(rec, f"وصلت القوات {word} صباحا")
        assert [m.name for m in ms] == ["سراقب"]
        assert ms[0].surface == word

    def test_article_with_clitics(self, rec):
        """وال / بال / لل before a name that takes the article."""
        assert names(rec, "قصف على والهبيط") == ["الهبيط"]
        assert names(rec, "اشتباكات بالهبيط") == ["الهبيط"]
        assert names(rec, "الطريق للهبيط مقطوع") == ["الهبيط"]

    def test_names_that_begin_with_clitic_letters(self, rec):
        """بنش، بانياس، لطمين، كفرنبل are whole names, not clitic + name."""
        found = names(rec, "غارات على بنش وبانياس ولطمين")
        assert found == ["بنش", "بانياس", "لطمين"]

    def test_multi_word_and_joined_kafr(self, rec):
        """Multi-word names, and كفر written joined or apart."""
        assert names(rec, "سقطت قذائف على خان شيخون وجسر الشغور") == ["خان شيخون", "جسر الشغور"]
        assert names(rec, "قصف على كفرنبل") == ["كفرنبل"]
        assert names(rec, "قصف على كفر نبل") == ["كفر نبل"]

    def test_spelling_variants(self, rec, gaz):
        """Press spellings resolve to the OCHA entry through the curated aliases."""
        for text, pid in [("جبهة الكبينة", "C3751"), ("محور كبانة", "C3751"), ("محور الكركات", "C7880")]:
            (m,) = mentions(rec, text)
            assert pid in [c.place_id for c in m.candidates]


class TestRegions:
    def test_countryside_with_direction(self, rec):
        """ريف + governorate + direction is the directional part of that countryside."""
        (m,) = mentions(rec, "تقدم في ريف حماة الشمالي الغربي")
        assert m.name == "ريف حماة الشمالي الغربي"
        assert [c.place_id for c in m.candidates] == ["geomap:countryside/SY05/north-west"]

    def test_dual_countryside(self, rec):
        """ريفي X وY is two countrysides with one surface."""
        ms = mentions(rec, "نزح الآلاف من ريفي حماة وإدلب")
        assert [m.name for m in ms] == ["ريف حماة", "ريف إدلب"]
        assert ms[0].surface == ms[1].surface == "ريفي حماة وإدلب"

    def test_coordinated_directions(self, rec):
        """ريفي إدلب الجنوبي والشرقي is two parts of one countryside."""
        ms = mentions(rec, "غارات على ريفي إدلب الجنوبي والشرقي")
        assert [c.place_id for m in ms for c in m.candidates] == [
            "geomap:countryside/SY07/south",
            "geomap:countryside/SY07/east",
        ]

    def test_countryside_with_clitic(self, rec):
        """بريف keeps its clitic in the surface."""
        (m,) = mentions(rec, "قصف بريف اللاذقية")
        assert m.surface == "بريف اللاذقية" and m.name == "ريف اللاذقية"

    def test_named_regions(self, rec):
        """Plains, mountains and operation areas are gazetteer entries."""
        found = names(rec, "معارك في سهل الغاب وجبل الأكراد ومناطق درع الفرات")
        assert found == ["سهل الغاب", "جبل الأكراد", "درع الفرات"]
        assert names(rec, "قصف على قرى الغاب وبالغاب") == ["الغاب", "الغاب"]  # with the article

    def test_front_and_axis(self, rec):
        """جبهة / محور mark the feature, the place stays the place."""
        ms = mentions(rec, "اشتباكات على جبهة الكبينة ومحور الكركات")
        assert [m.feature for m in ms] == ["front", "axis"]

    def test_containment_chain(self, rec):
        """X في سهل الغاب بريف حماة links X to the areas after it."""
        ms = mentions(rec, "قصف على السرمانية في سهل الغاب بريف حماة")
        assert ms[0].chain == (1, 2)


class TestNotPlaces:
    @pytest.mark.parametrize(
        "text",
        [
            "قال المرصد السوري لحقوق الإنسان",
            "بث تلفزيون سوريا تقريرا",
            "هاجمت قوات سوريا الديمقراطية مواقع التنظيم",
            "قال الناطق باسم الجبهة الوطنية للتحرير",
            "أعلن الدفاع المدني",
            "وصلت القوات التركية",
            "رفضت الحكومة السورية الاتفاق",
        ],
    )
    def test_organisations_and_adjectives(self, rec, text):
        """Organisation names and nisba adjectives are not places."""
        assert names(rec, text) == []

    def test_common_words(self, rec):
        """Common words that are also village names need a cue."""
        assert names(rec, "وقال مصطفى إن الهجوم على المدنيين لم يتوقف وقف") == []
        assert names(rec, "شمال غرب حلب") == ["حلب"]

    @pytest.mark.parametrize(
        "text",
        [
            "قالت وزارة الدفاع إن العمل مستمر",  # و + «زارة» is no «الزارة»
            "قدم الباحث ورقة عن الاقتصاد",  # و + «رقة» is no «الرقة»
            "تلقى الأطفال لقاحا ضد المرض",  # «لقاح» is a word, not ل + «قاح»
            "قتل راعي أغنام أمس",  # «راعي» without the article is no «الراعي»
            "دخلت الثورة السورية عامها التاسع",  # a common noun with its adjective
            "تعاني الطبقة الفقيرة من الغلاء",
            "غاب المندوب عن الجلسة",  # «غاب» (was absent) is no «الغاب»
            "وغاب الدعم عن المخيمات",
        ],
    )
    def test_ordinary_words_that_look_like_names(self, rec, text):
        assert names(rec, text) == []

    @pytest.mark.parametrize(
        "text",
        [
            "نقلت قناة الميادين عن مصادر",  # a channel
            "قاتل عناصر جيش إدلب الحر في المنطقة",  # a faction
            "وأضاف جاسم الحسين أن الوضع صعب",  # a speaker
            "قال أبو حسن الحلبي إن الوضع صعب",  # a kunya with a nisba
            "أكد الناشط جاسم العلي وقوع الهجوم",  # a title before a person's name
            "أعلنت جبهة تحرير سوريا النفير",  # a faction, not the country
            "بثت تنسيقية حمص صورا للدمار",  # a committee of activists, not the city
            "بدأ الحراك الشعبي قبل سنوات",  # a common noun with its adjective
        ],
    )
    def test_names_inside_other_names(self, rec, text):
        assert names(rec, text) == []

    def test_dual_settlement_word_is_a_cue(self, rec):
        """«بلدتي X وY»: both are places, like «بلدة X»."""
        assert names(rec, "قصفت الطائرات بلدتي الفطيرة وسفوهن") == ["الفطيرة", "سفوهن"]

    @pytest.mark.parametrize(
        "text, name",
        [
            ("قصفت الطائرات مدينة الطبقة", "الطبقة"),
            ("تقدمت القوات في الطبقة والرقة", "الطبقة"),
            ("وصلت تعزيزات إلى بلدة الراعي", "الراعي"),
            ("قصف على الرقة وريفها", "الرقة"),
            ("اشتباكات في الباب الشرقي", "الباب"),
        ],
    )
    def test_the_same_words_as_names(self, rec, text, name):
        assert any(n.endswith(name) for n in names(rec, text))


class TestEnglish:
    def test_press_spellings(self, rec, gaz):
        """English press spellings find the OCHA communities."""
        ms = mentions(rec, "Shelling hit Kafr Nubl and Jisr al-Shughur, then Maarat al-Numan.")
        ids = [[c.place_id for c in m.candidates] for m in ms]
        assert "C4068" in ids[0] and "C4199" in ids[1] and "C3985" in ids[2]

    @pytest.mark.parametrize(
        "text, pids",
        [
            ("Shelling in the southern Idlib countryside.", ["geomap:countryside/SY07/south"]),
            ("Raids on rural Hama.", ["geomap:countryside/SY05"]),
            ("Fighting in northern Hama.", ["geomap:countryside/SY05/north"]),
            (
                "Thousands fled the Idlib and Hama countrysides.",
                ["geomap:countryside/SY07", "geomap:countryside/SY05"],
            ),
            ("Strikes on rural Idlib and Hama.", ["geomap:countryside/SY07", "geomap:countryside/SY05"]),
            (
                "In the southern and eastern Idlib countryside.",
                ["geomap:countryside/SY07/south", "geomap:countryside/SY07/east"],
            ),
            ("Shelling hit the Ghab plain.", ["geomap:plain/ghab"]),
        ],
    )
    def test_english_regions(self, rec, text, pids):
        """Countrysides, their parts, coordination and named regions in English."""
        assert [c.place_id for m in mentions(rec, text) for c in m.candidates[:1]] == pids

    def test_lower_case_words_are_not_names(self, rec):
        """A capital letter is required for a single English name."""
        assert names(rec, "they will tell us more") == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("وبلكفال حماةسراقبريفًُـ إدلب\n،.Hama "), max_size=120))
def test_surface_is_the_original_text(gaz, text):
    """For every mention, doc.text[start:end] == surface, whatever the input."""
    doc = Document("t", text)
    for m in Recognizer(gaz)(doc):
        assert doc.text[m.start : m.end] == m.surface
        assert m.surface


def test_offsets_with_diacritics_and_tatweel(rec):
    """Offsets point into the original even when folding deleted characters."""
    text = "قَصْفٌ عَلَى سَرَاقِب وحمـــاة"
    doc = Document("t", text)
    ms = rec(doc)
    assert [text[m.start : m.end] for m in ms] == ["سَرَاقِب", "وحمـــاة"]


class TestUnknownSettlements:
    def test_unknown_village_located_by_its_area(self, pipeline):
        """«قرية X بريف Y» with X unknown: a mention placed in Y at regional precision."""
        ms = list(pipeline(Document("t", "اشتباكات في محيط قرية الفرفرية بريف حماة الشمالي")).mentions)
        first = ms[0]
        assert first.name == "الفرفرية"
        assert first.place.id == "geomap:countryside/SY05/north" and first.feature == "in"
        assert first.geo_precision == 3 and "not in the gazetteer" in first.reason

    def test_spelling_variant_inside_area(self, pipeline):
        """An unknown spelling close to a village inside the named area resolves to it."""
        (m, _) = pipeline(Document("t", "قصف على قرية كفرنبوده بريف حماة")).mentions
        assert m.place.id == "C3209"

    def test_adjective_after_village_word(self, rec):
        """«قرية مجاورة» names no place."""
        assert names(rec, "قصفت الطائرات قرية مجاورة") == []

    def test_internal_article_variants(self, rec, gaz):
        """«تل الملح» finds OCHA's «تل ملح»."""
        (m,) = mentions(rec, "معارك في تل الملح")
        assert "C3445" in [c.place_id for c in m.candidates]

    def test_list_shares_the_area_after_it(self, pipeline):
        """«X وY وZ في ريف إدلب الشرقي»: every item of the list is inside the area."""
        ms = list(pipeline(Document("t", "غارات على جرجناز ومعرشمشة وحنتوتين في ريف إدلب الشرقي")).mentions)
        assert all(m.chain for m in ms[:3])

    def test_unknown_item_of_a_list(self, pipeline):
        """An unknown word between two villages of a list is a place, located by the list's area."""
        ms = list(
            pipeline(Document("t", "غارات على جرجناز والفرفرية وخان السبل في ريف إدلب الشرقي")).mentions
        )
        assert [m.name for m in ms][:3] == ["جرجناز", "الفرفرية", "خان السبل"]
        assert ms[1].place.id == "geomap:countryside/SY07/east"

    def test_verb_after_a_place_is_not_a_list_item(self, rec):
        assert names(rec, "قصف على سراقب وقتل ثلاثة مدنيين") == ["سراقب"]


_CLITIC_SAMPLE = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "وك"]


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_clitics_never_hide_a_town(gaz, data):
    """Any proclitic chain before any town or city name still finds that place.

    Names that are also common words («قنوات») need a cue and are left out here.
    """
    common = gaz.meta["common_keys"]
    towns = sorted(
        p.id
        for p in gaz.places.values()
        if p.kind in ("town", "city")
        and p.id.startswith("C")
        and " " not in p.name_ar
        and not p.name_ar.startswith("ال")
        and len(p.name_ar) >= 4
        and not any(k in common for k in gaz.records[p.id]["keys_ar"])
    )
    pid = data.draw(st.sampled_from(towns))
    clitic = data.draw(st.sampled_from(_CLITIC_SAMPLE))
    word = clitic + gaz.places[pid].name_ar
    # ل + بنان is لبنان, و + ل + بنان is ولبنان: a longer name wins
    assume(all(fold_key(word[i:]) not in gaz.keys_ar for i in range(len(clitic))))
    assume(fold_key(word) not in gaz.meta["common_forms"])  # «لقاح» is a word, not ل + «قاح»
    text = f"تعرضت {word} لقصف عنيف"
    ms = [m for m in Recognizer(gaz)(Document("t", text)) if m.surface == word]
    assert ms and pid in [c.place_id for c in ms[0].candidates]


class TestEnglishNames:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("Government forces shelled al-Raqqa and al-Bab.", ["al-Raqqa", "al-Bab"]),  # lower-case article
            ("Air strikes hit Idlib's hospitals.", ["Idlib"]),  # a possessive
            ("Air strikes hit Idlib's southern countryside.", ["Idlib's southern countryside"]),
            ("Shelling hit the southern countryside of Idlib.", ["southern countryside of Idlib"]),
            (
                "Air strikes hit Taftanaz, Binnish, Sarmin and Saraqib.",
                ["Taftanaz", "Binnish", "Sarmin", "Saraqib"],
            ),
            ("The Free Idlib Army and the Manbij Military Council met.", []),  # organisations
            ("Syria Direct and Aleppo Today reported it.", []),  # news outlets
            ("Maghawir al-Thawra fighters clashed with IS.", []),  # a faction's name, not al-Thawra city
            ("Clashes erupted in Deraa al-Balad.", ["Deraa al-Balad"]),
            ("Bashar al-Assad met the envoy.", []),  # a person's name
            ("Clashes in Tell Aran and Kafr Sajna.", []),  # compounds the gazetteer lacks, not Tell or Kafr
            ("The Tishreen Dam was hit.", []),  # DAM is an airport code, not Damascus
            ("In Saraqib, shelling killed two.", ["Saraqib"]),
        ],
    )
    def test_names_in_running_english(self, rec, text, expected):
        assert [m.surface for m in mentions(rec, text)] == expected

    def test_a_list_is_no_containment_chain(self, rec):
        """ "X, Y, Z": items of a list; "X, Hama": X inside Hama."""
        ms = mentions(rec, "Air strikes hit Taftanaz, Binnish, Sarmin.")
        assert all(m.chain == () for m in ms)
        ms = mentions(rec, "Shelling hit Kafr Nabudah, Hama.")
        assert ms[0].chain == (1,)


@pytest.mark.parametrize(
    "text, name",
    [
        ("عاد الهدوء إلى الرقة المحاصرة", "الرقة"),  # an adjective of a place, not of a noun
        ("وصلت القوات إلى الطبقة الاستراتيجية", "الطبقة"),
        ("قصف مطار أبو الظهور العسكري", "أبو الظهور"),  # no kunya with a nisba
        ("اشتباكات في عامودا والمالكية (ديريك)", "ديريك"),  # an alias without the article
    ],
)
def test_places_with_adjectives_and_aliases(rec, text, name):
    assert name in names(rec, text)


@pytest.mark.parametrize(
    "text, pids",
    [
        ("قصفت الطائرات الريف الغربي لحلب", ["geomap:countryside/SY02/west"]),
        ("اشتباكات في شمال ريف حماة", ["geomap:countryside/SY05/north"]),
        ("غارات على ريف حماة الشمالية", ["geomap:countryside/SY05/north"]),  # feminine
        ("غارات على الريف الإدلبي الجنوبي", ["geomap:countryside/SY07/south"]),  # nisba
        (
            "قصف على ريف إدلب الجنوبي والشرقي",
            ["geomap:countryside/SY07/south", "geomap:countryside/SY07/east"],
        ),
    ],
)
def test_countryside_phrasings(rec, text, pids):
    assert [m.candidates[0].place_id for m in mentions(rec, text)] == pids


def test_the_ends_of_a_road_are_not_inside_each_other(pipeline):
    """«الطريق الدولي حلب – دمشق»: Aleppo is not a place inside Damascus."""
    ms = pipeline(Document("t", "سيطرت القوات على خان العسل قرب الطريق الدولي حلب – دمشق")).mentions
    assert [m.place.name_en for m in ms[1:]] == ["Aleppo", "Damascus"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("قصفت الطائرات بلدتي سلمى وربيعة", ["سلمى", "ربيعة"]),  # the dual cue covers the second name
        ("أعلن تجمع أحرار حوران بيانا", []),  # an organisation two words after its head
    ],
)
def test_dual_cue_and_organisation(rec, text, expected):
    assert [n.removeprefix("و") for n in names(rec, text)] == expected


def test_the_countryside_of_a_district_seat_and_its_parts(pipeline, gaz):
    """«ريف جسر الشغور الغربي»: the district minus its town, its western part."""
    (m,) = pipeline(Document("t", "قصف على ريف جسر الشغور الغربي")).mentions
    assert m.place.kind == "countryside" and m.place.admin2_pcode == "SY0704"
    assert (m.geo_precision, m.where_prec) == (2, 3)
    town = next(p for p in gaz.lookup("جسر الشغور") if p.kind in ("city", "town"))
    assert m.place.lon < town.lon  # west of the town
    area = gaz.geometry(m.place.id)
    assert area.within(gaz.geometry("SY0704").buffer(0.01))
    found = pipeline(Document("t", "قصف على ريفي منبج والباب الشرقي")).mentions
    assert [p.place.id for p in found] == ["geomap:countryside/SY0205", "geomap:countryside/SY0202/east"]


def test_an_accusative_nisba_is_no_place(rec):
    """«قصفاً تركياً», «المدعوم روسياً»: adverbs, not Turkey and Russia."""
    assert names(rec, "شهدت المنطقة قصفاً تركياً مكثفاً والفيلق المدعوم روسياً") == []
    assert names(rec, "قصفت تركيا مواقع قسد") == ["تركيا"]


def test_the_ends_of_a_road_without_a_dash(pipeline):
    ms = pipeline(Document("t", "غارات على طريق دمشق حمص الدولي")).mentions
    assert [m.place.name_en for m in ms] == ["Damascus", "Homs"]
    assert [m.feature for m in ms] == ["road", "road"] and ms[0].geo_precision >= 2


def test_an_event_on_a_road_is_at_the_place_named_near_it(pipeline):
    """The ends of a road are the event's places only when nothing nearer is named."""
    r = pipeline(Document("t", "دارت اشتباكات على أوتوستراد حلب – اللاذقية قرب بلدة سراقب"))
    assert [m.place.name_ar for e in r.events for m in e.locations] == ["سراقب"]
    r = pipeline(Document("t", "سقطت قذائف على طريق حمص – طرطوس"))
    assert [m.feature for e in r.events for m in e.locations] == ["road", "road"]


@pytest.mark.parametrize(
    "text", ["وقع انفجار بمدينة الطبقة صباحا", "وصلت التعزيزات لمدينة الحسكة", "وبمدينة الباب"]
)
def test_a_clitic_on_the_word_city_before_a_name_with_the_article(pipeline, text):
    """The clitic is on «مدينة», not on the name: «بمدينة الطبقة» is no «ب + طبقة»."""
    (m,) = pipeline(Document("t", text)).mentions
    assert m.place is not None and m.place.kind == "city"


def test_the_items_of_a_list_are_neighbours(rec):
    """«مورك والمدرسة»: Morek and a school (the village Madrasa is far from Morek)."""
    assert [n.removeprefix("و") for n in names(rec, "تقدمت القوات نحو مورك والمدرسة")] == ["مورك"]
    assert [n.removeprefix("و") for n in names(rec, "قصف على الهبيط وكفرعين")] == ["الهبيط", "كفرعين"]


def test_a_direction_from_a_city_is_no_containment(pipeline):
    """«مدينة منبج شرقي حلب»: east of Aleppo, not within its reach; the city, as the phrase says."""
    ms = pipeline(Document("t", "انسحبت القوات من مدينة منبج شرقي حلب")).mentions
    assert ms[0].place.kind == "city" and ms[0].place.admin2_pcode == "SY0205"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("تقدمت القوات في الريف الجنوبي لمدينة حماة", ["geomap:countryside/SY05/south"]),
        (
            "غارات على الريفين الجنوبي والشرقي لإدلب",
            ["geomap:countryside/SY07/south", "geomap:countryside/SY07/east"],
        ),
        ("قصف على الريف الغربي لمدينة منبج", ["geomap:countryside/SY0205/west"]),
        ("وصل الجيش إلى مدينة السويداء وقرى ريفها الغربي", ["C6147", "geomap:countryside/SY13/west"]),
    ],
)
def test_countryside_of_a_city_and_by_pronoun(pipeline, text, expected):
    """«الريف الجنوبي لمدينة حماة», «الريفين … لإدلب», «ريفها الغربي» (the city named before)."""
    assert [m.place.id for m in pipeline(Document("t", text)).mentions] == expected


@pytest.mark.parametrize(
    "text, feature", [("سيطرت الفصائل على معبر كسب", "crossing"), ("قصفت الطائرات مطار الضمير", "airport")]
)
def test_a_crossing_or_an_airport_is_a_cue_and_a_feature(pipeline, text, feature):
    """«معبر كسب»: «كسب» (gained) is the town, at its crossing (ACLED 2)."""
    (m,) = pipeline(Document("t", text)).mentions
    assert m.feature == feature and m.place.kind in ("town", "city") and m.geo_precision == 2


def test_a_country_name_is_the_country(pipeline):
    """«الحدود مع تركيا»: Turkey, not the Raqqa village of that name the article's context favours."""
    ms = pipeline(Document("t", "انفجرت عبوة في قرية حزيمة بريف الرقة قرب الحدود مع تركيا")).mentions
    assert ms[-1].place.kind == "country"
    (m, _) = pipeline(Document("t", "وصلت القوات إلى قرية تركيا في ريف الرقة")).mentions
    assert m.place.kind == "village"


def test_a_bare_countryside_direction_is_of_the_city_just_named(pipeline):
    ms = pipeline(Document("t", "قصفت الطائرات مدينة إدلب، كما تعرضت قرى في الريف الغربي لغارات")).mentions
    assert ms[-1].place.id == "geomap:countryside/SY07/west"


@pytest.mark.parametrize(
    "text",
    ["أقيم مخيم عشوائي قرب الحدود", "نزحت العائلات إلى قرية مجاورة", "سيطرت القوات على 21 قرية خلال يومين"],
)
def test_an_adjective_after_a_settlement_word_is_no_name(rec, text):
    assert names(rec, text) == []


def test_a_head_word_begins_a_name_the_gazetteer_lacks(pipeline):
    """«حي باب الجابية»: not «الباب» (Al-Bab, 300 km north); located by the city after it."""
    (m, city) = pipeline(Document("t", "سقطت قذائف على حي باب الجابية بدمشق")).mentions
    assert m.place.id == city.place.id == "C1001"


def test_a_neighbour_abroad_locates_nothing(pipeline):
    (m, _) = pipeline(Document("t", "تقدم الحزب في بلدة فليطة وجرود عرسال")).mentions
    assert m.place is None or m.place.admin1_pcode.startswith("SY")


def test_a_hill_by_a_village_is_a_cue(pipeline):
    (m,) = pipeline(Document("t", "تقدمت القوات نحو تلة كباني")).mentions
    assert m.feature == "hill" and m.place.name_ar == "كباني"


def test_an_airport_is_by_its_city_not_the_governorate(pipeline):
    (m,) = pipeline(Document("t", "سقطت قذائف على مطار دير الزور العسكري")).mentions
    assert m.place.kind == "city" and m.feature == "airport"


def test_a_list_item_is_and_plus_a_name_near_the_one_before(pipeline):
    """«أطمة وقاح وسرمدا»: و + «قاح» (a camp town by Atma), not «وقاح» (a village in Aleppo)."""
    ms = pipeline(Document("t", "نزحت العائلات إلى أطمة وقاح وسرمدا")).mentions
    assert [m.place.admin1_pcode for m in ms] == ["SY07", "SY07", "SY07"] and ms[1].name == "قاح"


def test_a_backer_is_no_place(rec):
    """«الفصائل المدعومة من تركيا»: Turkey backs them; it is not where anything happens."""
    assert names(rec, "سيطرت الفصائل المدعومة من تركيا على عفرين") == ["عفرين"]
    assert names(rec, "قصفت تركيا مواقع قسد") == ["تركيا"]


def test_neighbourhoods_in_a_list_and_the_countryside_of_a_city(pipeline):
    """«أحياء الصاخور والشعار»: both neighbourhoods; «ريف مدينة عين العرب»: the district's countryside."""
    ms = pipeline(Document("t", "قصفت الطائرات أحياء الصاخور والشعار")).mentions
    assert [m.place.kind for m in ms] == ["neighbourhood", "neighbourhood"]
    (m,) = pipeline(Document("t", "قصف على ريف مدينة عين العرب")).mentions
    assert m.place.id == "geomap:countryside/SY0206"


@pytest.mark.parametrize(
    "text",
    [
        "وتعد البلدة من أبرز معاقل الفصائل",  # «البلدة من»: no kind of place is followed by من
        "أقيمت نقطة تفتيش قرب حقل العمر",  # a common word heading a name the gazetteer lacks
    ],
)
def test_common_words_that_name_no_place(rec, text):
    assert names(rec, text) == []


def test_a_common_word_village_after_its_cue_still_counts(rec):
    assert names(rec, "قصفت الطائرات قرية حقل") == ["حقل"]


@pytest.mark.parametrize(
    "text, found",
    [
        ("تواصل قوات النظام قصف منطقة خفض التصعيد", ["geomap:operation-area/idlib-de-escalation-zone"]),
        ("وقعت الأطراف اتفاق خفض التصعيد", []),  # without «منطقة» a common phrase
    ],
)
def test_the_de_escalation_zone_needs_its_head_word(pipeline, text, found):
    assert [m.place.id for m in pipeline(Document("t", text)).mentions] == found


def test_tlul_heads_a_name_like_tal(pipeline):
    """«تلول الصفا» (hills in the Sweida desert) is not the Idlib village «التلول»."""
    ms = pipeline(Document("t", "اختطف مسلحون شاباً في تلول الصفا في بادية السويداء")).mentions
    assert all(m.place is None or m.place.admin1_pcode != "SY07" for m in ms)


@pytest.mark.parametrize("text", ["نزح الآلاف منذ بداية الثورة", "في الذكرى السابعة لانطلاقة الثورة"])
def test_the_beginning_of_an_event_is_no_town(rec, text):
    """«بداية الثورة»: the revolution, not the town of al-Thawrah."""
    assert names(rec, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "وقال مدير مركز حلب الإعلامي إن القصف مستمر",  # an organisation by its shape
        "ذكر موقع دير الزور 24 أن القصف مستمر",  # a news site: a place and a number
        "أعلنت الإدارة الذاتية لشمال وشرق سورية حظر التجول",
        "وقالت السفيرة الأمريكية لدى الأمم المتحدة إن الوضع خطير",  # a title, then a nationality
        "تحاول القوات التقدم نحو التلال المطلة",  # an adjective agreeing with the noun before
    ],
)
def test_names_that_are_no_places_by_their_shape(rec, text):
    assert names(rec, text) == []


def test_a_foreign_place_keeps_its_own_nationality(rec):
    assert names(rec, "وقال والي هاتاي التركية إن جنوداً قتلوا") == ["هاتاي"]


def test_a_dual_names_the_kind_of_both(pipeline):
    ms = pipeline(Document("t", "قصف على مدينتي الرقة والحسكة")).mentions
    assert [m.place.kind for m in ms] == ["city", "city"]


def test_a_facility_the_gazetteer_lacks_is_located_by_its_area(pipeline):
    (m, _) = pipeline(Document("t", "شنت طائرات غارات على مطار التيفور في ريف حمص الشرقي")).mentions
    assert (m.surface, m.place.id) == ("مطار التيفور", "geomap:countryside/SY04/east")


def test_a_facility_word_with_an_adjective_names_no_place(rec):
    assert names(rec, "قصفت الطائرات المطار العسكري") == []


@pytest.mark.parametrize(
    "text, name_ar",
    [
        ("Clashes erupted in Maarat Misreen on Monday.", "معر تمصرين"),  # OCHA: Ma'arrat Tamasrin
        ("Government forces advanced from Trunbeh towards the highway.", "ترنبة"),  # OCHA: Tromba
    ],
)
def test_english_spellings_no_key_has_are_matched_to_the_arabic_names(pipeline, text, name_ar):
    (m,) = pipeline(Document("t", text)).mentions
    assert m.place.name_ar == name_ar


@pytest.mark.parametrize(
    "text", ["The talks were held in Vienna on Monday.", "Fighting resumed in Marketplace."]
)
def test_english_words_and_foreign_cities_are_not_spelled_as_villages(pipeline, text):
    ms = pipeline(Document("t", text)).mentions
    assert all(m.place is None or m.place.kind not in ("village", "town") for m in ms)


@pytest.mark.parametrize(
    "text, place",
    [
        ("Air strikes hit rebel-held eastern Aleppo.", "C1007"),  # the city's east
        ("Shelling hit several districts of eastern Aleppo.", "C1007"),
        ("Shelling hit the eastern Aleppo countryside.", "geomap:countryside/SY02/east"),
        ("Fighting raged in northern Hama.", "geomap:countryside/SY05/north"),
    ],
)
def test_eastern_aleppo_is_the_citys_east_after_a_word_of_the_city(pipeline, text, place):
    (m,) = pipeline(Document("t", text)).mentions
    assert m.place.id == place


@pytest.mark.parametrize(
    "text",
    [
        "وتتعرض فيها أحياء المدينة للقصف اليومي",  # "the city" names nothing after it
        "تعمل المنظمات لتأمين المأوى للعائلات",  # «مأوى» is a word first (wordfreq, with its hamza and ى)
    ],
)
def test_a_definite_settlement_word_and_words_spelled_with_hamza(rec, text):
    assert names(rec, text) == []


def test_a_neighbourhood_in_the_centre_of_a_city_is_in_that_city(pipeline):
    (m, _) = pipeline(Document("t", "قصفت الطائرات حي البدو وسط مدينة الرقة")).mentions
    assert m.place.id == "C5710"


def test_a_health_council_is_an_organisation(rec):
    assert names(rec, "Staff of the Afrin Health Council said the clinic had closed.") == []


def test_the_third_item_of_a_cued_list(pipeline):
    text = "قصفت الطائرات أحياء الشعار والصالحين والفردوس في القسم الشرقي المحاصر من مدينة حلب"
    ms = pipeline(Document("t", text)).mentions
    assert [m.name for m in ms][:3] == ["الشعار", "الصالحين", "الفردوس"]


def test_a_very_common_word_before_an_area_needs_a_word_of_place(pipeline):
    ms = pipeline(Document("t", "بدأت قوات النظام معركة جديدة في ريف حماة")).mentions
    assert [m.name for m in ms] == ["ريف حماة"]
    ms = pipeline(Document("t", "قصفت الطائرات قرية جديدة في ريف حماة")).mentions
    assert ms[0].name == "جديدة" and ms[0].place is not None
