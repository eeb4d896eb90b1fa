"""PO files at paragraph level: a body segment per paragraph, subhead, quote or list item, and round trips
through real tools (translate-toolkit's po2xliff/xliff2po, GNU gettext's msgcat)."""

import shutil
import subprocess
import tracemalloc

import polib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from translate.convert import po2xliff, xliff2po
from translate.storage import po as toolkit_po

from articles import po_exchange
from articles.models import Article, TranslationState
from articles.po_exchange import TranslationExchangeError, export_translations, import_translations
from articles.po_xliff import po_to_xliff, read_xliff
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BODY_EN = """The council met on Monday.

## What was decided

> "We will build it," the mayor said.

- a library
- a park

The vote was close."""

BODY_JA = """議会は月曜日に開かれた。

## 決まったこと

> 「建てます」と市長は述べた。

- 図書館
- 公園

投票は僅差だった。"""


def exported(language, **options):
    return polib.pofile(export_translations(language, **options).text())


def entry(po, article, context):
    return po.find(f"report:{article.pk}:{context}", by="msgctxt")


def saved(tmp_path, po, name="reports.po"):
    path = tmp_path / name
    path.write_text(str(po), encoding="utf-8")
    return path


def reload(article):
    return Article.objects.get(pk=article.pk)


def test_a_body_goes_out_one_segment_per_paragraph_subhead_quote_and_list_item():
    article = make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    po = exported("ja")
    segments = [e for e in po if e.msgctxt.startswith(f"report:{article.pk}:body:")]
    assert [e.msgctxt for e in segments] == [f"report:{article.pk}:body:{n}" for n in range(6)]
    assert [e.msgid for e in segments] == [
        "The council met on Monday.",
        "## What was decided",
        '> "We will build it," the mayor said.',
        "- a library",
        "- a park",
        "The vote was close.",
    ]
    assert [e.msgstr for e in segments] == BODY_JA.replace("\n\n", "\n").split("\n")
    assert "Body segment 2 of 6: subhead" in segments[1].comment
    assert "Keep its Markdown markers" in segments[1].comment
    assert entry(po, article, "headline").msgid == article.headline_en
    assert entry(po, article, "summary").msgstr == article.summary_ja
    assert not any(e.fuzzy for e in po)


def test_an_edit_to_one_paragraph_makes_only_its_segment_fuzzy_with_the_previous_source():
    article = make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    article.body_en = BODY_EN.replace("The vote was close.", "The vote was very close.")
    article.save()
    po = exported("ja")
    fuzzy = [e for e in po if e.fuzzy]
    assert [e.msgctxt for e in fuzzy] == [f"report:{article.pk}:body:5"]
    assert fuzzy[0].previous_msgid == "The vote was close."
    assert fuzzy[0].msgstr == "投票は僅差だった。"
    text = export_translations("ja").text()
    assert '#| msgid "The vote was close."' in text


def test_a_new_paragraph_is_an_empty_segment_and_the_others_keep_their_translation():
    article = make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    article.body_en = BODY_EN.replace("## What", "A new paragraph.\n\n## What")
    article.save()
    po = exported("ja")
    assert entry(po, article, "body:1").msgid == "A new paragraph."
    assert entry(po, article, "body:1").msgstr == ""
    assert entry(po, article, "body:2").msgstr == "## 決まったこと"
    assert [e.msgctxt for e in po if e.fuzzy] == []


def test_an_outdated_headline_carries_its_previous_source():
    article = make_article(languages=["en", "ja"])
    old = article.headline_en
    article.headline_en = "A sharper headline"
    article.save()
    headline = entry(exported("ja"), article, "headline")
    assert headline.fuzzy
    assert headline.previous_msgid == old


def test_the_import_reassembles_the_body_in_order_with_the_sources_separators(tmp_path):
    article = make_article(languages=["en"], body_en=BODY_EN)
    po = exported("ja")
    translations = iter(BODY_JA.replace("\n\n", "\n").split("\n"))
    for e in po:
        e.msgstr = next(translations) if ":body:" in e.msgctxt else f"訳: {e.msgid}"
    summary = import_translations(saved(tmp_path, po), language="ja")
    assert reload(article).body_ja == BODY_JA
    assert len(summary.applied) == 8
    assert reload(article).translation_state("ja") == TranslationState.COMPLETE


def test_translating_the_changed_paragraph_brings_the_body_up_to_date(tmp_path):
    article = make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    article.body_en = BODY_EN.replace("The vote was close.", "The vote was very close.")
    article.save()
    po = exported("ja")
    changed = entry(po, article, "body:5")
    changed.msgstr, changed.flags = "投票は非常に僅差だった。", []
    summary = import_translations(saved(tmp_path, po))
    article = reload(article)
    assert article.body_ja == BODY_JA.replace("投票は僅差だった。", "投票は非常に僅差だった。")
    assert summary.applied == [f"report:{article.pk}:body:5"]
    assert article.translation_state("ja") == TranslationState.COMPLETE


def test_a_body_with_segments_still_to_translate_is_skipped_and_says_which(tmp_path):
    article = make_article(languages=["en"], body_en=BODY_EN)
    po = exported("ja")
    entry(po, article, "body:0").msgstr = "議会は月曜日に開かれた。"
    summary = import_translations(saved(tmp_path, po))
    assert reload(article).body_ja in ("", None)
    assert (
        f"report:{article.pk}:body:0",
        "the body is written only whole, and its segments 2, 3, 4, 5, 6 are not ready",
    ) in summary.skipped
    assert (f"report:{article.pk}:body:1", "not translated") in summary.skipped


def test_a_file_whose_segments_no_longer_match_the_source_is_refused_whole(tmp_path):
    article = make_article(languages=["en"], body_en=BODY_EN)
    other = make_article(languages=["en"])
    po = exported("de")
    for e in po:
        e.msgstr = f"DE {e.msgid}" if not e.msgid.startswith(("#", ">", "-")) else e.msgid
    path = saved(tmp_path, po)
    article.body_en = BODY_EN + "\n\nOne more paragraph."
    article.save()
    with pytest.raises(TranslationExchangeError) as refused:
        import_translations(path)
    assert f"report {article.pk}: the file has body segments 1, 2, 3, 4, 5, 6, the source body now has 7" in str(
        refused.value
    )
    assert reload(other).headline_de in ("", None)  # All or nothing.


def test_a_segment_whose_kind_changed_in_the_source_is_refused_naming_it(tmp_path):
    article = make_article(languages=["en"], body_en=BODY_EN)
    po = exported("fr")
    path = saved(tmp_path, po)
    article.body_en = BODY_EN.replace("## What was decided", "What was decided")
    article.save()
    with pytest.raises(TranslationExchangeError, match=f"report {article.pk}, body segment 2 is a subhead in the file"):
        import_translations(path)


def test_a_translation_that_drops_a_segments_markers_is_refused_naming_it(tmp_path):
    article = make_article(languages=["en"], body_en=BODY_EN)
    po = exported("fr")
    for e in po:
        e.msgstr = e.msgid
    entry(po, article, "body:1").msgstr = "Ce qui a été décidé"
    entry(po, article, "body:2").msgstr = "Un paragraphe.\n\nEt un autre."
    with pytest.raises(TranslationExchangeError) as refused:
        import_translations(saved(tmp_path, po))
    problems = "\n".join(refused.value.problems)
    assert f"report {article.pk}, body segment 2: the translation makes paragraph, the source one subhead" in problems
    assert "body segment 3: the translation makes paragraph, paragraph, the source one quote" in problems
    assert reload(article).body_fr in ("", None)


def test_a_file_exported_before_bodies_were_split_still_imports(tmp_path):
    article = make_article(languages=["en"])
    po = polib.POFile()
    po.metadata = {"Language": "it", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt=f"report:{article.pk}:body", msgid=article.body_en, msgstr="Corpo intero."))
    import_translations(saved(tmp_path, po))
    assert reload(article).body_it == "Corpo intero."


def test_export_reads_reports_in_chunks_with_a_constant_number_of_queries(monkeypatch):
    monkeypatch.setattr(po_exchange, "EXPORT_CHUNK_SIZE", 2)
    for _ in range(2):
        make_article(languages=["en", "ja"])
    with CaptureQueriesContext(connection) as few:
        export_translations("ja").text()
    for _ in range(2):
        make_article(languages=["en", "ja"])
    with CaptureQueriesContext(connection) as more:
        export_translations("ja").text()
    assert len(more) - len(few) == 2  # One more chunk: its reports' bases and previous sources.
    report_query = next(query["sql"] for query in more if '"articles_article"."live_slugs"' in query["sql"])
    assert "body_de" not in report_query  # Only the columns the file needs.
    assert "source_url" not in report_query


# Round trips through real tools


def translated_file(tmp_path):
    article = make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    article.body_en = BODY_EN.replace("The vote was close.", "The vote was very close.")
    article.save()
    untranslated = make_article(languages=["en"])
    po = exported("ja")
    changed = entry(po, article, "body:5")
    changed.msgstr, changed.flags = "投票は非常に僅差だった。", []
    entry(po, untranslated, "headline").msgstr = "新しい見出し"
    return article, untranslated, saved(tmp_path, po)


def test_po_to_xliff_to_po_with_translate_toolkit_imports_cleanly(tmp_path):
    article, untranslated, path = translated_file(tmp_path)
    xliff = po2xliff.po2xliff().convertstore(toolkit_po.pofile(path.read_bytes()))
    assert b'target-language="ja"' in xliff
    back = tmp_path / "back.po"
    back.write_bytes(bytes(xliff2po.xliff2po().convertstore(xliff)))
    # The toolkit drops msgctxt; the #: reference that names the field survives.
    assert [e.msgctxt for e in polib.pofile(str(back)) if e.msgid][:2] == [None, None]
    summary = import_translations(back, language="ja")
    assert set(summary.applied) == {f"report:{article.pk}:body:5", f"report:{untranslated.pk}:headline"}
    assert reload(article).body_ja.endswith("投票は非常に僅差だった。")
    assert reload(untranslated).headline_ja == "新しい見出し"


def test_an_xliff_download_converted_back_is_the_same_file(tmp_path):
    _article, _untranslated, path = translated_file(tmp_path)
    po = polib.pofile(str(path))
    back = read_xliff(po_to_xliff(str(po)), "reports.xlf")
    assert back.metadata["Language"] == "ja"
    pairs = {(e.msgctxt or po_exchange.context_of(e), e.msgid, e.msgstr, e.fuzzy) for e in back if e.msgid}
    assert pairs == {(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in po}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an XLIFF file"),
        (b"<html><body>no</body></html>", "not an XLIFF 1.1 or 1.2 file"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff>&e;</xliff>', "XLIFF"),
    ],
)
def test_a_file_that_is_not_xliff_is_refused_with_a_message(data, message):
    with pytest.raises(TranslationExchangeError, match=message):
        read_xliff(data, "upload.xlf")


MSGCAT = shutil.which("msgcat")


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext's msgcat is not installed (apt-get install gettext)")
def test_a_file_rewrapped_by_msgcat_imports_cleanly(tmp_path):
    article, untranslated, path = translated_file(tmp_path)
    before = Article.objects.get(pk=article.pk)
    rewrapped = tmp_path / "rewrapped.po"
    subprocess.run([MSGCAT, "--width=20", "-o", str(rewrapped), str(path)], check=True)
    assert rewrapped.read_text() != path.read_text()
    assert '"議会は' in rewrapped.read_text()
    summary = import_translations(rewrapped, language="ja")
    assert set(summary.applied) == {f"report:{article.pk}:body:5", f"report:{untranslated.pk}:headline"}
    assert reload(article).body_ja == BODY_JA.replace("投票は僅差だった。", "投票は非常に僅差だった。")
    assert reload(article).headline_ja == before.headline_ja


def test_a_body_stored_beyond_the_renderers_bounds_goes_out_whole():
    article = make_article(languages=["en"])
    Article.objects.filter(pk=article.pk).update(body_en="A bell \x07 stored before control characters were refused.")
    po = exported("ja")
    assert entry(po, article, "body").msgid.startswith("A bell \x07")
    assert entry(po, article, "body:0") is None


def test_export_memory_does_not_grow_with_the_number_of_reports(monkeypatch):
    monkeypatch.setattr(po_exchange, "EXPORT_CHUNK_SIZE", 5)

    def peak_while_streaming():
        result = export_translations("ja")
        tracemalloc.start()
        written = sum(len(chunk) for chunk in result.chunks())  # Written out as read, never held whole.
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return written, peak

    for _ in range(10):
        make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    peak_while_streaming()  # Once for what is made once (compiled queries, caches).
    small_file, small_peak = peak_while_streaming()
    for _ in range(30):
        make_article(languages=["en", "ja"], body_en=BODY_EN, body_ja=BODY_JA)
    large_file, large_peak = peak_while_streaming()
    assert large_file > 3.5 * small_file
    assert large_peak < 1.5 * small_peak
