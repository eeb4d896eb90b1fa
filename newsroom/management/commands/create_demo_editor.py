import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.roles import EDITORS_GROUP, create_roles


class Command(BaseCommand):
    help = (
        "Create or reset the local demo editor account and print its password. "
        "Refused when DEBUG is off: a production site never gets a demo account."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--port", default="8000", help="The port the site is served on, for the printed address.")

    def handle(self, *args, username, port, **options):
        if not settings.DEBUG:
            raise CommandError("The demo editor is for local development only (DJANGO_DEBUG is off).")
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        create_roles()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(
            f"\nAdmin: http://127.0.0.1:{port}/admin/\n"
            f"  user:     {username}\n  password: {password}   (new on every start)\n"
        )
