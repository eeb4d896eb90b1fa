"""Django's compilemessages, kept out of the virtual environment.

Django's command compiles every ``locale`` directory below the current one,
which would include the Django catalogs inside ``.venv``. Everything else is
Django's; ``compile_catalogs`` does the same without GNU gettext.
"""

from django.core.management.commands import compilemessages

from newsroom.catalogs import IGNORED_DIRECTORIES


class Command(compilemessages.Command):
    help = compilemessages.Command.help + " Newsroom ignores .venv, staticfiles and node_modules."

    def handle(self, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED_DIRECTORIES]
        return super().handle(**options)
