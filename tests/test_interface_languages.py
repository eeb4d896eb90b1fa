"""The reader's interface in each of the fourteen languages: words, dates, script, direction."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db

# A heading every front page shows, in each language.
LATEST_REPORTS = {
    "en": "Latest reports",
    "ru": "Последние материалы",
    "ja": "最新の記事",
    "fr": "Derniers articles",
    "de": "Neueste Berichte",
    "zh-hans": "最新报道",
    "el": "Τελευταία άρθρα",
    "es": "Últimas noticias",
    "it": "Ultimi articoli",
    "pt": "Últimas notícias",
    "id": "Berita terbaru",
    "fi": "Uusimmat uutiset",
    "la": "Nuntii recentissimi",
    "sa": "नूतनतमाः वार्ताः",
}

# English interface text a page in another language must not show.
ENGLISH_INTERFACE = [
    "Latest reports",
    "Skip to content",
    "Language:",
    "The world's press, compiled and translated",
    "Newsroom compiles reports from foreign media",
    "International news compiled",
    "Older reports",
    "Page 1 of",
]

SEPTEMBER_22 = {
    "en": "22 September 2026",
    "ru": "22 сентября 2026 г.",
    "ja": "2026年9月22日",
    "fr": "22 septembre 2026",
    "de": "22. September 2026",
    "zh-hans": "2026年9月22日",
    "el": "22 Σεπτεμβρίου 2026",
    "es": "22 de septiembre de 2026",
    "it": "22 settembre 2026",
    "pt": "22 de setembro de 2026",
    "id": "22 September 2026",
    "fi": "22. syyskuuta 2026",
    "la": "22 Septembris 2026",
    "sa": "22 सेप्टेम्बर 2026",
}


def test_every_site_language_is_covered_here():
    assert set(LATEST_REPORTS) == set(SEPTEMBER_22) == set(all_languages())


@pytest.mark.parametrize("language", all_languages())
def test_front_page_speaks_the_readers_language(client, settings, language):
    settings.ARTICLES_PER_PAGE = 1
    make_article(languages=all_languages())
    make_article(languages=all_languages())
    page = client.get(f"/{language}/").content.decode()
    assert LATEST_REPORTS[language] in page
    assert f'<html lang="{language if language != "zh-hans" else "zh-Hans"}" dir="ltr">' in page
    if language != "en":
        shown = [text for text in ENGLISH_INTERFACE if text in page]
        assert not shown, f"English interface text on /{language}/: {shown}"


@pytest.mark.parametrize("language", all_languages())
def test_dates_read_the_way_the_language_writes_them(client, language):
    make_article(
        languages=all_languages(),
        published_at=datetime(2026, 9, 22, 10, tzinfo=timezone.get_current_timezone()),
    )
    assert SEPTEMBER_22[language] in client.get(f"/{language}/").content.decode()


def test_latin_and_sanskrit_date_and_time_of_a_report(client):
    article = make_article(
        languages=all_languages(),
        published_at=datetime(2026, 1, 3, 9, 30, tzinfo=timezone.get_current_timezone()),
    )
    with translation.override("la"):
        latin = client.get(article.get_absolute_url()).content.decode()
    with translation.override("sa"):
        sanskrit = client.get(article.get_absolute_url()).content.decode()
    assert "3 Ianuarii 2026, 09:30" in latin
    assert "3 जनवरी 2026, 09:30" in sanskrit


def test_missing_translation_notice_names_the_readers_language_in_it(client):
    article = make_article(languages=["en"])
    with translation.override("ru"):
        url = article.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Этот материал ещё не переведён на русский язык." in page
    assert 'Язык текста ниже: <bdi lang="en">English</bdi>' in page
    front = client.get("/ru/").content.decode()
    assert "Ещё не на русском" in front


def test_notice_in_sanskrit_and_latin(client):
    article = make_article(languages=["ja"], original_language="ja")
    for language, sentence in [
        ("sa", "इयं वार्ता अद्यापि संस्कृतभाषायां न अनूदिता।"),
        ("la", "Hic nuntius nondum in Latinum conversus est."),
    ]:
        with translation.override(language):
            url = article.get_absolute_url()
        page = client.get(url).content.decode()
        assert sentence in page
        assert '<bdi lang="ja">日本語</bdi>' in page


def test_page_titles_and_error_pages_are_translated(client):
    assert "<title>ページが見つかりません · Newsroom</title>" in client.get("/ja/news/999999/x/").content.decode()
    with translation.override("de"):
        server_error = render_to_string("500.html")
    assert "Serverfehler" in server_error
    assert '<html lang="de" dir="ltr">' in server_error


def test_section_page_pages_in_russian(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    article = make_article(languages=all_languages())
    for _ in range(4):
        make_article(languages=all_languages(), section=article.section)
    with translation.override("ru"):
        url = article.section.get_absolute_url()
    assert '">Более ранние материалы</a>' in client.get(url).content.decode()


def test_left_to_right_fallback_keeps_its_direction_in_a_right_to_left_page(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    article = make_article(languages=["en"])
    front = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in front
    assert '<article class="card" lang="en" dir="ltr">' in front
    assert '<p class="card__meta" lang="ar" dir="rtl">' in front
    with translation.override("ar"):
        url = article.get_absolute_url()
    page = client.get(url).content.decode()
    assert f'<h1 class="report__headline" lang="en" dir="ltr">{article.headline_en}</h1>' in page


PHYSICAL_DIRECTIONS = re.compile(
    r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|text-align\s*:\s*(?:left|right)"
    r"|float\s*:\s*(?:left|right)"
)


def test_stylesheet_uses_logical_properties_so_rtl_mirrors():
    css = Path(finders.find("newsroom/css/site.css")).read_text(encoding="utf-8")
    assert not PHYSICAL_DIRECTIONS.findall(css)


@pytest.mark.parametrize(
    ("language", "font"), [("ja", "Noto Sans CJK JP"), ("zh-Hans", "Noto Sans CJK SC"), ("sa", "Noto Sans Devanagari")]
)
def test_stylesheet_has_fonts_for_cjk_and_devanagari(language, font):
    css = Path(finders.find("newsroom/css/site.css")).read_text(encoding="utf-8")
    rule = re.search(rf":lang\({re.escape(language)}\) \{{[^}}]*\}}", css).group(0)
    assert font in rule


def test_switcher_names_every_language_in_its_own_script(client):
    page = client.get("/fi/").content.decode()
    for code, native in [("ja", "日本語"), ("ru", "Русский"), ("sa", "संस्कृतम्"), ("la", "Latina"), ("el", "Ελληνικά")]:
        assert f'lang="{code}" hreflang="{code}"' in page
        assert native in page


@pytest.mark.parametrize(
    ("language", "project_words"),
    [
        ("la", ["Nuntii collecti", "Nuntios selectos edere", "Tempus editionis", "versio deest"]),
        ("sa", ["सङ्कलितवार्ताः", "चयनिताः वार्ताः प्रकाशय", "प्रकाशनसमयः", "अनुवादः अनुपलब्धः"]),
    ],
)
def test_admin_in_latin_or_sanskrit_has_the_projects_words_and_djangos_in_english(client, language, project_words):
    # Django ships no admin catalog for Latin or Sanskrit: the README tells editors what to expect.
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a long password 1")
    client.force_login(editor)
    make_article()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'<html lang="{language}" dir="ltr">' in page
    for words in project_words:
        assert words in page
    assert "Log out" in page
