"""Machine translation drafts through the LibreTranslate or DeepL HTTP API.

Optional per deployment (MACHINE_TRANSLATION_* settings). A draft fills only
the empty fields of a language, never a translator's text, and is recorded
as machine-made until a translator reviews it: edits the field or confirms
the language.

A translation service is untrusted input, like an upload: a request has a
total time limit well under the web worker's (MACHINE_TRANSLATION_TIMEOUT,
10 s by default; gunicorn's is 30 s), its answer a size cap, and every
draft is checked (text, within the field's length, no control characters,
renderable Markdown) before anything is stored. A slow, failing or
malicious service raises MachineTranslationError, which leaves the report
as it was.
"""

import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from articles import desk, limits
from articles.models import TRANSLATED_TEXT_FIELDS, Article, site_language_codes
from articles.rendering import RenderError, render_body, render_summary

# The texts of one language of one report fit several times over (JSON may
# spell a character in six bytes).
MAX_ANSWER_BYTES = 8 * 1024 * 1024


class MachineTranslationError(Exception):
    pass


class _TooLarge(Exception):
    pass


def _post_json(url, payload, headers=()):
    """POST ``payload`` as JSON to ``url`` and return the decoded answer, all within the time limit.

    The exchange runs in a thread of its own, so that the time limit holds
    whatever the service does (a socket timeout bounds each read, not a
    service that drips its answer a byte at a time); the thread gives up soon
    after, at its next read.
    """
    timeout = settings.MACHINE_TRANSLATION_TIMEOUT
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MachineTranslationError(_("%(url)s is not an http or https address.") % {"url": url})
    outcome = {}

    def exchange():
        try:
            outcome["answer"] = _exchange(parts, payload, headers, time.monotonic() + timeout)
        except BaseException as error:  # Handed to the caller's thread below.
            outcome["error"] = error

    worker = threading.Thread(target=exchange, daemon=True, name="machine-translation")
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or isinstance(outcome.get("error"), TimeoutError):
        raise MachineTranslationError(
            _("%(url)s did not answer within %(seconds)s seconds.") % {"url": url, "seconds": f"{timeout:g}"}
        )
    error = outcome.get("error")
    if isinstance(error, _TooLarge):
        raise MachineTranslationError(
            _("%(url)s sent an answer larger than %(megabytes)d MB.")
            % {"url": url, "megabytes": MAX_ANSWER_BYTES // (1024 * 1024)}
        )
    if isinstance(error, (OSError, http.client.HTTPException)):
        raise MachineTranslationError(f"{url}: {error}") from error
    if error is not None:
        raise error
    status, reason, body = outcome["answer"]
    if status != 200:
        raise MachineTranslationError(
            _("%(url)s answered %(status)s %(reason)s") % {"url": url, "status": status, "reason": reason}
        )
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError alike
        raise MachineTranslationError(_("%(url)s did not answer in JSON.") % {"url": url}) from error


def _exchange(parts, payload, headers, deadline):
    """(status, reason, body) of one POST; TimeoutError past ``deadline``, _TooLarge past the size cap."""

    def remaining():
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=remaining())
    try:
        connection.request(
            "POST",
            urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, "")),
            body=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json", **dict(headers)},
        )
        sock = connection.sock  # getresponse() hands it to the response and forgets it.
        sock.settimeout(remaining())
        response = connection.getresponse()
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise _TooLarge
        chunks, size = [], 0
        while True:
            sock.settimeout(remaining())
            chunk = response.read1(64 * 1024)  # What one read brings: a drip is checked byte by byte.
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise _TooLarge
            chunks.append(chunk)
        return response.status, response.reason, b"".join(chunks)
    finally:
        connection.close()


def _texts(items, url):
    """The answer's translations, which must all be text."""
    for item in items:
        if not isinstance(item, str):
            raise MachineTranslationError(
                _("%(url)s answered with something other than text: %(answer)s")
                % {"url": url, "answer": f"{item!r:.80}"}
            )
    return items


def checked_drafts(fields, drafts, language):
    """The machine drafts of ``fields`` (in ``language``), once each is known to be
    text that the report can hold and show; MachineTranslationError otherwise.
    """
    drafts = list(drafts)
    if len(drafts) != len(fields):
        raise MachineTranslationError(_("The service answered with a wrong number of translations."))
    for name, draft in zip(fields, drafts, strict=True):
        where = {"field": capfirst(Article._meta.get_field(name).verbose_name), "language": language}
        if not isinstance(draft, str):
            raise MachineTranslationError(_("%(field)s (%(language)s): the service's answer is not text.") % where)
        if not draft.strip():
            raise MachineTranslationError(_("%(field)s (%(language)s): the service's answer is empty.") % where)
        limit = limits.FIELD_MAX_LENGTHS[name]
        if len(draft) > limit:
            raise MachineTranslationError(
                _(
                    "%(field)s (%(language)s): the service's answer has %(length)s characters; "
                    "at most %(limit)s are allowed."
                )
                % {**where, "length": limits.limit_text(len(draft)), "limit": limits.limit_text(limit)}
            )
        try:
            limits.validate_characters(draft)
            if name == "body":
                render_body(draft)
            elif name == "summary":
                render_summary(draft)
        except (ValidationError, RenderError) as error:
            raise MachineTranslationError(
                _("%(field)s (%(language)s): the service's answer cannot be used: %(problem)s")
                % {**where, "problem": " ".join(error.messages)}
            ) from error
    return drafts


class LibreTranslate:
    """https://libretranslate.com/docs: POST /translate."""

    name = "LibreTranslate"

    # Our language codes as LibreTranslate spells them; it has no Latin or Sanskrit.
    codes = {code: code for code in ("en", "ru", "ja", "fr", "de", "el", "es", "it", "pt", "id", "fi")}
    codes["zh-hans"] = "zh-Hans"

    def __init__(self, url, api_key):
        self.url, self.api_key = url.rstrip("/"), api_key

    def supports(self, source, target):
        return source in self.codes and target in self.codes

    def translate(self, texts, source, target):
        payload = {"q": texts, "source": self.codes[source], "target": self.codes[target], "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        url = f"{self.url}/translate"
        answer = _post_json(url, payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise MachineTranslationError(_unexpected(url, answer))
        return _texts(translated, url)


class DeepL:
    """https://developers.deepl.com/docs/api-reference/translate: POST /v2/translate."""

    name = "DeepL"

    # DeepL names source languages and target variants differently; it has no Latin or Sanskrit.
    source_codes = {"en": "EN", "ru": "RU", "ja": "JA", "fr": "FR", "de": "DE", "zh-hans": "ZH"}
    source_codes |= {"el": "EL", "es": "ES", "it": "IT", "pt": "PT", "id": "ID", "fi": "FI"}
    target_codes = {**source_codes, "en": "EN-GB", "pt": "PT-PT", "zh-hans": "ZH-HANS"}

    def __init__(self, url, api_key):
        self.url, self.api_key = url.rstrip("/"), api_key

    def supports(self, source, target):
        return source in self.source_codes and target in self.target_codes

    def translate(self, texts, source, target):
        payload = {"text": texts, "source_lang": self.source_codes[source], "target_lang": self.target_codes[target]}
        url = f"{self.url}/v2/translate"
        answer = _post_json(url, payload, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"})
        translations = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(translations, list) or len(translations) != len(texts):
            raise MachineTranslationError(_unexpected(url, answer))
        return _texts([item.get("text") if isinstance(item, dict) else item for item in translations], url)


def _unexpected(url, answer):
    return _("%(url)s gave an unexpected answer: %(answer)s") % {"url": url, "answer": f"{answer!r:.200}"}


BACKENDS = {"libretranslate": LibreTranslate, "deepl": DeepL}


def configured_backend():
    """The configured backend, or None when the deployment has none."""
    name = settings.MACHINE_TRANSLATION_BACKEND
    if not name:
        return None
    return BACKENDS[name](settings.MACHINE_TRANSLATION_URL, settings.MACHINE_TRANSLATION_API_KEY)


@dataclass
class DraftResult:
    drafted: dict = field(default_factory=dict)  # {language: [fields]}
    unsupported: list = field(default_factory=list)  # languages the backend cannot translate into


def draft_missing_translations(actor, article, backend, languages=None):
    """Fill the empty translated fields of ``article`` with machine drafts, in ``languages`` or all, as ``actor``.

    All of a report's drafts are fetched before any is stored, so a backend
    failure (MachineTranslationError) leaves the report as it was. The desk
    stores them, marked for review, with the service named in the history.
    """
    source = article.original_language
    texts = {name: article.text(name, source) for name in TRANSLATED_TEXT_FIELDS}
    result = DraftResult()
    drafts = {}
    for code in site_language_codes() if languages is None else languages:
        fields = [name for name in TRANSLATED_TEXT_FIELDS if texts[name] and not article.text(name, code)]
        if code == source or not fields:
            continue
        if not backend.supports(source, code):
            result.unsupported.append(code)
            continue
        answers = checked_drafts(fields, backend.translate([texts[name] for name in fields], source, code), code)
        drafts[code] = dict(zip(fields, answers, strict=True))
        result.drafted[code] = fields
    if drafts:
        desk.record_machine_drafts(actor, article, drafts, backend.name)
    return result
