"""Resolution among homonyms, precision codes and geocoder queries."""

from __future__ import annotations

import pytest

from geomap.model import Document
from geomap.resolve import HEADLESS_WEIGHT, QUALIFIED_WEIGHT, _alternatives, precision_codes, resolve_query


def resolved(pipeline, text):
    return list(pipeline(Document("t", text)).mentions)


class TestHomonyms:
    def test_containment_picks_the_homonym(self, pipeline):
        """رأس العين بريف حماة is the Hama village, not the Hasakah town."""
        (m, area) = resolved(pipeline, "قصف على رأس العين بريف حماة الشمالي الشرقي")
        assert m.place.id == "C3067"
        assert "inside" in m.reason and m.context == (area.place.id,)
        (m,) = resolved(pipeline, "معارك عنيفة في رأس العين")
        assert m.place.id == "C4988"

    def test_article_context(self, pipeline):
        """Without a chain, the governorates the article names decide."""
        ms = resolved(pipeline, "غارات على قرى ريف درعا. وقصف على الشجرة بعد ذلك.")
        assert ms[-1].place.admin1_pcode == "SY12"

    def test_bare_governorate_and_big_city(self, pipeline):
        """A bare «إدلب» is the governorate; a bare «حلب» the city; «مدينة إدلب» the city."""
        (idlib,) = resolved(pipeline, "نزح آلاف المدنيين في إدلب")
        assert idlib.place.kind == "governorate"
        (aleppo,) = resolved(pipeline, "اشتباكات في حلب")
        assert aleppo.place.id == "C1007"
        (city,) = resolved(pipeline, "قصف على مدينة إدلب")
        assert city.place.id == "C3871"

    def test_coordinated_governorates(self, pipeline):
        """«إدلب وحماة» are two governorates."""
        ms = resolved(pipeline, "مناطق المعارضة في إدلب وحماة")
        assert [m.place.kind for m in ms] == ["governorate", "governorate"]

    def test_countries_are_not_syrian_points(self, pipeline):
        """تركيا and روسيا are countries."""
        ms = resolved(pipeline, "بالتنسيق مع روسيا وتركيا")
        assert [m.place.id for m in ms] == ["geomap:country/RU", "geomap:country/TR"]
        assert all(m.where_prec == 7 for m in ms)

    def test_confidence_reason_candidates(self, pipeline):
        """Each resolved mention says how sure it is, why, and what else it could be."""
        (m,) = resolved(pipeline, "قصف على صوران")
        assert 0 < m.confidence <= 1 and m.reason and len(m.candidates) >= 2


class TestPrecision:
    @pytest.mark.parametrize(
        "text, geo, where",
        [
            ("قصف على سراقب", 1, 1),
            ("قصف بالقرب من سراقب", 2, 2),
            ("اشتباكات في أطراف مورك", 2, 2),
            ("Clashes on the outskirts of Kafr Nabl.", 2, 2),
            ("اشتباكات على جبهة الكبينة", 2, 2),
            ("قصف على سهل الغاب", 2, 3),
            ("غارات على ريف إدلب الجنوبي", 3, 4),
            ("غارات على محافظة إدلب", 3, 4),
        ],
    )
    def test_codes(self, pipeline, text, geo, where):
        """ACLED geo_precision and UCDP where_prec follow the kind and the feature."""
        (m,) = resolved(pipeline, text)
        assert (m.geo_precision, m.where_prec) == (geo, where)

    def test_precision_codes_of_a_region(self, gaz):
        assert precision_codes(gaz.get("geomap:operation-area/euphrates-shield")) == (3, 5)


class TestQueries:
    @pytest.mark.parametrize(
        "query, pid",
        [
            ("حماة", "C2987"),
            ("ريف حماة الغربي", "geomap:countryside/SY05/west"),
            ("Kafr Nabudah, Hama", "C3209"),
            ("كفرنبودة", "C3209"),
            ("Jisr ash-Shughur", "C4199"),
            ("Ras al-Ain, Hama", "C3067"),
            ("Ras al-Ain, Al-Hasakah Governorate", "C4988"),
            ("Duniq/Dowaibeq, Aleppo", "C1659"),
            # BGN-style spellings that only the Arabic name supports (OCHA: Sreihin, Enayyez, Olan)
            ("Surayhin, Hama", "C2980"),
            ("Unayyiz, Hama", "C6566"),
            ("Uwlan, Aleppo", "C1204"),
            ("Ashiq Umar, Hama", "C3402"),
        ],
    )
    def test_queries(self, gaz, query, pid):
        """Names in either script, with optional context after a comma."""
        m = resolve_query(query, gaz)
        assert m is not None and m.place.id == pid

    def test_context_is_a_hard_constraint(self, gaz):
        """A name known only far from the named governorate is not taken from elsewhere: the
        governorate itself, at region precision, stands for it."""
        m = resolve_query("Kafr Nabudah, Ar Raqqah Governorate", gaz)
        assert m.place.id == "SY11" and m.geo_precision == 3
        assert "not in the gazetteer" in m.reason

    def test_nothing(self, gaz):
        assert resolve_query("   ", gaz) is None
        assert resolve_query("Xqzzv", gaz) is None


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Clashes erupted in Daraa city and Idleb city.", ["city", "city"]),
        ("Shelling hit Hama and Idlib provinces.", ["governorate", "governorate"]),
        ("Turkish forces entered Ras al-Ain and Tell Abiad districts.", ["district", "district"]),
    ],
)
def test_a_kind_word_after_an_english_name(pipeline, text, kinds):
    """ "Daraa city" is the city, "Hama and Idlib provinces" the governorates."""
    assert [m.place.kind for m in pipeline(Document("d", text)).mentions] == kinds


@pytest.mark.parametrize(
    "text, admin1",
    [
        # homonyms: the governorate the other names of the article share («الرقة» is a city, a
        # district and a sub-district, all of Raqqa)
        ("سيطرت قسد على عين عيسى والرقة، ثم قصفت قرية صيدا", "SY11"),
        ("قصفت الطائرات الرقة والطبقة وقرية الحرية", "SY11"),
        # a village the gazetteer has only elsewhere is located by the area named after it
        ("قصفت قوات النظام قرية الطائف في ريف درعا", "SY12"),
        # a namesake just outside the town it is said to be near
        ("اشتباكات في بلدة الصالحية شمال البوكمال", "SY09"),
    ],
)
def test_context_decides_the_last_name(pipeline, text, admin1):
    last = pipeline(Document("d", text)).mentions[-1 if "صيدا" in text or "الحرية" in text else 0]
    assert last.place.admin1_pcode == admin1


def test_a_neighbourhood_the_gazetteer_lacks_is_in_its_city(pipeline):
    (m, city) = pipeline(Document("d", "اشتباكات في حي الكباس في مدينة دمشق")).mentions
    assert m.place.id == city.place.id and m.geo_precision == 2
    (m, city) = pipeline(Document("d", "اشتباكات في حي الوعر في مدينة حمص")).mentions
    assert m.place.kind == "neighbourhood" and m.place.parent_id == city.place.id and m.geo_precision == 2


@pytest.mark.parametrize(
    "query, pid",
    [
        ("Hajin town, Deir ez Zor Governorate", "C5175"),  # the kind word after the name
        ("outskirts of Saraqib, Idlib Governorate", "C3916"),
    ],
)
def test_kind_words_in_a_query(gaz, query, pid):
    assert resolve_query(query, gaz).place.id == pid


@pytest.mark.parametrize(
    "query, pid",
    [
        ("Hajin al-Jadida, Deir ez Zor Governorate", "C5175"),  # a qualifier the gazetteer lacks
        ("Upper Hajin, Deir ez Zor Governorate", "C5175"),
        ("Tall Saraqib, Idlib Governorate", "C3916"),  # a compound head the gazetteer lacks
    ],
)
def test_a_name_found_only_without_its_qualifier_or_head(gaz, query, pid):
    m = resolve_query(query, gaz)
    assert m.place.id == pid
    exact = resolve_query(f"{m.place.name_en}, {query.split(', ')[1]}", gaz)
    assert m.confidence < exact.confidence  # a name found without a part is less sure


def test_query_alternatives_weigh_down_what_they_drop():
    alts = dict(_alternatives("Khirbat Sawwanah ash-Sharqiyah"))
    assert alts["Khirbat Sawwanah ash-Sharqiyah"] == 1.0
    assert alts["Khirbat Sawwanah"] == QUALIFIED_WEIGHT
    assert alts["Sawwanah"] == HEADLESS_WEIGHT
    assert dict(_alternatives("New")) == {"New": 1.0}  # nothing of a name would be left


def test_confidence_carries_the_name_match(gaz):
    """A look-alike spelling is less sure than the name itself."""
    exact = resolve_query("Saraqib, Idlib Governorate", gaz)
    alike = resolve_query("Kafr Lusin, Idlib Governorate", gaz)
    assert alike.confidence < exact.confidence


def test_a_weak_match_across_the_border_is_not_taken(gaz):
    """ "Minnigh, Aleppo": no such name in Aleppo; Binnish in Idlib is no answer."""
    m = resolve_query("Minnigh, Aleppo Governorate", gaz)
    assert m.place.admin1_pcode == "SY02"


def test_a_village_outside_the_direction_named_stays_in_the_whole_countryside(pipeline):
    """The press's directions are loose: a Ghab village «بريف حماة الغربي» is that village."""
    ms = pipeline(Document("d", "سقطت قذائف على قرية قسطون بريف حماة الغربي")).mentions
    assert ms[0].place.id == "C3170" and "direction aside" in ms[0].reason
    far = pipeline(Document("d", "سقطت قذائف على قرية قسطون بريف حلب الغربي")).mentions
    assert far[0].place.id != "C3170"  # another governorate is no loose direction


def test_a_container_after_a_common_word_name_is_its_cue(pipeline):
    """«المنصورة بريف حلب»: the area after it makes a common word a place; «قصف بريف» stays shelling."""
    ms = pipeline(Document("d", "دارت اشتباكات في المنصورة بريف حلب الغربي")).mentions
    assert [m.place.kind for m in ms] == ["village", "countryside"]
    ms = pipeline(Document("d", "تجدد القصف بريف اللاذقية")).mentions
    assert [m.place.kind for m in ms] == ["countryside"]


def test_b_before_a_city_is_in(pipeline):
    """«حي الحمراء بمدينة حمص»: in Homs, not a village of that name outside it."""
    (m, city) = pipeline(Document("d", "قصف على حي الحمراء بمدينة حمص")).mentions
    assert m.place.id == city.place.id and "none of that name inside" in m.reason


def test_a_neighbourhood_of_the_city_its_adjective_names(pipeline):
    """«حي الحمراء الدمشقي»: in Damascus, not a village الحمراء elsewhere."""
    (m,) = pipeline(Document("d", "تعرض حي الحمراء الدمشقي لقصف عنيف")).mentions
    assert m.place.id == "C1001" and m.context == ("C1001",) and m.geo_precision == 2
    (m,) = pipeline(Document("d", "تعرض حي جوبر الدمشقي لقصف عنيف")).mentions
    assert m.place.kind == "neighbourhood" and m.place.parent_id == "C1001"


def test_settlements_inside_are_those_inside_by_any_count(gaz):
    """The bounding box that narrows settlements_inside loses none: a town's 30 km, a countryside, a
    region, a mountain, and a town inside a countryside give what trying every settlement gives."""
    from geomap.resolve import Resolver

    resolver = Resolver(gaz)
    by_kind = {}
    for p in gaz.places.values():
        by_kind.setdefault(p.kind, []).append(p)
    town = max(by_kind["city"], key=lambda p: p.population)
    cases = [[town], *([by_kind[k][0]] for k in ("countryside", "region", "mountain"))]
    cases.append([by_kind["countryside"][0], town])
    for areas in cases:
        every = tuple(
            pid for pid in gaz.settlements() if all(resolver.inside(gaz.places[pid], a) for a in areas)
        )
        assert resolver.settlements_inside(areas) == every
        assert every or len(areas) > 1


def test_a_neighbourhood_is_in_the_city_the_article_names(pipeline):
    """«حي الحمراء» after «مدينة حلب»: in Aleppo's streets, not a village of that name elsewhere."""
    ms = pipeline(Document("d", "قصفت قوات النظام مدينة حلب. واستهدفت القذائف حي الحمراء.")).mentions
    assert ms[-1].place.id == ms[0].place.id == "C1007"
    ms = pipeline(Document("d", "قصفت قوات النظام مدينة حلب. واستهدفت القذائف حي الحمدانية.")).mentions
    assert ms[-1].place.parent_id == "C1007"


def test_a_name_a_place_bears_is_no_look_alike_of_another(pipeline, gaz):
    """ "Adra" is عدرا (a village near Damascus), not درعا (Daraa) that it happens to sound like."""
    (m,) = pipeline(Document("d", "Shelling hit Adra on Monday.")).mentions
    assert m.place.name_ar == "عدرا"
    assert resolve_query("Adra", gaz).place.name_ar == "عدرا"


@pytest.mark.parametrize(
    "text, city",
    [
        ("اشتباكات عنيفة في حي جوبر", "C1001"),
        ("قصف على بابا عمرو", "C2528"),
        ("اشتباكات في الشيخ مقصود بحلب", "C1007"),
    ],
)
def test_curated_neighbourhoods_are_parts_of_their_city(pipeline, text, city):
    """The curated neighbourhoods sit at their city's point, ACLED 2, before a namesake village elsewhere."""
    m = pipeline(Document("d", text)).mentions[0]
    assert (m.place.kind, m.place.parent_id, m.geo_precision) == ("neighbourhood", city, 2)


def test_a_neighbourhood_holds_only_its_streets(pipeline):
    """«سوق الحميدية في دمشق القديمة»: in Old Damascus, not the Hameidiyyeh 50 km off in Quneitra."""
    (m, old) = pipeline(Document("d", "سقطت قذيفة هاون على سوق الحميدية في دمشق القديمة")).mentions
    assert m.place.id == old.place.id and old.place.kind == "neighbourhood" and m.geo_precision == 2


def test_a_city_word_keeps_the_city_when_the_countryside_direction_is_loose(pipeline):
    """«مدينة منبج بريف حلب الشرقي»: Manbij city, not its district nor a village named after it."""
    (m, _) = pipeline(Document("t", "انفجرت عبوة ناسفة في مدينة منبج بريف حلب الشرقي")).mentions
    assert m.place.id == "C1767"


def test_a_neighbourhood_named_before_gives_the_city_of_the_next(pipeline):
    """«أحياء حمص القديمة … بحي الدبلان»: al-Dablan is in Homs, not the Deir ez-Zor village."""
    text = "خرج مئات المدنيين من أحياء حمص القديمة، ونقلوا إلى مركز إيواء بحي الدبلان."
    mentions = pipeline(Document("t", text)).mentions
    assert mentions[-1].place.id == "C2528"


def test_the_neighbourhoods_of_a_city_are_that_city(pipeline):
    """«أحياء حمص …، وخاصة … أحياء حمص القديمة»: the first «حمص» is the city, not its sub-district."""
    text = "خرج نحو 600 مدني من أحياء حمص المحاصرة، وخاصة أحياء حمص القديمة."
    assert pipeline(Document("t", text)).mentions[0].place.id == "C2528"


def test_an_unknown_neighbourhood_is_in_its_citys_streets_not_a_village_nearby(pipeline):
    """«حي المحمودية» of Afrin: not the village Mhamadia 25 km away; the city itself."""
    text = "قصفت المدفعية مدينة عفرين. وقتل 18 مدنياً في قصف استهدف حي المحمودية وسط المدينة."
    assert pipeline(Document("t", text)).mentions[-1].place.id == "C1366"


def test_a_known_neighbourhood_of_another_city_than_the_next_one_named(pipeline):
    text = "بدأ خروج آلاف الأشخاص من عربين وزملكا وحي جوبر. ولم تشمل الاتفاقات مدينة دوما حتى الآن."
    ms = pipeline(Document("t", text)).mentions
    assert [m.place.id for m in ms if m.name == "جوبر"] == ["geomap:neighbourhood/C1001/1"]
