"""Django's makemessages with Newsroom's defaults.

The catalogs are extracted without source locations (``--no-location``) so
that moving a template line does not rewrite fourteen files, and the virtual
environment, collected static files and node_modules are never scanned.
Everything else is Django's command, options included; ``--add-location``
brings locations back for one run.
"""

from django.core.management.commands import makemessages

from newsroom.catalogs import IGNORED_DIRECTORIES


class Command(makemessages.Command):
    help = makemessages.Command.help + " Newsroom ignores .venv, staticfiles and node_modules, and writes no locations."

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED_DIRECTORIES]
        if not options["add_location"]:
            options["no_location"] = True
        return super().handle(*args, **options)
