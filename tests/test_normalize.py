"""Folding keeps an exact index back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.normalize import (
    camel_fold_table,
    fold,
    fold_key,
    fold_table,
    romanization_similarity,
    skeleton,
    strip_latin_qualifiers,
)


class TestFold:
    def test_arabic_forms_fold(self):
        """Alef forms, alef maksura, teh marbuta, diacritics and tatweel fold away."""
        assert fold("أإآٱ ى ة").text == "اااا ي ه"
        assert fold("حَمَاةُ").text == "حماه"
        assert fold("حمـــاة").text == "حماه"

    def test_digits_and_latin(self):
        """Arabic-Indic digits become ASCII; Latin is lower-cased without accents or apostrophes."""
        assert fold("١٨٠ ۲").text == "180 2"
        assert fold("Ma‘arrat al-Nu‘mān").text == "maarrat al numan"

    def test_spaces_collapse(self):
        """Runs of whitespace become one space; leading and trailing spaces go."""
        assert fold("a \n\t b").text == "a b"
        f = fold("  \n حماة  \n")
        assert f.text == "حماه"
        assert f.span(0, 4) == (4, 8)

    def test_span_maps_back(self):
        """A folded span maps back to the original characters."""
        text = "قصفٌ على حَمَـاةَ اليوم"
        f = fold(text)
        i = f.text.index("حماه")
        start, end = f.span(i, i + 4)
        assert text[start:end] == "حَمَـاةَ"

    def test_ligature_expands(self):
        """A presentation-form ligature expands to several letters that all point at it."""
        f = fold("ﷲ")
        assert f.text == "الله"
        assert f.span(0, 4) == (0, 1)

    def test_stored_table_is_camel_tools(self):
        """The table stored with the gazetteer is exactly what camel-tools computes."""
        assert fold_table() == camel_fold_table()


class TestKeys:
    def test_fold_key_drops_punctuation(self):
        """Keys keep letters and single spaces."""
        assert fold_key(" «جسر   الشغور» ") == "جسر الشغور"

    def test_skeleton_crosses_scripts(self):
        """Romanisations and the Arabic name share one consonant skeleton."""
        assert skeleton(fold_key("Ma'arrat an-Nu'man")) == skeleton(fold_key("Maarat al-Numan"))
        assert skeleton(fold_key("معرة النعمان")) == skeleton(fold_key("Maarat al-Numan"))
        assert skeleton(fold_key("Thalthana")) == skeleton(fold_key("تلتانة"))


@given(st.text(max_size=200))
def test_fold_never_crashes_and_index_is_monotonic(text):
    """Any text folds; the index is non-decreasing and inside the original."""
    f = fold(text)
    assert len(f.index) == len(f.text) + 1
    assert all(a <= b for a, b in zip(f.index, f.index[1:], strict=False))
    assert all(0 <= i <= len(text) for i in f.index)


@given(st.text(alphabet=st.sampled_from("ابتحمةىأإآًٌٍَُِّْـ كفرو -'’A"), max_size=60))
def test_fold_key_is_idempotent(text):
    """Folding a key again changes nothing."""
    assert fold_key(fold_key(text)) == fold_key(text)


@given(
    st.text(alphabet=st.sampled_from("ابتحمةىأإآًٌٍَُِّْـ كفرو"), max_size=60), st.integers(0, 60), st.integers(0, 60)
)
def test_span_points_at_the_right_characters(text, a, b):
    """Every folded character comes from the original character its index names."""
    f = fold(text)
    a, b = sorted((min(a, len(f.text)), min(b, len(f.text))))
    start, end = f.span(a, b)
    assert 0 <= start <= end <= len(text)
    for i in range(a, b):
        assert fold(text[f.index[i]]).text in (f.text[i], "") or f.text[i] == " "


class TestRomanization:
    @pytest.mark.parametrize(
        "latin, arabic",
        [
            ("Saraqib", "سراقب"),
            ("Khan Shaykhun", "خان شيخون"),
            ("Ma'arrat an-Nu'man", "معرة النعمان"),
            ("Jisr ash-Shughur", "جسر الشغور"),
            ("Tall Rifat", "تل رفعت"),
            ("Abu adh-Dhuhur", "أبو الظهور"),
            ("Ayn al-Arab", "عين العرب"),
        ],
    )
    def test_usual_romanisations_fit(self, latin, arabic):
        assert romanization_similarity(fold_key(latin), fold_key(arabic)) >= 0.85

    @pytest.mark.parametrize(
        "latin, right, wrong",
        [
            ("Sarmin", "سرمين", "سرمدا"),  # same first letters, different name
            ("Kafr Zita", "كفرزيتا", "كفر نبودة"),
            ("Hirak", "الحراك", "الحاكورة"),
            ("Mazraah", "المزرعة", "المزارع"),  # no long vowel written: not the plural
            ("Tafas", "طفس", "تفاحة"),
            ("Menagh", "منق", "ميناس"),  # a short name with its vowels written, not another consonant
            ("Bal", "البل", "عبلة"),
            ("Ara", "عرى", "الدارة"),  # a final ى is folded to ي, and may be "a"
        ],
    )
    def test_the_spelled_name_wins(self, latin, right, wrong):
        """Long vowels and consonants the Latin lacks count against a name; short vowels barely."""
        key = fold_key(latin)
        assert romanization_similarity(key, fold_key(right)) > romanization_similarity(key, fold_key(wrong))


@given(st.text(max_size=40), st.text(alphabet=st.sampled_from("ابتحمةىأإآ ءؤئكفروعغ"), max_size=40))
def test_romanization_similarity_is_a_bounded_score(latin, arabic):
    score = romanization_similarity(fold_key(latin), fold_key(arabic))
    assert 0.0 <= score <= 1.0


@given(
    st.lists(
        st.sampled_from(["al", "ash", "upper", "tahtani", "kabirah", "new", "bala", "x", "sawwanah"]),
        max_size=6,
    )
)
def test_stripping_latin_qualifiers_is_idempotent_and_keeps_a_name(words):
    key = " ".join(words)
    bare = strip_latin_qualifiers(key)
    assert strip_latin_qualifiers(bare) == bare
    assert bare == key or len(bare.replace(" ", "")) >= 3


def test_latin_qualifiers_and_their_articles_go():
    assert strip_latin_qualifiers("baghuz at tahtani") == "baghuz"
    assert strip_latin_qualifiers("upper jubb al kabirah") == "jubb"
    assert strip_latin_qualifiers("new") == "new"


def test_quotes_part_no_name():
    """«منطقة "خفض التصعيد"»: the quotes fold away, and offsets still point into the original."""
    text = 'قصف منطقة "خفض التصعيد" اليوم'
    folded = fold(text)
    assert "منطقه خفض التصعيد" in folded.text
    start = folded.text.index("خفض")
    assert text[slice(*folded.span(start, start + 3))] == "خفض"
