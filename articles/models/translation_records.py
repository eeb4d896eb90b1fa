"""What each translation of a report was made from, kept on every save: outdated translations."""

from django.db import models

from articles.models.languages import TRANSLATED_TEXT_FIELDS, localized, site_language_codes
from articles.models.translation_basis import SourceText, TranslationBasis, TranslationState, fingerprint


def _text_columns():
    return [localized(field, code) for code in site_language_codes() for field in TRANSLATED_TEXT_FIELDS]


class TranslationRecordsMixin(models.Model):
    """Article's bookkeeping of which source text each translated field was made from.

    A save compares each text column with its value as loaded, so it knows
    which fields it writes anew, whoever calls it; the translation bases and
    editions follow from that.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        instance._saved_text = {name: loaded[name] or "" for name in _text_columns() if name in loaded}
        instance._saved_original_language = loaded.get("original_language")
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        reloaded = [name for name in _text_columns() if name in self.__dict__ and (fields is None or name in fields)]
        self._saved_text = {
            **getattr(self, "_saved_text", {}),
            **{name: self.__dict__[name] or "" for name in reloaded},
        }

    def remember_saved_text(self):
        self._saved_text = {name: self.__dict__.get(name) or "" for name in _text_columns() if name in self.__dict__}
        self._saved_original_language = self.__dict__.get("original_language")

    def written_text(self, update_fields=None):
        """(language, field) pairs whose text this save changes, the original language's included."""
        saved = getattr(self, "_saved_text", {})
        written = []
        for code in site_language_codes():
            for field in TRANSLATED_TEXT_FIELDS:
                column = localized(field, code)
                # A deferred column not set since loading is not being written.
                if column not in self.__dict__ or (update_fields is not None and column not in update_fields):
                    continue
                if (self.__dict__[column] or "") != saved.get(column, ""):
                    written.append((code, field))
        return written

    def source_fingerprint(self, field):
        return fingerprint(self.text(field, self.original_language))

    def keep_translation_records(self, written):
        """Record what the translations written now were made from, and which an edited source outdates."""
        source = self.original_language
        translated = [(code, field) for code, field in written if code != source and self.text(field, code)]
        emptied = [(code, field) for code, field in written if code != source and not self.text(field, code)]
        self.record_translation_basis(translated)
        for code, field in emptied:
            TranslationBasis.objects.filter(article=self, language=code, field=field).delete()
        revised = {field for code, field in written if code == source}
        if getattr(self, "_saved_original_language", source) not in (None, source):
            revised = set(TRANSLATED_TEXT_FIELDS)  # Another language is the source now.
        for field in revised:
            current = self.source_fingerprint(field)
            bases = TranslationBasis.objects.filter(article=self, field=field)
            bases.exclude(source_fingerprint=current).update(outdated=True)
            bases.filter(source_fingerprint=current).update(outdated=False)
        # Whatever the source language was before, its own text is no translation.
        TranslationBasis.objects.filter(article=self, language=source).delete()

    def record_translation_basis(self, pairs, machine_made=False):
        """Record that each (language, field) translation matches the current source text.

        ``machine_made`` marks them as machine drafts that a person has yet to review.
        """
        pairs = list(pairs)
        if not pairs:
            return
        fields = {field for _code, field in pairs}
        SourceText.objects.bulk_create(
            [
                SourceText(
                    article=self,
                    field=field,
                    fingerprint=self.source_fingerprint(field),
                    text=self.text(field, self.original_language),
                )
                for field in fields
            ],
            ignore_conflicts=True,
        )
        TranslationBasis.objects.bulk_create(
            [
                TranslationBasis(
                    article=self,
                    language=code,
                    field=field,
                    source_fingerprint=self.source_fingerprint(field),
                    outdated=False,
                    machine_made=machine_made,
                )
                for code, field in pairs
            ],
            update_conflicts=True,
            unique_fields=["article", "language", "field"],
            update_fields=["source_fingerprint", "outdated", "machine_made", "recorded_at"],
        )
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("translation_bases", None)

    def _bases(self, language):
        # Through .all() so that prefetch_related("translation_bases") serves it.
        return {basis.field: basis for basis in self.translation_bases.all() if basis.language == language}

    def outdated_fields(self, language):
        """The translated fields of ``language`` made from a source text that has changed since."""
        if language == self.original_language:
            return []
        bases = self._bases(language)
        return [field for field in TRANSLATED_TEXT_FIELDS if field in bases and bases[field].outdated]

    def machine_made_fields(self, language):
        """The translated fields of ``language`` that are machine drafts no person has reviewed."""
        bases = self._bases(language)
        return [field for field in TRANSLATED_TEXT_FIELDS if field in bases and bases[field].machine_made]

    def translation_state(self, language):
        if not self.has_translation(language):
            return TranslationState.MISSING
        if self.outdated_fields(language):
            return TranslationState.OUTDATED
        if self.machine_made_fields(language):
            return TranslationState.MACHINE_MADE
        return TranslationState.COMPLETE

    def translation_states(self):
        """{language: TranslationState} for every site language, in the configured order."""
        return {code: self.translation_state(code) for code in site_language_codes()}

    def source_text_translated(self, language, field):
        """The source text the ``language`` translation of ``field`` was made from, or None when unknown."""
        basis = self._bases(language).get(field)
        if basis is None:
            return None
        stored = SourceText.objects.filter(article=self, field=field, fingerprint=basis.source_fingerprint).first()
        return stored.text if stored is not None else None
