"""Slugs stay readable in every script: never empty, never only dashes."""

import pytest
from django.core.exceptions import ValidationError

from articles.slugs import FALLBACK_SLUG, MAX_SLUG_LENGTH, make_slug, validate_readable_slug
from tests.factories import make_article


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Rail strike ends in France!", "rail-strike-ends-in-france"),
        ("Во Франции завершилась забастовка", "во-франции-завершилась-забастовка"),
        ("Η Αθήνα ανοίγει νωρίτερα", "η-αθήνα-ανοίγει-νωρίτερα"),
        ("東京で新しい図書館が開館", "東京で新しい図書館が開館"),
        ("深圳企业大型先进封装工厂投产", "深圳企业大型先进封装工厂投产"),
        ("संस्कृतम् वार्ता", "संस्कृतम्-वार्ता"),
        ("Nachtzug Wien–Venedig fährt wieder", "nachtzug-wien-venedig-fährt-wieder"),
        ("ＦＵＬＬ　ＷＩＤＴＨ", "full-width"),
    ],
)
def test_slugs_keep_the_letters_and_marks_of_every_script(headline, slug):
    assert make_slug(headline) == slug


def test_devanagari_keeps_its_vowel_signs_and_virama():
    slug = make_slug("संस्कृतम्")
    assert slug == "संस्कृतम्"
    assert "\u094d" in slug  # virama


@pytest.mark.parametrize("headline", ["", "   ", "!!! ??? ---", "«»", "— —"])
def test_a_slug_is_never_empty_nor_only_dashes(headline):
    assert make_slug(headline) == FALLBACK_SLUG


def test_long_headlines_are_cut_at_a_word():
    slug = make_slug("word " * 40)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"word"}


def test_one_long_unspaced_word_is_cut_to_length():
    assert len(make_slug("漢" * 200)) == MAX_SLUG_LENGTH


def test_the_validator_accepts_what_make_slug_makes_and_refuses_the_rest():
    validate_readable_slug(make_slug("संस्कृतम् वार्ता"))
    with pytest.raises(ValidationError):
        validate_readable_slug("has space")
    with pytest.raises(ValidationError):
        validate_readable_slug("slash/inside")


@pytest.mark.django_db
def test_saving_a_report_fills_each_languages_slug_from_its_headline():
    article = make_article(languages=["en", "sa"], headline_sa="संस्कृतम् वार्ता", slug_en="")
    article.refresh_from_db()
    assert article.slug_sa == "संस्कृतम्-वार्ता"
    assert article.slug_en == make_slug(article.headline_en)
