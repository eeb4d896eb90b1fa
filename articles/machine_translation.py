"""Machine translation drafts through the LibreTranslate or DeepL HTTP API.

Optional per deployment (MACHINE_TRANSLATION_* settings). A draft fills only
the empty fields of a language, never a translator's text, and is recorded
as machine-made until a translator reviews it: edits the field or confirms
the language. Two small JSON POSTs need no HTTP library beyond urllib.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings

from articles import desk
from articles.models import TRANSLATED_TEXT_FIELDS, site_language_codes

TIMEOUT_SECONDS = 60


class MachineTranslationError(Exception):
    pass


def _post_json(url, payload, headers=()):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json", **dict(headers)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        raise MachineTranslationError(f"{url} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise MachineTranslationError(f"{url}: {error}") from error


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
        answer = _post_json(f"{self.url}/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise MachineTranslationError(f"{self.url}/translate gave an unexpected answer: {answer!r:.200}")
        return translated


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
        answer = _post_json(
            f"{self.url}/v2/translate", payload, headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"}
        )
        translations = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(translations, list) or len(translations) != len(texts):
            raise MachineTranslationError(f"{self.url}/v2/translate gave an unexpected answer: {answer!r:.200}")
        return [item["text"] for item in translations]


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
        answers = backend.translate([texts[name] for name in fields], source, code)
        drafts[code] = dict(zip(fields, answers, strict=True))
        result.drafted[code] = fields
    if drafts:
        desk.record_machine_drafts(actor, article, drafts, backend.name)
    return result
