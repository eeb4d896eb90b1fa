"""Give every existing report its editions: complete translations go out as published.

Before per-language publishing, a translation was live as soon as its three
fields were filled, so each complete translation (and a published report's
own language) becomes a published edition, rendered now; unreviewed machine
drafts and incomplete translations stay on the desk. The outdated flags and
the source texts of up-to-date translations are recorded from the stored
fingerprints.
"""

import hashlib

from django.conf import settings
from django.db import migrations
from modeltranslation.utils import build_localized_fieldname

from articles.rendering import RENDERER_VERSION, RenderError, fallback_html, plain_text, render_body, render_summary
from articles.slugs import make_slug

FIELDS = ("headline", "summary", "body")


def fingerprint(text):
    return hashlib.md5((text or "").encode("utf-8")).hexdigest()


def _rendered(render, text, paragraphs=True):
    # Text stored before the renderer refused anything (raw HTML, images,
    # links in a summary) still goes out, as plain text, until an editor fixes it.
    try:
        return render(text)
    except RenderError:
        return fallback_html(text, paragraphs=paragraphs)


def create_editions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Edition = apps.get_model("articles", "Edition")
    TranslationBasis = apps.get_model("articles", "TranslationBasis")
    SourceText = apps.get_model("articles", "SourceText")
    columns = [code for code, _name in settings.LANGUAGES]
    for article in Article.objects.iterator(chunk_size=200):
        def text(field, code, article=article):
            return getattr(article, build_localized_fieldname(field, code), "") or ""

        source = article.original_language
        current = {field: fingerprint(text(field, source)) for field in FIELDS}
        bases = list(TranslationBasis.objects.filter(article=article))
        machine_made, outdated = set(), set()
        for basis in bases:
            basis.outdated = basis.language != source and basis.source_fingerprint != current[basis.field]
            if basis.outdated:
                outdated.add(basis.language)
            if basis.machine_made:
                machine_made.add(basis.language)
        TranslationBasis.objects.bulk_update(bases, ["outdated"])
        SourceText.objects.bulk_create(
            [
                SourceText(article=article, field=field, fingerprint=current[field], text=text(field, source))
                for field in {basis.field for basis in bases if not basis.outdated}
            ],
            ignore_conflicts=True,
        )
        published = article.status == "published"
        editions, slugs = [], {}
        for code in columns:
            if not any(text(field, code) for field in FIELDS):
                continue
            complete = all(text(field, code) for field in FIELDS)
            is_original = code == source
            live = complete and ((is_original and published) or (not is_original and code not in machine_made))
            edition = Edition(
                article=article,
                language=code,
                complete=complete,
                outdated=code in outdated,
                is_original=is_original,
                state="machine" if code in machine_made else ("published" if live else "in_progress"),
                section_id=article.section_id,
                published_at=article.published_at,
            )
            if live:
                headline = text("headline", code)
                edition.is_live = True
                edition.listed = published
                edition.headline = headline
                edition.slug = text("slug", code) or make_slug(headline)
                edition.summary_html = _rendered(render_summary, text("summary", code), paragraphs=False)
                edition.summary_text = plain_text(text("summary", code))
                edition.body_html = _rendered(render_body, text("body", code))
                edition.renderer_version = RENDERER_VERSION
                edition.live_since = article.published_at or article.updated_at
                slugs[code] = edition.slug
            editions.append(edition)
        Edition.objects.bulk_create(editions)
        Article.objects.filter(pk=article.pk).update(live_slugs=slugs)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editions_and_review")]

    operations = [migrations.RunPython(create_editions, migrations.RunPython.noop)]
