"""Pictures (issue 12): a library of checked uploads, renditions made once, lead images on pages and cards."""

import io
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage

from articles import desk, limits
from articles.images import read_upload, stored_original
from articles.models import ContentVersion, Image
from tests.factories import make_article
from tests.images import GPS_TAG, photo_bytes, png_claiming, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_image(**texts):
    values = {"title": "Harbour at dawn", "credit": "Photo: Newsroom", "alt_text_en": "Boats in a harbour"}
    values.update(texts)
    return Image.objects.create(file=stored_original(read_upload(upload())), **values)


def admin_upload(admin_client, data, name="photo.jpg"):
    return admin_client.post(
        "/admin/articles/image/add/",
        {
            "file": upload(data, name=name),
            "title": "Harbour",
            "alt_text_en": "Boats in a harbour",
            "alt_text_ja": "港に並ぶ漁船",
            "caption_ja": "夜明けの港",
            "credit": "Photo: Newsroom",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )


def test_an_editor_uploads_a_photograph_and_it_is_stored_under_our_name_without_its_location(admin_client):
    response = admin_upload(admin_client, photo_bytes(gps=True), name="../../etc/passwd.jpg")
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    assert "passwd" not in image.file.name
    assert (image.width, image.height) == (800, 450)
    assert image.uploaded_by.username == "admin"
    with default_storage.open(image.file.name) as stored:
        exif = PillowImage.open(stored).getexif()
    assert GPS_TAG not in exif and not exif.get_ifd(GPS_TAG)


def test_renditions_are_made_once_in_every_width_and_modern_format(admin_client):
    admin_upload(admin_client, photo_bytes(size=(1000, 560)))
    image = Image.objects.get()
    made = {(r["format"], r["width"]) for r in image.renditions if not r.get("share")}
    assert made == {(f, w) for f in ("avif", "webp", "jpeg") for w in (320, 640, 960, 1000)}
    for rendition in image.renditions:
        with default_storage.open(rendition["name"]) as stored:
            picture = PillowImage.open(stored)
            assert picture.format == rendition["format"].upper()
            assert picture.size == (rendition["width"], rendition["height"])
    assert image.share_card()["width"] == 1200 and image.share_card()["height"] == 630


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a picture at all", "report.jpg", "not an image that can be shown"),
        (photo_bytes()[:2000], "cut-off.jpg", "not an image that can be shown"),
        (png_claiming(100_000, 100_000), "bomb.png", "too many pixels"),
        (photo_bytes(size=(120, 80)), "tiny.jpg", "at least 200"),
    ],
)
def test_a_file_that_is_not_a_usable_picture_gets_a_form_error_and_nothing_is_stored(
    admin_client, media_root, data, name, message
):
    response = admin_upload(admin_client, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_a_file_past_the_size_limit_is_refused_before_it_is_decoded(admin_client, monkeypatch):
    monkeypatch.setattr(limits, "IMAGE_MAX_BYTES", 10_000)
    response = admin_upload(admin_client, photo_bytes())
    assert "images of up to" in response.content.decode() or "larger than images may be" in response.content.decode()
    assert not Image.objects.exists()


def test_the_report_page_shows_the_lead_image_with_alt_text_and_caption_in_the_readers_language(client):
    image = make_image(alt_text_ja="港に並ぶ漁船", caption_ja="夜明けの港")
    article = make_article(languages=("en", "ja"), lead_image=image)
    page = client.get(f"/ja/news/{article.pk}/").content.decode()
    if "<picture>" not in page:  # redirected to the slug
        page = client.get(client.get(f"/ja/news/{article.pk}/")["Location"]).content.decode()
    assert '<source type="image/avif"' in page and '<source type="image/webp"' in page
    assert 'alt="港に並ぶ漁船"' in page
    assert "夜明けの港" in page and "Photo: Newsroom" in page
    assert 'width="800" height="450"' in page
    assert 'fetchpriority="high"' in page


def test_alt_text_missing_in_a_language_falls_back_to_the_default_language_marked_as_such(client):
    article = make_article(languages=("en", "ja"), lead_image=make_image())
    page = client.get(article.edition_shown_in("ja").get_absolute_url().replace("/en/", "/ja/"), follow=True)
    assert 'alt="Boats in a harbour" lang="en"' in page.content.decode()


def test_cards_show_a_lazy_thumbnail_and_lists_keep_their_query_budget(client):
    image = make_image()
    for _ in range(3):
        make_article(languages=("en",), lead_image=image)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/").content.decode()
    assert page.count('class="card__picture"') == 3
    assert 'loading="lazy"' in page
    assert len(queries) <= 4


def test_the_report_page_keeps_its_query_budget_with_a_lead_image(client):
    article = make_article(languages=("en",), lead_image=make_image())
    url = article.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 3


def test_choosing_or_changing_a_picture_is_seen_on_the_next_request(client):
    article = make_article(languages=("en",))
    image = make_image()
    desk.edit(desk.Operator("test"), article, {"lead_image": image})
    assert article.editions.get(language="en").lead_image == image
    version = ContentVersion.current()
    image.alt_text_en = "Fishing boats at dawn"
    image.save()
    assert ContentVersion.current() != version


def test_a_deleted_picture_leaves_its_reports_without_one(client):
    image = make_image()
    article = make_article(languages=("en",), lead_image=image)
    image.delete()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.editions.get(language="en").lead_image is None


def test_object_storage_is_configured_from_the_environment_without_a_network():
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "from django.conf import settings;"
        "print(s.__class__.__name__);"
        "print(s.url('images/a.jpg'));"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    environment = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "true",
        "NEWSROOM_S3_BUCKET": "newsroom-pictures",
        "NEWSROOM_S3_CUSTOM_DOMAIN": "pictures.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "S3Storage"
    assert lines[1] == "https://pictures.example.org/images/a.jpg"
    assert "https://pictures.example.org" in lines[2]


def test_read_upload_never_trusts_the_name(tmp_path):
    data = io.BytesIO(photo_bytes(image_format="PNG"))
    data.name, data.size = "looks-like.jpg", len(data.getvalue())
    stored = stored_original(read_upload(data))
    assert stored.name.endswith(".png")


def test_a_library_picture_placed_in_the_body_shows_with_its_caption_in_the_readers_language(client):
    image = make_image(alt_text_ja="港に並ぶ漁船", caption_ja="夜明けの港")
    article = make_article(languages=("en", "ja"))
    body = f"First paragraph.\n\n![](image:{image.pk})\n\nLast paragraph."
    desk.edit(desk.Operator("test"), article, {"body_ja": body})
    article.publish_language("ja")
    page = client.get(f"/ja/news/{article.pk}/", follow=True).content.decode()
    body_html = page.split('class="report__body"')[1]
    assert '<figure class="figure">' in body_html and "夜明けの港" in body_html
    assert 'alt="港に並ぶ漁船"' in body_html and 'loading="lazy"' in body_html
    # A new caption reaches the published body without republishing.
    image.caption_ja = "夜明けの漁港"
    image.save()
    assert "夜明けの漁港" in client.get(f"/ja/news/{article.pk}/", follow=True).content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("![](https://elsewhere.example/photo.jpg)", "only pictures of the library"),
        ("Text and ![](image:1) in one line.", "each on a line of its own"),
        ("![](image:999999)", "There is no picture 999999 in the library"),
    ],
)
def test_a_picture_the_body_cannot_show_is_a_form_error_never_dropped(admin_client, body, message):
    make_image()  # picture 1 exists
    article = make_article(languages=("en",))
    with pytest.raises(ValidationError) as refused:
        desk.edit(desk.Operator("test"), article, {"body_en": body})
    assert message in str(refused.value)


def test_the_same_picture_uploaded_twice_is_stored_and_rendered_once(media_root):
    first, second = make_image(), make_image(title="The same harbour")
    assert first.file.name == second.file.name
    assert first.renditions == second.renditions
    assert len(list((media_root / "images").iterdir())) == 1


def test_search_results_show_the_lead_image_as_a_thumbnail_within_the_query_budget(client):
    image = make_image()
    for _ in range(3):
        make_article(languages=("en",), lead_image=image, headline_en="Harbour reopens after storm")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/search/?q=harbour").content.decode()
    assert page.count('class="card__picture search-result__picture"') == 3
    assert len(queries) <= 4


def test_an_edition_records_the_pictures_its_body_places_and_only_those_are_rendered_again():
    placed, elsewhere = make_image(), make_image(title="Another harbour", credit="Photo: Other")
    article = make_article(languages=("en",))
    desk.edit(desk.Operator("test"), article, {"body_en": f"Text.\n\n![](image:{placed.pk})\n\nMore text."})
    edition = article.editions.get(language="en")
    assert list(edition.pictures.all()) == [placed]
    assert list(placed.placed_in()) == [edition]
    assert not elsewhere.placed_in().exists()
