"""A report without a lead image is shared with a card drawn from its headline, in its language's script."""

import io
import logging

import pytest
from PIL import Image as PillowImage

from articles import share_cards
from articles.images import read_upload, stored_original
from articles.models import Edition, Image
from tests.browser import skip_or_fail
from tests.factories import make_article
from tests.images import upload
from tests.test_share_cards import ORIGIN, read, url_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def fetch_card(client, url):
    response = client.get(url.removeprefix(ORIGIN))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return PillowImage.open(io.BytesIO(response.content))


def ink_columns(card):
    """How many columns of the card's headline area hold ink: zero for an empty box."""
    box = card.convert("L").crop((share_cards.MARGIN, 190, share_cards.WIDTH - share_cards.MARGIN, 560))
    return sum(1 for x in range(box.width) if min(box.getpixel((x, y)) for y in range(0, box.height, 4)) < 128)


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("ja", "東京で新しい港が開かれ、漁師たちは朝早くから船を出した"),
        ("sa", "नूतनः पत्तनः टोक्यो नगरे उद्घाटितः"),
    ],
)
def test_a_report_without_a_lead_image_shares_a_card_drawn_in_its_language(client, media_root, language, headline):
    if share_cards.font_file(language) is None:
        skip_or_fail(f"No font for {language}'s script: `make browser-tools` (as root) installs the Noto fonts.")
    article = make_article(languages=("en", language), **{f"headline_{language.replace('-', '_')}": headline})
    page = read(client, url_in(article, language))
    url = page.first("og:image")
    assert url.startswith(ORIGIN + f"/cards/{article.pk}-{language}-") and url.endswith(".png")
    assert page.first("twitter:image") == url
    assert page.first("og:image:alt") == headline
    assert (page.first("og:image:width"), page.first("og:image:height")) == ("1200", "630")
    assert page.json_ld[0]["image"]["url"] == url
    card = fetch_card(client, url)
    assert (card.format, card.size) == ("PNG", (1200, 630))
    assert ink_columns(card) > 200, "the headline is drawn"
    stored = list((media_root / "cards").iterdir())
    assert [path.name for path in stored] == [url.rsplit("/", 1)[1]]


def test_the_card_is_drawn_once_and_again_only_when_the_headline_changes(client, media_root, monkeypatch):
    article = make_article(languages=("en",))
    url = read(client, url_in(article, "en")).first("og:image")
    fetch_card(client, url)
    drawn = []
    monkeypatch.setattr(share_cards, "draw", lambda *args: drawn.append(args) or b"\x89PNG")
    assert client.get(url.removeprefix(ORIGIN)).content != b"\x89PNG"  # read from storage
    article.headline_en = "A corrected headline"
    article.save()
    article.publish_language("en")
    new_url = read(client, url_in(article, "en")).first("og:image")
    assert new_url != url
    response = client.get(url.removeprefix(ORIGIN))
    assert (response.status_code, response["Location"]) == (302, new_url.removeprefix(ORIGIN))
    client.get(new_url.removeprefix(ORIGIN))
    assert drawn == [("A corrected headline", "en")]


def test_a_report_with_a_lead_image_shares_the_picture_not_a_drawn_card(client):
    image = Image.objects.create(file=stored_original(read_upload(upload())), title="Harbour", alt_text_en="Boats")
    article = make_article(lead_image=image)
    page = read(client, url_in(article, "en"))
    assert page.first("og:image") == ORIGIN + image.share_card()["url"]
    assert "/cards/" not in page.first("twitter:image")


def test_no_card_for_an_unpublished_language_or_an_unknown_report(client):
    article = make_article(languages=("en", "ja"), publish=["en"])
    edition = Edition(article_id=article.pk, language="ja", headline=article.headline_ja)
    assert client.get(share_cards.card_path(edition)).status_code == 404
    edition.article_id = 999999
    assert client.get(share_cards.card_path(edition)).status_code == 404
    assert client.post(share_cards.card_path(Edition.objects.get(article=article, language="en"))).status_code == 405


def test_without_a_font_for_the_script_the_card_shows_the_site_name_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(share_cards, "FONT_DIRECTORIES", [])
    share_cards.font_file.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="articles.share_cards"):
            card = PillowImage.open(io.BytesIO(share_cards.draw("東京の港", "ja")))
    finally:
        share_cards.font_file.cache_clear()
    assert card.size == (1200, 630)
    assert ink_columns(card) == 0
    assert "No font for the ja script" in caplog.text


def test_the_card_takes_the_sites_colours_from_its_stylesheet(monkeypatch, tmp_path):
    stylesheet = tmp_path / "site.css"
    stylesheet.write_text(":root {\n  --ink: #102030;\n  --paper: #f0f8ff;\n  --accent: #005a9c;\n}\n")
    monkeypatch.setattr(share_cards, "SITE_CSS", stylesheet)
    share_cards.colours.cache_clear()
    try:
        card = PillowImage.open(io.BytesIO(share_cards.draw("A headline", "en"))).convert("RGB")
    finally:
        share_cards.colours.cache_clear()
    assert card.getpixel((5, 5)) == (0x00, 0x5A, 0x9C)  # the accent bar
    assert card.getpixel((600, 620)) == (0xF0, 0xF8, 0xFF)  # the paper
    assert (0x10, 0x20, 0x30) in {colour for _count, colour in card.getcolors(maxcolors=100_000)}  # the ink
