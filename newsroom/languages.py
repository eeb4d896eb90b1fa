"""The languages Newsroom publishes in: the one place to change them.

Each language is a set of database columns (django-modeltranslation), an
interface catalog under ``locale/`` and a link in the switcher. To add one,
follow "Adding a language" in the README.
"""

from django.conf import locale
from django.utils.translation import gettext_lazy as _

# (code, English name), the default language first. The names are marked for
# translation so that the admin can show them in the editor's language.
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
    ("de", _("German")),
    ("zh-hans", _("Simplified Chinese")),
    ("el", _("Greek")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("id", _("Indonesian")),
    ("fi", _("Finnish")),
    ("la", _("Latin")),
    ("sa", _("Sanskrit")),
]

# Django ships no locale data for these; without an entry here
# get_language_info() raises KeyError and the switcher cannot name them.
EXTRA_LANG_INFO = {
    "la": {
        "bidi": False,
        "code": "la",
        "name": "Latin",
        "name_local": "Latina",
    },
    "sa": {
        "bidi": False,
        "code": "sa",
        "name": "Sanskrit",
        "name_local": "संस्कृतम्",
    },
}

# Django writes some native names in lower case, as inside a sentence; the
# switcher shows each name standing alone, as readers look for it.
NATIVE_NAME_OVERRIDES = {
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "fi": "Suomi",
    "zh-hans": "中文",
}


def register_extra_languages():
    """Teach Django the languages it has no locale data for."""
    for code, info in EXTRA_LANG_INFO.items():
        locale.LANG_INFO.setdefault(code, info)
    for code, name in NATIVE_NAME_OVERRIDES.items():
        locale.LANG_INFO[code] = {**locale.LANG_INFO[code], "name_local": name}
