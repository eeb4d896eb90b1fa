"""A translator's workspace in the report form: the source beside each field, what changed in it, and a queue.

For a person who translates some languages (not an editor, who keeps the
full form), each headline, summary and body of their languages gets a
read-only column beside it with the source text: the report's original, or
another language they chose (``?source=fr``, remembered in the session).
An outdated field also shows, as a word diff, what changed in the original
since the translation was made (articles/models/translation_records.py keeps
that text). Every person's form names languages by their own names, and
warns before leaving it with unsaved changes (a static script).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles import roles, translation_queue
from articles.history import shorten_unchanged, word_diff
from articles.models import TRANSLATED_TEXT_FIELDS, Article, localized, site_language_codes
from articles.roles import LANGUAGE_TEXT_FIELDS
from articles.templatetags.reader import bcp47, direction

SOURCE_SESSION_KEY = "workspace_source_language"
DIFF_MARKUP = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}


def language_name(code):
    return get_language_info(code)["name_local"]


def native_labels():
    """{column: "Headline (日本語)"} for every language's text columns, not modeltranslation's "headline [ja]"."""
    return {
        localized(name, code): format_lazy(
            "{} ({})", capfirst(Article._meta.get_field(name).verbose_name), language_name(code)
        )
        for code in site_language_codes()
        for name in LANGUAGE_TEXT_FIELDS
    }


def diff_html(before, after):
    """What turned ``before`` into ``after``, word by word (character by character in Chinese and Japanese)."""
    segments = shorten_unchanged(word_diff(before, after))
    return format_html_join("", "{}", ((format_html(DIFF_MARKUP[kind], text),) for kind, text in segments))


def source_panel(article, language, field, source_language):
    """The read-only column beside the ``language`` translation of ``field``: source text, and changes if outdated."""
    text = article.text(field, source_language)
    parts = [
        format_html(
            '<p class="workspace-label">{}</p><div class="workspace-text" lang="{}" dir="{}">{}</div>',
            format_lazy("{}: {}", _("Source"), language_name(source_language)),
            bcp47(source_language),
            direction(source_language),
            text or _("(empty)"),
        )
    ]
    if field in article.outdated_fields(language):
        original = article.original_language
        before = article.source_text_translated(language, field)
        if before is None:
            parts.append(
                format_html(
                    '<p class="workspace-label workspace-outdated">{}</p>',
                    _("The source has changed since this translation was made; its earlier text was not kept."),
                )
            )
        else:
            parts.append(
                format_html(
                    '<p class="workspace-label workspace-outdated">{}</p>'
                    '<div class="workspace-diff" lang="{}" dir="{}">{}</div>',
                    _("Changed in the source (%(language)s) since this translation was made:")
                    % {"language": language_name(original)},
                    bcp47(original),
                    direction(original),
                    diff_html(before, article.text(field, original)),
                )
            )
    return format_html(
        '<div class="workspace-source">{}</div>', format_html_join("", "{}", ((part,) for part in parts))
    )


class SourceBeside(forms.Widget):
    """A field's own widget, with a read-only column beside it (Django's RelatedFieldWidgetWrapper, simpler)."""

    def __init__(self, widget, panel):
        self.widget = widget
        self.panel = panel
        super().__init__()
        self.attrs = widget.attrs

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.widget = self.widget.__deepcopy__(memo)
        copied.attrs = copied.widget.attrs
        return copied

    @property
    def is_hidden(self):
        return self.widget.is_hidden

    @property
    def media(self):
        return self.widget.media

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '<div class="workspace-pair"><div class="workspace-own">{}</div>{}</div>',
            self.widget.render(name, value, attrs, renderer),
            self.panel,
        )

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)

    def use_required_attribute(self, initial):
        return self.widget.use_required_attribute(initial)


def chosen_source(article, language, chosen):
    """The language shown beside ``language``'s fields: ``chosen`` if it has the text, else the original."""
    if chosen and chosen != language and chosen in site_language_codes() and article.has_translation(chosen):
        return chosen
    return article.original_language


def place_sources(form, chosen):
    """Put the source column beside each text field of the person's languages in ``form`` (an existing report)."""
    article = form.stored
    for code in site_language_codes():
        for field in TRANSLATED_TEXT_FIELDS:
            name = localized(field, code)
            if name not in form.fields:
                continue
            source = chosen_source(article, code, chosen)
            if source == code:
                continue
            widget = form.fields[name].widget
            form.fields[name].widget = SourceBeside(widget, source_panel(article, code, field, source))


def mark_languages(form):
    """Give each language's fields its lang, and its name for the tabs (articles/static/articles/admin/workspace.js)."""
    for code in site_language_codes():
        for name in LANGUAGE_TEXT_FIELDS:
            field = form.fields.get(localized(name, code))
            if field is not None:
                field.widget.attrs.update({"lang": bcp47(code), "data-language-name": language_name(code)})


class WorkspaceMixin:
    """The translator's side of ArticleAdmin: sources beside fields, native language names, My translations."""

    # After modeltranslation's script, whose tabs it renames.
    workspace_media = forms.Media(
        js=["modeltranslation/js/tabbed_translation_fields.js", "articles/admin/workspace.js"],
        css={"all": ["articles/admin/workspace.css"]},
    )

    @property
    def media(self):
        return super().media + self.workspace_media

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", native_labels())
        form = super().get_form(request, obj, **kwargs)
        works_as_translator = roles.works_as_translator(request.user)
        form.source_language = request.session.get(SOURCE_SESSION_KEY, "") if works_as_translator else None
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if roles.works_as_translator(request.user):
            chosen = request.GET.get("source")
            if chosen in dict(settings.LANGUAGES):
                request.session[SOURCE_SESSION_KEY] = chosen
            elif chosen == "original":
                request.session.pop(SOURCE_SESSION_KEY, None)
            extra_context["source_choices"] = self._source_choices(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _source_choices(self, request):
        chosen = request.session.get(SOURCE_SESSION_KEY, "")
        own = set(roles.editable_languages(request.user))
        return [
            ("original", _("the original"), not chosen),
            *((code, language_name(code), code == chosen) for code in site_language_codes() if code not in own),
        ]

    # My translations

    def get_urls(self):
        queue = path(
            "my-translations/",
            self.admin_site.admin_view(self.my_translations_view),
            name="articles_article_my_translations",
        )
        return [queue, *super().get_urls()]

    def my_translations_view(self, request):
        """The reports waiting for this person's languages: missing, outdated, for review, machine drafts.

        Template ``admin/articles/article/my_translations.html``; context
        ``counts`` (translation_queue.LanguageCounts per language),
        ``language``, ``kind``, ``kinds`` and ``page`` (a translation_queue.QueuePage).
        """
        languages = roles.editable_languages(request.user)
        if not languages or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        counts = translation_queue.counts(languages)
        language = request.GET.get("language")
        if language not in languages:
            language = languages[0]
        kind = request.GET.get("kind")
        if kind not in translation_queue.KINDS:
            of_language = next(entry for entry in counts if entry.language == language)
            kind = next((kind for kind in translation_queue.KINDS if of_language.of(kind)), "outdated")
        page = translation_queue.page(
            language,
            kind,
            before=translation_queue.report_number(request.GET.get("before")),
            after=translation_queue.report_number(request.GET.get("after")),
        )
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("My translations"),
            "counts": counts,
            "language": language,
            "language_name": language_name(language),
            "kind": kind,
            "kinds": list(translation_queue.KINDS.items()),
            "kind_label": translation_queue.KINDS[kind],
            "page": page,
        }
        return TemplateResponse(request, "admin/articles/article/my_translations.html", context)


def translator_home(user):
    """Where ``user`` lands in the admin: their queue for a translator, None (the index) for anyone else."""
    if roles.works_as_translator(user):
        return reverse("admin:articles_article_my_translations")
    return None
