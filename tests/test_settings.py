"""Settings come from the environment, default to production, and fail loudly."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
A_SECRET_KEY = secrets.token_urlsafe(50)
PRODUCTION = {"DJANGO_SECRET_KEY": A_SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "news.example.org"}


def clean_environment(**environment):
    """This process's environment less every setting, plus ``environment``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "SENTRY_", "NEWSROOM_"))
    }
    env.update(environment)
    return env


def manage(*args, **environment):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_check(**environment):
    return manage("check", **environment)


def setting(expression, **environment):
    """The value of a Python expression over the settings, as Django loads them with ``environment``."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE="newsroom.settings", **environment),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_is_the_default_and_refuses_to_start_without_a_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert setting("settings.DEBUG", **PRODUCTION) == "False"


def test_only_true_turns_debug_on():
    assert setting("settings.DEBUG", DJANGO_DEBUG="true") == "True"
    assert setting("settings.DEBUG", DJANGO_DEBUG="false", **PRODUCTION) == "False"


def test_short_repetitive_and_development_secret_keys_are_refused():
    for weak in [
        secrets.token_urlsafe(32)[:40],  # 40 characters: Django wants 50
        "x" * 60,  # long but one character
        "django-insecure-" + secrets.token_urlsafe(50),  # Django's own development keys
        "django-insecure-newsroom-development-only",  # this project's
    ]:
        result = run_check(DJANGO_SECRET_KEY=weak, DJANGO_ALLOWED_HOSTS="news.example.org")
        assert result.returncode != 0, weak
        assert "at least 50 characters" in result.stderr


def test_a_malformed_boolean_is_an_error_not_a_guess():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_a_malformed_number_is_an_error_not_a_guess():
    result = run_check(DJANGO_HSTS_SECONDS="a year", **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_HSTS_SECONDS must be a whole number" in result.stderr


def test_database_url_selects_the_database_with_a_connect_timeout():
    url = "postgres://u@db:5432/news"
    assert setting("settings.DATABASES['default']['ENGINE']", DATABASE_URL=url, **PRODUCTION) == (
        "django.db.backends.postgresql"
    )
    assert setting("settings.DATABASES['default']['OPTIONS']['connect_timeout']", DATABASE_URL=url, **PRODUCTION) == "5"
    assert (
        setting(
            "settings.DATABASES['default']['OPTIONS']['connect_timeout']",
            DATABASE_URL=url + "?connect_timeout=12",
            **PRODUCTION,
        )
        == "12"
    )


def test_production_redirects_to_https_and_hsts_comes_from_the_environment():
    assert setting("settings.SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert setting("settings.SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="false", **PRODUCTION) == "False"
    assert setting("settings.SECURE_HSTS_SECONDS", **PRODUCTION) == "0"
    hsts = {"DJANGO_HSTS_SECONDS": "600", "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "true", "DJANGO_HSTS_PRELOAD": "true"}
    assert setting(
        "(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)",
        **hsts,
        **PRODUCTION,
    ) == str((600, True, True))


def test_the_proxy_header_is_trusted_only_when_configured():
    assert setting("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)", **PRODUCTION) == "None"
    assert setting("settings.SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_TLS_PROXY="true", **PRODUCTION) == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )


def readme_production_environment():
    """The variables the README's "Serving in production" block exports."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Serving in production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    environment = {}
    for command in block.replace("\\\n", " ").splitlines():
        words = shlex.split(command, comments=True)
        if words[:1] == ["export"]:
            environment.update(word.split("=", 1) for word in words[1:])
    return environment


def test_check_deploy_reports_no_issues_with_the_readmes_production_environment():
    environment = readme_production_environment()
    assert "DJANGO_DEBUG" not in environment, "production must not need DJANGO_DEBUG=false"
    assert environment["DJANGO_SECRET_KEY"].startswith("<"), "the README must not publish a key"
    environment["DJANGO_SECRET_KEY"] = A_SECRET_KEY
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_hsts_is_not_configured():
    result = manage("check", "--deploy", **PRODUCTION)
    assert "security.W004" in result.stdout + result.stderr


def settings_variables():
    """Every environment variable newsroom/settings.py reads."""
    source = (ROOT / "newsroom" / "settings.py").read_text()
    return set(re.findall(r"""(?:environ\.get|env_bool|env_list|env_int)\(\s*["']([A-Z0-9_]+)["']""", source)) | {
        "DATABASE_URL"  # read by dj-database-url
    }


def test_every_setting_read_from_the_environment_is_in_the_readmes_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, flags=re.MULTILINE))
    assert settings_variables() - documented == set()
    assert documented - settings_variables() == set()


def test_admins_are_read_as_a_list_of_addresses():
    admins = "Night desk <desk@example.org>, ops@example.org"
    assert setting("settings.ADMINS", DJANGO_ADMINS=admins, **PRODUCTION) == str(
        [("Night desk", "desk@example.org"), ("", "ops@example.org")]
    )
    assert setting("settings.ADMINS", **PRODUCTION) == "[]"
    result = run_check(DJANGO_ADMINS="the night desk", **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_ADMINS must be e-mail addresses" in result.stderr


def test_the_mail_server_comes_from_the_environment():
    mail = {
        "DJANGO_EMAIL_HOST": "smtp.example.org",
        "DJANGO_EMAIL_PORT": "587",
        "DJANGO_EMAIL_HOST_USER": "newsroom",
        "DJANGO_EMAIL_HOST_PASSWORD": "s3cret",
        "DJANGO_EMAIL_USE_TLS": "true",
        "DJANGO_SERVER_EMAIL": "newsroom@example.org",
    }
    assert setting(
        "(settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD,"
        " settings.EMAIL_USE_TLS, settings.SERVER_EMAIL, settings.DEFAULT_FROM_EMAIL)",
        **mail,
        **PRODUCTION,
    ) == str(("smtp.example.org", 587, "newsroom", "s3cret", True, "newsroom@example.org", "newsroom@example.org"))
    result = run_check(DJANGO_EMAIL_USE_TLS="true", DJANGO_EMAIL_USE_SSL="true", **PRODUCTION)
    assert result.returncode != 0
    assert "not both" in result.stderr


def test_logs_are_json_in_production_and_text_in_development():
    assert setting("settings.LOG_FORMAT", **PRODUCTION) == "json"
    assert setting("settings.LOG_FORMAT", DJANGO_DEBUG="true") == "text"
    assert setting("settings.LOG_FORMAT", DJANGO_LOG_FORMAT="text", **PRODUCTION) == "text"
    result = run_check(DJANGO_LOG_FORMAT="xml", **PRODUCTION)
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr
