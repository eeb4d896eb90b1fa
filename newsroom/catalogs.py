"""Compiling the interface catalogs without GNU gettext.

Django's compilemessages needs msgfmt, which a fresh machine may lack; the
set-up compiles locale/*/LC_MESSAGES/*.po with polib instead, so `make run`
and `make test` work anywhere. The .mo files are build output, not in git.
"""

from pathlib import Path

import polib
from django.conf import settings


def catalog_paths():
    for locale_path in settings.LOCALE_PATHS:
        yield from sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po"))


def compile_catalogs(force=False):
    """Write a .mo beside every .po that is newer than it; return those written."""
    written = []
    for po_path in catalog_paths():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
