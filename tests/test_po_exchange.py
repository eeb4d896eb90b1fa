"""PO exchange: export_translations and import_translations, through call_command."""

import os
from io import StringIO

import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.models import Article, TranslationBasis, TranslationState
from articles.po_exchange import export_translations
from articles.po_xliff import po_to_xliff
from tests.factories import make_article, make_section, make_translator

pytestmark = pytest.mark.django_db


def export(tmp_path, *args):
    path = tmp_path / "out.po"
    call_command("export_translations", *args, "-o", str(path), stderr=StringIO())
    return path, polib.pofile(str(path))


def run_import(path, *args):
    out = StringIO()
    call_command("import_translations", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def entry(po, article, field):
    return po.find(f"report:{article.pk}:{field}", by="msgctxt")


def database_state():
    articles = list(Article.objects.order_by("pk").values())
    for row in articles:
        row.pop("updated_at")
    bases = list(TranslationBasis.objects.order_by("pk").values("article", "language", "field", "source_fingerprint"))
    return articles, bases


def revise(article, **texts):
    for name, value in texts.items():
        setattr(article, name, value)
    article.save()
    return Article.objects.get(pk=article.pk)


def test_export_has_an_entry_per_report_field_with_source_translation_and_comments(tmp_path):
    article = make_article(languages=["en", "ja"])
    untranslated = make_article(languages=["en"])
    _path, po = export(tmp_path, "--language", "ja", "--base-url", "https://news.example/")
    assert po.metadata["Language"] == "ja"
    headline = entry(po, article, "headline")
    assert headline.msgid == article.headline_en
    assert headline.msgstr == article.headline_ja
    assert f"Report {article.pk}: {article.headline_en}" in headline.comment
    assert f"Page: https://news.example/en/news/{article.pk}/" in headline.comment
    assert f"Admin: https://news.example/admin/articles/article/{article.pk}/change/" in headline.comment
    assert entry(po, article, "body:0").msgid == article.body_en.split("\n\n")[0]
    assert entry(po, article, "body:1").msgstr == "The second paragraph."
    assert entry(po, untranslated, "summary").msgstr == ""
    assert len(po) == 8
    assert not any(e.fuzzy for e in po)


def test_export_flags_outdated_translations_fuzzy_and_filters_missing_or_outdated(tmp_path):
    outdated = revise(make_article(languages=["en", "ja"]), body_en="A revised body.")
    untranslated = make_article(languages=["en"])
    current = make_article(languages=["en", "ja"])
    _path, everything = export(tmp_path, "--language", "ja")
    assert entry(everything, outdated, "body:0").fuzzy
    assert not entry(everything, outdated, "headline").fuzzy
    _path, only_outdated = export(tmp_path, "--language", "ja", "--outdated")
    assert [e.msgctxt for e in only_outdated] == [f"report:{outdated.pk}:body:0"]
    _path, only_missing = export(tmp_path, "--language", "ja", "--missing")
    assert {e.msgctxt.split(":")[1] for e in only_missing} == {str(untranslated.pk)}
    _path, both = export(tmp_path, "--language", "ja", "--missing", "--outdated")
    assert len(both) == 5
    assert entry(both, current, "body:0") is None


def test_export_leaves_out_reports_written_in_that_language_and_other_sections(tmp_path):
    world = make_section(name_en="World", slug_en="world")
    in_world = make_article(languages=["en"], section=world)
    make_article(languages=["en"])
    written_in_japanese = make_article(languages=["ja"], original_language="ja", section=world)
    _path, po = export(tmp_path, "--language", "ja", "--section", "world")
    assert {e.msgctxt.split(":")[1] for e in po} == {str(in_world.pk)}
    assert entry(po, written_in_japanese, "headline") is None


def test_export_to_standard_output_is_a_po_file():
    make_article(languages=["en", "fr"])
    out, err = StringIO(), StringIO()
    call_command("export_translations", "--language", "fr", stdout=out, stderr=err)
    assert len(polib.pofile(out.getvalue())) == 4
    assert "4 entries from 1 reports for 'fr'" in err.getvalue()


def test_export_refuses_an_unknown_language_or_section():
    with pytest.raises(CommandError, match="unknown language 'xx'"):
        call_command("export_translations", "--language", "xx", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="unknown section 'nowhere'"):
        call_command(
            "export_translations", "--language", "ja", "--section", "nowhere", stdout=StringIO(), stderr=StringIO()
        )


def test_a_round_trip_changes_nothing(tmp_path):
    make_article(languages=["en", "zh-hans"], body_en='Line one\r\n\r\n"Quoted" — and \\ a backslash.')
    revise(make_article(languages=["en", "zh-hans"]), summary_en="Revised summary.")
    make_article(languages=["en"])
    make_article(languages=["ja", "zh-hans"], original_language="ja")
    before = database_state()
    path, po = export(tmp_path, "--language", "zh-hans")
    assert po.metadata["Language"] == "zh_Hans"
    output = run_import(path)
    assert database_state() == before
    assert "Applied 0 'zh-hans' translations and confirmed 0" in output


def test_translations_made_in_a_tool_are_applied_and_count_as_up_to_date(tmp_path):
    article = revise(make_article(languages=["en", "ja"]), headline_en="Tokyo opens a new library")
    untranslated = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "ja")
    outdated = entry(po, article, "headline")
    outdated.msgstr, outdated.flags = "東京に新しい図書館", []
    entry(po, untranslated, "summary").msgstr = "要約です。"
    po.save(str(path))
    output = run_import(path, "--language", "ja")
    article, untranslated = Article.objects.get(pk=article.pk), Article.objects.get(pk=untranslated.pk)
    assert article.headline_ja == "東京に新しい図書館"
    assert article.translation_state("ja") == TranslationState.COMPLETE
    assert untranslated.summary_ja == "要約です。"
    assert untranslated.headline_ja in ("", None)
    assert "Applied 2 'ja' translations and confirmed 0 to 2 reports" in output
    assert f"applied    report:{article.pk}:headline" in output


def revise_second_paragraph(article):
    first = article.body_en.split("\n\n")[0]
    return revise(article, body_en=f"{first}\n\nA revised second paragraph.")


def test_clearing_the_fuzzy_flag_without_editing_confirms_the_translation(tmp_path):
    article = revise_second_paragraph(make_article(languages=["en", "ja"]))
    path, po = export(tmp_path, "--language", "ja")
    entry(po, article, "body:1").flags = []
    po.save(str(path))
    output = run_import(path)
    assert f"confirmed  report:{article.pk}:body:1" in output
    assert Article.objects.get(pk=article.pk).translation_state("ja") == TranslationState.COMPLETE


def test_fuzzy_entries_are_skipped_as_needing_review(tmp_path):
    article = revise_second_paragraph(make_article(languages=["en", "ja"]))
    body_before = article.body_ja
    path, po = export(tmp_path, "--language", "ja")
    entry(po, article, "body:1").msgstr = "機械的な下書き"
    po.save(str(path))
    output = run_import(path)
    assert f"skipped    report:{article.pk}:body:1: marked fuzzy, needs review" in output
    assert Article.objects.get(pk=article.pk).body_ja == body_before


def test_entries_whose_source_changed_since_the_export_are_reported_not_applied(tmp_path):
    article = make_article(languages=["en"])
    other = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "de")
    for e in po:
        e.msgstr = f"Deutsch: {e.msgid}"
    po.save(str(path))
    revise(article, headline_en="The editor rewrote the headline meanwhile")
    output = run_import(path)
    assert f"skipped    report:{article.pk}:headline: the source text has changed since the export" in output
    article, other = Article.objects.get(pk=article.pk), Article.objects.get(pk=other.pk)
    assert article.headline_de in ("", None)
    assert article.body_de == f"Deutsch: {article.body_en}".replace("\n\n", "\n\nDeutsch: ")
    assert other.headline_de == f"Deutsch: {other.headline_en}"


def test_an_empty_translation_never_replaces_text(tmp_path):
    article = make_article(languages=["en", "fr"])
    path, po = export(tmp_path, "--language", "fr")
    entry(po, article, "summary").msgstr = ""
    po.save(str(path))
    output = run_import(path)
    assert f"skipped    report:{article.pk}:summary: not translated" in output
    assert Article.objects.get(pk=article.pk).summary_fr == article.summary_fr


def test_unknown_reports_or_fields_refuse_the_whole_file(tmp_path):
    article = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "it")
    for e in po:
        e.msgstr = "Italiano"
    po.append(polib.POEntry(msgctxt="report:999999:headline", msgid="Gone", msgstr="Sparito"))
    po.append(polib.POEntry(msgctxt=f"report:{article.pk}:slug", msgid="x", msgstr="y"))
    po.save(str(path))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_translations", str(path), stdout=StringIO(), stderr=err)
    assert "there is no report 999999" in err.getvalue()
    assert f"msgctxt 'report:{article.pk}:slug' names no report field" in err.getvalue()
    assert Article.objects.get(pk=article.pk).headline_it in ("", None)


def test_a_file_of_another_language_is_refused(tmp_path):
    article = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "es")
    for e in po:
        e.msgstr = "Español"
    po.save(str(path))
    with pytest.raises(CommandError):
        call_command("import_translations", str(path), "--language", "pt", stdout=StringIO(), stderr=StringIO())
    po.metadata["Language"] = ""
    po.save(str(path))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(path), stdout=StringIO(), stderr=err)
    assert "names no Language" in err.getvalue()
    assert Article.objects.get(pk=article.pk).headline_es in ("", None)


def test_a_translation_into_the_reports_own_language_is_refused(tmp_path):
    article = make_article(languages=["en", "ja"])
    path, po = export(tmp_path, "--language", "ja")
    po.append(polib.POEntry(msgctxt=f"report:{article.pk}:headline", msgid="x", msgstr="y"))
    po.metadata["Language"] = "en"
    po.save(str(path))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(path), stdout=StringIO(), stderr=err)
    assert f"report {article.pk} is written in en" in err.getvalue()


def test_a_file_that_is_not_po_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nmsgctxt "report:1:headline"\nnonsense here\n')
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_translations", str(path), stdout=StringIO(), stderr=err)
    assert f"{path}: Syntax error in po file (line 6)" in err.getvalue()


def test_dry_run_reports_what_would_be_applied_and_writes_nothing(tmp_path):
    article = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "fi")
    for e in po:
        e.msgstr = "Suomeksi"
    po.save(str(path))
    before = database_state()
    output = run_import(path, "--dry-run")
    assert "Dry run, nothing written: would have applied 4 'fi' translations" in output
    assert database_state() == before
    assert Article.objects.get(pk=article.pk).headline_fi in ("", None)


def rewrap(text, width):
    """Split every quoted PO string line into pieces of ``width`` characters, as editors re-wrap files."""
    lines = []
    for line in text.splitlines():
        if not line.startswith('"') or len(line) <= width:
            lines.append(line)
            continue
        inner, piece = line[1:-1], ""
        for character in inner:
            piece += character
            # Never end a piece inside an escape sequence such as \n or \".
            trailing = len(piece) - len(piece.rstrip("\\"))
            if len(piece) >= width and trailing % 2 == 0:
                lines.append(f'"{piece}"')
                piece = ""
        if piece:
            lines.append(f'"{piece}"')
    return "\n".join(lines) + "\n"


def test_a_file_rewrapped_by_a_translation_tool_still_round_trips(tmp_path):
    make_article(
        languages=["en", "el"],
        body_en="A long line of a paragraph,\n" * 20 + '\nAnd a second one, with "quotes" \\ — “these”.',
    )
    before = database_state()
    path, _po = export(tmp_path, "--language", "el")
    exported = path.read_text()
    path.write_text(rewrap(exported, 12))
    assert len(path.read_text().splitlines()) > len(exported.splitlines()) + 10
    assert "Applied 0 'el' translations" in run_import(path)
    assert database_state() == before


def test_a_translation_with_a_nul_character_is_skipped_not_stored(tmp_path):
    article = make_article(languages=["en", "fr"])
    path, po = export(tmp_path, "--language", "fr")
    entry(po, article, "summary").msgstr = "Résumé\x00caché"
    po.save(str(path))
    output = run_import(path)
    assert f"skipped    report:{article.pk}:summary: the translation contains a NUL character" in output
    assert Article.objects.get(pk=article.pk).summary_fr == article.summary_fr


# Files from anywhere: any declared charset read correctly, anything else refused with a message


def refused_import(path):
    """What import_translations says of a file it refuses: a message, never a traceback."""
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_translations", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def saved_in(tmp_path, po, charset):
    """``po`` written in ``charset``, as its header declares (as msgconv would write it)."""
    po.metadata["Content-Type"] = f"text/plain; charset={charset}"
    path = tmp_path / f"{charset}.po"
    path.write_bytes(str(po).encode(charset))
    return path


@pytest.mark.parametrize(
    ("language", "charset", "translation"),
    # "ソ" is 0x83 0x5C in Shift_JIS: its second byte is a backslash in ASCII.
    [("fr", "ISO-8859-1", "Résumé à l'oeil"), ("ru", "KOI8-R", "Краткое содержание"), ("ja", "Shift_JIS", "要約ソ表")],
)
def test_a_file_in_the_charset_its_header_declares_is_read(tmp_path, language, charset, translation):
    article = make_article(languages=["en"])
    _path, po = export(tmp_path, "--language", language)
    entry(po, article, "summary").msgstr = translation
    assert "applied    report" in run_import(saved_in(tmp_path, po, charset))
    assert getattr(Article.objects.get(pk=article.pk), f"summary_{language}") == translation


def test_text_that_is_not_in_the_declared_charset_is_refused_naming_the_line(tmp_path):
    article = make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "fr")
    entry(po, article, "summary").msgstr = "Résumé"
    path.write_bytes(str(po).encode("latin-1"))  # The header still says UTF-8.
    line = str(po).encode("latin-1").split(b"R\xe9sum\xe9")[0].count(b"\n") + 1
    assert f"{path}:{line}: not UTF-8 text (invalid continuation byte)" in refused_import(path)


def test_an_unknown_charset_is_refused(tmp_path):
    make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "fr")
    po.metadata["Content-Type"] = "text/plain; charset=klingon-8"
    po.save(str(path))
    assert f"{path}: the header declares an unknown charset 'klingon-8'" in refused_import(path)


def test_utf16_files_are_refused_with_a_message(tmp_path):
    make_article(languages=["en"])
    path, po = export(tmp_path, "--language", "fr")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-16"
    path.write_bytes(str(po).encode("utf-16"))  # With a byte order mark
    assert "the file is in UTF-16 or UTF-32; save it as UTF-8" in refused_import(path)
    path.write_bytes(str(po).encode("utf-16-le"))  # Without
    assert f"{path}: a binary file (or UTF-16), not a PO file" in refused_import(path)


def test_binary_files_are_refused_with_a_message(tmp_path):
    compiled = tmp_path / "django.mo"
    compiled.write_bytes(polib.pofile("locale/fr/LC_MESSAGES/django.po").to_binary())
    assert f"{compiled}: a binary file (or UTF-16), not a PO file" in refused_import(compiled)
    image = tmp_path / "image.po"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 4)
    assert f"{image}:1: not utf-8 text (invalid start byte)" in refused_import(image)


def test_pipes_devices_and_huge_files_are_refused_unread(tmp_path, settings):
    pipe = tmp_path / "pipe.po"
    os.mkfifo(pipe)
    assert f"{pipe}: not a regular file" in refused_import(pipe)
    assert "/dev/zero: not a regular file" in refused_import("/dev/zero")
    huge = tmp_path / "huge.po"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024 + 1)
    assert f"{huge}: larger than 50 MB" in refused_import(huge)


# Translators download and upload their files in the admin

FILES_URL = "/admin/articles/article/translation-files/"


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def upload(client, name, content, language="ja", **fields):
    data = {"language": language, "file": SimpleUploadedFile(name, content), **fields}
    return client.post(FILES_URL, data, follow=True)


def test_the_report_list_and_my_translations_link_translators_to_their_files_page(client):
    client.force_login(make_translator("ja"))
    assert FILES_URL in client.get("/admin/articles/article/").content.decode()
    assert FILES_URL in client.get("/admin/articles/article/my-translations/").content.decode()
    page = client.get(FILES_URL)
    assert page.status_code == 200
    choices = [value for value, _label in page.context["download_form"].fields["language"].choices]
    assert choices == ["ja"]  # Only their languages.
    assert "日本語" in page.content.decode()


def test_a_person_who_translates_nothing_has_no_files_page(client):
    staff = get_user_model().objects.create_user("clerk", "clerk@example.org", "a long password 1", is_staff=True)
    client.force_login(staff)
    assert client.get(FILES_URL).status_code == 403
    assert client.get(FILES_URL + "download/?language=ja&file_format=po").status_code == 403


def test_a_translator_downloads_a_po_file_of_their_language_only(client):
    article = make_article(languages=["en"])
    client.force_login(make_translator("ja"))
    response = client.get(FILES_URL + "download/", {"language": "ja", "file_format": "po"})
    assert response["Content-Disposition"] == 'attachment; filename="reports-ja.po"'
    assert "no-store" in response["Cache-Control"]
    po = polib.pofile(b"".join(response.streaming_content).decode())
    assert po.metadata["Language"] == "ja"
    assert entry(po, article, "body:1").msgid == "The second paragraph."
    assert (
        f"Admin: http://testserver/admin/articles/article/{article.pk}/change/"
        in entry(po, article, "headline").comment
    )
    refused = client.get(FILES_URL + "download/", {"language": "fr", "file_format": "po"}, follow=True)
    assert "Choose one of your languages and a format." in page_messages(refused)


def test_an_uploaded_po_file_is_imported_through_the_desk_as_the_translator(client):
    article = make_article(languages=["en"])
    translator = make_translator("ja")
    client.force_login(translator)
    po = polib.pofile(export_text("ja"))
    for e in po:
        e.msgstr = f"日本語 {e.msgid}"
    entry(po, article, "summary").flags = ["fuzzy"]
    response = upload(client, "reports-ja.po", str(po).encode())
    shown = page_messages(response)
    assert (
        "Imported reports-ja.po: 3 translations applied and 0 confirmed in 1 reports; 0 unchanged, 1 skipped." in shown
    )
    assert f"Skipped report:{article.pk}:summary: marked fuzzy, needs review" in shown
    article = Article.objects.get(pk=article.pk)
    assert article.headline_ja == f"日本語 {article.headline_en}"
    latest = Version.objects.get_for_object(article).first().revision
    assert latest.user == translator
    assert "PO import" in latest.comment and "reports-ja.po" in latest.comment


def test_an_uploaded_xliff_file_is_imported(client):
    article = make_article(languages=["en"])
    client.force_login(make_translator("ja"))
    download = client.get(FILES_URL + "download/", {"language": "ja", "file_format": "xliff"})
    assert download["Content-Disposition"] == 'attachment; filename="reports-ja.xlf"'
    po = polib.pofile(export_text("ja"))
    for e in po:
        e.msgstr = f"日本語 {e.msgid}"
    response = upload(client, "reports-ja.xlf", po_to_xliff(str(po)))
    assert "Imported reports-ja.xlf: 4 translations applied" in page_messages(response)[0]
    assert Article.objects.get(pk=article.pk).body_ja.startswith("日本語 ")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("image.po", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)), "image.po:1: not utf-8 text"),
        ("wide.po", 'msgid ""\nmsgstr ""\n'.encode("utf-16"), "the file is in UTF-16 or UTF-32"),
        ("broken.po", b'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\nnonsense\n', "broken.po: Syntax error in po file"),
        ("french.po", b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n', "french.po: this is a 'fr' file, not 'ja'"),
        ("bad.xlf", b"<xliff><unclosed>", "bad.xlf: not an XLIFF file"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_written(client, name, content, message):
    article = make_article(languages=["en"])
    client.force_login(make_translator("ja"))
    before = database_state()
    shown = page_messages(upload(client, name, content))
    assert shown[0].startswith(f"Nothing was imported from {name}: 1 problem")
    assert any(message in line for line in shown), shown
    assert database_state() == before
    assert Article.objects.get(pk=article.pk).headline_ja in ("", None)


def test_a_tampered_upload_for_another_language_is_refused(client):
    make_article(languages=["en"])
    client.force_login(make_translator("ja"))
    po = polib.pofile(export_text("fr"))
    for e in po:
        e.msgstr = "Français"
    before = database_state()
    response = upload(client, "reports-fr.po", str(po).encode(), language="fr")
    assert "Select a valid choice" in response.content.decode()
    assert database_state() == before


def export_text(language):
    return export_translations(language).text()
