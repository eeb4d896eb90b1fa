"""Publishing a report, and each language of it: the rules every write path passes through."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles import search
from articles.models.editions import Edition
from articles.models.freshness import ContentVersion
from articles.models.images import with_figures
from articles.models.languages import localized, site_language_codes
from articles.models.translation_basis import TranslationBasis
from articles.rendering import RENDERER_VERSION, RenderError, plain_text, render_body, render_summary
from articles.search import html_text
from articles.slugs import make_slug


def _language_name(code):
    return get_language_info(code)["name_local"]


class PublishingMixin(models.Model):
    """Article's publication: the report as a whole (its original language) and each translation.

    A report is published when an editor publishes it, and only when it is
    complete in the language it was written in. A translation is published
    only when a person who may review that language publishes it; until then
    readers of that language are shown the original.
    """

    class Meta:
        abstract = True

    # Rules

    def check_publishable(self, language=None):
        """Raise a ValidationError on each missing field when ``language`` (the original by default) is incomplete."""
        language = language or self.original_language
        missing = self.missing_text_fields(language)
        if not missing:
            return
        if language == self.original_language:
            message = _(
                "A report can be published only when its headline, summary and "
                "body are written in the language it was written in (%(language)s)."
            )
        else:
            message = _("A translation can be published only when its headline, summary and body are written.")
        message = message % {"language": _language_name(language)}
        raise ValidationError(dict.fromkeys(missing, message))

    def working_edition(self, language):
        """An unsaved Edition of the working text in ``language``, rendered now: what publishing would show.

        A text that cannot be rendered raises a ValidationError on its field.
        """
        headline = self.text("headline", language)
        try:
            summary_html = render_summary(self.text("summary", language))
        except RenderError as error:
            raise ValidationError({localized("summary", language): error.messages}) from error
        try:
            body_html = with_figures(render_body(self.text("body", language)), language)
        except RenderError as error:
            raise ValidationError({localized("body", language): error.messages}) from error
        return Edition(
            article=self,
            language=language,
            headline=headline,
            slug=self.text("slug", language) or make_slug(headline),
            summary_html=summary_html,
            summary_text=plain_text(self.text("summary", language)),
            body_html=body_html,
            summary_source=self.text("summary", language),
            body_source=self.text("body", language),
            body_text=html_text(body_html),
            renderer_version=RENDERER_VERSION,
            is_original=language == self.original_language,
            section_id=self.section_id,
            lead_image_id=self.lead_image_id,
            published_at=self.published_at,
        )

    # The report

    @transaction.atomic
    def publish(self):
        """Publish the report as its original text stands now; a time in the future schedules it."""
        self.check_publishable()
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()
        self.save()
        original = self.editions.filter(language=self.original_language).first()
        if original is None or original.state != Edition.State.PUBLISHED:
            self.publish_language(self.original_language)

    @transaction.atomic
    def unpublish(self):
        """Take the report off the site in every language; its editions are kept for when it returns."""
        self.status = self.Status.DRAFT
        self.save()

    # Each language

    @transaction.atomic
    def publish_language(self, language):
        """Make the working text in ``language`` what its readers see; return the Edition."""
        self.check_publishable(language)
        fresh = self.working_edition(language)
        edition = Edition.objects.filter(article=self, language=language).first() or Edition(
            article=self, language=language
        )
        now = timezone.now()
        revised = edition.is_live and (edition.headline, edition.summary_html, edition.body_html) != (
            fresh.headline,
            fresh.summary_html,
            fresh.body_html,
        )
        for name in (
            "headline",
            "slug",
            "summary_html",
            "summary_text",
            "body_html",
            "summary_source",
            "body_source",
            "body_text",
            "renderer_version",
        ):
            setattr(edition, name, getattr(fresh, name))
        if edition.live_since is None:
            edition.live_since = now
        elif revised and self.status == self.Status.PUBLISHED:
            edition.revised_at = now
        edition.is_live = True
        edition.complete = True
        edition.state = Edition.State.PUBLISHED
        self._copy_publication(edition)
        edition.save()
        edition.keep_pictures()
        search.index_edition(edition)
        # Publishing is a person's review: no machine draft is left unreviewed.
        TranslationBasis.objects.filter(article=self, language=language, machine_made=True).update(machine_made=False)
        self._keep_live_slugs()
        ContentVersion.bump()
        return edition

    @transaction.atomic
    def unpublish_language(self, language):
        """Stop showing the ``language`` translation; its readers are shown the original again."""
        if language == self.original_language:
            raise ValidationError(
                _("The report's own language is taken off the site by unpublishing the report itself.")
            )
        taken_off = Edition.objects.filter(article=self, language=language)
        taken_off.update(is_live=False, listed=False, state=Edition.State.IN_PROGRESS)
        search.forget(taken_off)
        self._keep_live_slugs()
        ContentVersion.bump()

    @transaction.atomic
    def submit_for_review(self, language):
        """Mark the ``language`` translation as ready for a reviewer."""
        self.check_publishable(language)
        updated = Edition.objects.filter(article=self, language=language).exclude(state=Edition.State.PUBLISHED)
        updated.update(state=Edition.State.REVIEW)

    @transaction.atomic
    def confirm_translation(self, language, fields=None):
        """Mark the outdated or machine-made ``language`` fields (of ``fields``, or all) as reviewed, unchanged.

        Returns the fields confirmed.
        """
        pending = set(self.outdated_fields(language)) | set(self.machine_made_fields(language))
        confirmed = sorted(pending if fields is None else pending & set(fields))
        self.record_translation_basis([(language, field) for field in confirmed])
        edition = Edition.objects.filter(article=self, language=language).first()
        if edition is not None:
            remaining = TranslationBasis.objects.filter(article=self, language=language)
            edition.outdated = remaining.filter(outdated=True).exists()
            if edition.state == Edition.State.MACHINE and not remaining.filter(machine_made=True).exists():
                edition.state = Edition.State.IN_PROGRESS
            edition.save(update_fields=["outdated", "state"])
            ContentVersion.bump()  # Readers of an outdated translation see a note.
        return confirmed

    @transaction.atomic
    def record_machine_drafts(self, drafts):
        """Write machine drafts, {language: {field: text}}, into empty fields, marked for review."""
        columns = []
        for code, fields in drafts.items():
            for field, text in fields.items():
                setattr(self, localized(field, code), text)
                columns.append(localized(field, code))
            columns.append(localized("slug", code))
        # Only the drafted columns: a translator saving another language meanwhile keeps their work.
        self.save(update_fields=columns)
        self.record_translation_basis(
            [(code, field) for code, fields in drafts.items() for field in fields], machine_made=True
        )
        Edition.objects.filter(article=self, language__in=list(drafts)).update(state=Edition.State.MACHINE)

    # Keeping the editions in step with the report

    def _copy_publication(self, edition):
        edition.is_original = edition.language == self.original_language
        edition.listed = edition.is_live and self.status == self.Status.PUBLISHED
        edition.published_at = self.published_at
        edition.section_id = self.section_id
        edition.lead_image_id = self.lead_image_id

    def _keep_live_slugs(self):
        slugs = dict(Edition.objects.filter(article=self, is_live=True).values_list("language", "slug"))
        if slugs != self.live_slugs:
            type(self).objects.filter(pk=self.pk).update(live_slugs=slugs)
            self.live_slugs = slugs

    def keep_editions(self, written):
        """Bring the editions in step after a save that wrote the (language, field) pairs ``written``.

        A language whose text changed is back in progress (or still a machine
        draft): what readers see of it changes only when it is published again.
        """
        editions = {
            edition.language: edition
            for edition in Edition.objects.filter(article=self).defer(
                "summary_html", "summary_text", "body_html", "body_text"
            )
        }
        flagged = TranslationBasis.objects.filter(article=self).filter(
            models.Q(outdated=True) | models.Q(machine_made=True)
        )
        outdated, machine_made = set(), set()
        for language, is_outdated, is_machine_made in flagged.values_list("language", "outdated", "machine_made"):
            if is_outdated:
                outdated.add(language)
            if is_machine_made:
                machine_made.add(language)
        written_languages = {code for code, _field in written}
        new, changed = [], []
        for code in site_language_codes():
            edition = editions.get(code)
            if edition is None:
                if code not in written_languages:
                    continue
                edition = Edition(article=self, language=code)
                new.append(edition)
            else:
                changed.append(edition)
            if code in written_languages:
                edition.complete = self.has_translation(code)
                edition.state = Edition.State.MACHINE if code in machine_made else Edition.State.IN_PROGRESS
            edition.outdated = code in outdated
            self._copy_publication(edition)
        Edition.objects.bulk_create(new)
        Edition.objects.bulk_update(
            changed,
            ["complete", "state", "outdated", "is_original", "listed", "published_at", "section", "lead_image"],
        )
        search.keep_publication(self)
        original = editions.get(self.original_language)
        if self.status == self.Status.PUBLISHED and (original is None or not original.is_live):
            self.publish_language(self.original_language)
