"""Translators' files carry the alt text and captions of the pictures their reports show."""

from io import StringIO

import polib
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from reversion.models import Version

from articles import desk
from articles.coverage import content_coverage
from articles.images import read_upload, stored_original
from articles.models import Image
from articles.po_exchange import TranslationExchangeError, export_translations, import_po
from articles.po_xliff import po_to_xliff
from tests.factories import make_article, make_editor, make_translator
from tests.images import upload

pytestmark = pytest.mark.django_db
FILES_URL = "/admin/articles/article/translation-files/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(scope="module")
def photo():
    return read_upload(upload())


def make_image(photo, **texts):
    values = {"title": "Harbour at dawn", "alt_text_en": "Boats in a harbour", "caption_en": "The harbour at dawn."}
    values.update(texts)
    return Image.objects.create(file=stored_original(photo), **values)


def export_po(language, **options):
    return polib.pofile(export_translations(language, **options).text())


def find(po, context):
    return po.find(context, by="msgctxt")


def test_lead_and_body_pictures_go_out_with_their_reports_once_each(photo):
    lead = make_image(photo, alt_text_ja="港の船")
    placed = make_image(photo, title="Market", alt_text_en="A busy market", caption_en="")
    unused = make_image(photo, alt_text_en="Not shown anywhere")
    make_article(lead_image=lead, body_en=f"First paragraph.\n\n![](image:{placed.pk})\n\nLast.")
    make_article(lead_image=lead)
    po = export_po("ja")
    alt = find(po, f"image:{lead.pk}:alt_text")
    assert (alt.msgid, alt.msgstr) == ("Boats in a harbour", "港の船")
    assert f"Picture {lead.pk}: Harbour at dawn" in alt.comment
    caption = find(po, f"image:{lead.pk}:caption")
    assert (caption.msgid, caption.msgstr) == ("The harbour at dawn.", "")
    assert find(po, f"image:{placed.pk}:alt_text").msgid == "A busy market"
    # No caption in English, nothing to translate; a picture no report shows stays out.
    assert find(po, f"image:{placed.pk}:caption") is None
    assert find(po, f"image:{unused.pk}:alt_text") is None
    assert [entry.msgctxt for entry in po].count(f"image:{lead.pk}:alt_text") == 1


def test_missing_only_leaves_out_translated_picture_texts_and_english_files_have_none(photo):
    image = make_image(photo, alt_text_ja="港の船")
    make_article(languages=["en", "ja"], lead_image=image)
    po = export_po("ja", missing=True)
    assert find(po, f"image:{image.pk}:alt_text") is None
    assert find(po, f"image:{image.pk}:caption").msgstr == ""
    make_article(languages=["ja"], original_language="ja", lead_image=image)
    assert not [entry for entry in export_po("en") if entry.msgctxt.startswith("image:")]


def translated(po, texts):
    for entry in po:
        entry.msgstr = texts.get(entry.msgctxt, entry.msgstr)
    return po


def test_importing_writes_alt_text_and_caption_through_the_desk_with_a_revision(photo):
    image = make_image(photo)
    make_article(lead_image=image, body_en=f"Text.\n\n![](image:{image.pk})")
    translator = make_translator("ja")
    po = translated(
        export_po("ja"), {f"image:{image.pk}:alt_text": "港の船", f"image:{image.pk}:caption": "夜明けの港。"}
    )
    summary = import_po(po, "pictures-ja.po", actor=translator)
    assert f"image:{image.pk}:alt_text" in summary.applied
    image.refresh_from_db()
    assert (image.alt_text_ja, image.caption_ja) == ("港の船", "夜明けの港。")
    assert image.alt_text_en == "Boats in a harbour"
    version = Version.objects.get_for_object(image).get()
    assert version.revision.user == translator
    assert "pictures-ja.po" in version.revision.comment
    assert summary.reports == 0  # Pictures are no reports: the admin's message counts reports apart.


def test_a_picture_text_translated_from_an_old_source_or_fuzzy_is_skipped(photo):
    image = make_image(photo)
    make_article(lead_image=image)
    po = translated(
        export_po("ja"), {f"image:{image.pk}:alt_text": "港の船", f"image:{image.pk}:caption": "夜明けの港。"}
    )
    find(po, f"image:{image.pk}:caption").flags.append("fuzzy")
    image.alt_text_en = "Fishing boats in a harbour"
    image.save()
    summary = import_po(po, "ja.po")
    skipped = dict(summary.skipped)
    assert skipped[f"image:{image.pk}:alt_text"] == "the source text has changed since the export"
    assert skipped[f"image:{image.pk}:caption"] == "marked fuzzy, needs review"
    image.refresh_from_db()
    assert not (image.alt_text_ja or image.caption_ja)


def test_an_unknown_picture_or_too_long_alt_text_refuses_the_whole_file(photo):
    image = make_image(photo)
    make_article(lead_image=image)
    po = translated(export_po("ja"), {f"image:{image.pk}:caption": "夜明けの港。"})
    po.append(polib.POEntry(msgctxt="image:999999:alt_text", msgid="Gone", msgstr="消えた"))
    find(po, f"image:{image.pk}:alt_text").msgstr = "港" * 1001
    with pytest.raises(TranslationExchangeError) as refused:
        import_po(po, "ja.po")
    assert any("there is no picture 999999" in problem for problem in refused.value.problems)
    assert any("the alt_text is 1001 characters long, at most 1000" in problem for problem in refused.value.problems)
    image.refresh_from_db()
    assert not image.caption_ja


def test_a_translator_may_write_only_their_languages_alt_text_and_caption(photo):
    image = make_image(photo)
    translator = make_translator("ja")
    desk.edit_image(translator, image, {"alt_text_ja": "港の船"}, comment=None)
    for closed in ({"alt_text_ru": "Лодки"}, {"title": "Renamed"}, {"alt_text_en": "Changed"}):
        with pytest.raises(PermissionDenied):
            desk.edit_image(translator, image, closed)
    image.refresh_from_db()
    assert (image.alt_text_ja, image.title, image.alt_text_ru or "") == ("港の船", "Harbour at dawn", "")
    desk.edit_image(make_editor(), image, {"title": "Harbour"})
    assert Image.objects.get(pk=image.pk).title == "Harbour"


def test_an_uploaded_xliff_file_carries_picture_texts_through_the_files_page(client, photo):
    image = make_image(photo)
    make_article(lead_image=image)
    client.force_login(make_translator("ja"))
    po = translated(export_po("ja"), {f"image:{image.pk}:alt_text": "港の船"})
    data = {"language": "ja", "file": SimpleUploadedFile("ja.xlf", po_to_xliff(str(po)))}
    response = client.post(FILES_URL, data, follow=True)
    assert response.status_code == 200
    assert Image.objects.get(pk=image.pk).alt_text_ja == "港の船"


def test_translation_status_counts_pictures_missing_alt_text_per_language(photo):
    make_image(photo, alt_text_ja="港の船")
    make_image(photo, alt_text_en="")
    assert (content_coverage("ja").pictures, content_coverage("ja").pictures_missing_alt) == (2, 1)
    assert content_coverage("en").pictures_missing_alt == 1
    assert content_coverage("ru").pictures_missing_alt == 2
    out = StringIO()
    call_command("translation_status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[-1] == "no-alt"
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert (rows["ja"][-1], rows["ru"][-1]) == ("1/2", "2/2")
