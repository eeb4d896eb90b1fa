"""The content export: everything people wrote, in a file any database can load.

Every report in every language (with its translation state), the sections,
the history of every save, the users and groups, the admin's log: Django's
dumpdata of every app but the bookkeeping that `migrate` recreates (content
types, permissions) and what is only state of the moment (sessions, login
lockouts, background work and its task queue). Rows refer to content types,
permissions and users by name rather than by number, so the file loads into any empty database made by `migrate`,
SQLite or PostgreSQL, with `manage.py loaddata`. Reports keep their numbers,
so every address stays the same.

It holds the users' password hashes: keep it as private as a database dump.
"""

from django.core.management import call_command

LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "articles.backgroundjob", "django_tasks_database"]


def export_content(output):
    """Write the export to ``output`` (compressed when it ends in .gz, .bz2, .xz or .lzma)."""
    call_command(
        "dumpdata",
        exclude=LEFT_OUT,
        natural_foreign=True,
        natural_primary=True,
        output=str(output),
        indent=1,
        verbosity=0,
    )
