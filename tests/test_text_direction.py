"""Text in another language keeps its own direction on a page (dir beside lang)."""

import pytest
from django.utils import translation

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_fallback_report_on_a_right_to_left_page_is_marked_left_to_right(client, right_to_left_language):
    report = make_article(languages=("en",))
    with translation.override(right_to_left_language):
        page = client.get(report.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<h1 class="report__headline" lang="en" dir="ltr">{report.headline_en}</h1>' in page
    assert '<div class="report__body" lang="en" dir="ltr">' in page


def test_fallback_card_is_left_to_right_and_its_dates_follow_the_page(client, right_to_left_language):
    make_article(languages=("en",))
    page = client.get(f"/{right_to_left_language}/").content.decode()
    assert '<article class="card" lang="en" dir="ltr">' in page
    assert '<p class="card__meta" lang="ar" dir="rtl">' in page
