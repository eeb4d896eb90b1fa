"""The Dockerfile, compose.yaml and LICENSE hold together with the code.

Docker cannot run here, so these read the files as Docker would and check
them against the settings, the README and pyproject.toml.
"""

import re
import shlex
import tomllib

import yaml

from tests.test_settings import ROOT, settings_variables


def dockerfile():
    """The Dockerfile as (instruction, arguments) pairs, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    logical = re.sub(r"\\\n\s*", " ", text)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
        for line in logical.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_uses_the_python_the_project_requires():
    [(_, base)] = [(name, arguments) for name, arguments in dockerfile() if name == "FROM"]
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert re.fullmatch(r"python:3\.\d+-slim-\w+", base)
    assert required == ">=3.11" and base.startswith("python:3.11")


def test_the_image_installs_the_pinned_dependencies_from_pyproject():
    runs = " ".join(arguments for name, arguments in dockerfile() if name == "RUN")
    assert "tomllib" in runs and "['project']['dependencies']" in runs
    for dependency in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        assert "==" in dependency, f"{dependency} is not pinned"


def test_the_image_compiles_the_catalogs_and_collects_static_files_at_build():
    runs = " ".join(arguments for name, arguments in dockerfile() if name == "RUN")
    assert "manage.py compile_catalogs" in runs
    assert "manage.py collectstatic --no-input" in runs


def test_the_site_runs_as_an_unprivileged_user_under_gunicorn():
    instructions = dockerfile()
    names = [name for name, _ in instructions]
    [user] = [arguments for name, arguments in instructions if name == "USER"]
    assert user not in {"root", "0"}
    assert "useradd" in " ".join(arguments for name, arguments in instructions if name == "RUN")
    # Nothing runs as root after the switch.
    assert "RUN" not in names[names.index("USER") :]
    [command] = [arguments for name, arguments in instructions if name == "CMD"]
    words = yaml.safe_load(command)  # the JSON form
    assert words[:2] == ["gunicorn", "newsroom.wsgi"]
    assert words[words.index("--bind") + 1] == "0.0.0.0:8000"


def test_the_container_reports_its_health_from_healthz():
    [(_, check)] = [(name, arguments) for name, arguments in dockerfile() if name == "HEALTHCHECK"]
    assert "http://127.0.0.1:8000/healthz" in check
    assert ("EXPOSE", "8000") in dockerfile()


def test_nothing_of_a_developers_machine_goes_into_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "staticfiles", "*.sqlite3", "*.mo", ".env", "node_modules"} <= ignored


def test_compose_runs_the_site_with_postgresql_and_redis():
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    web = services["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "manage.py migrate" in " ".join(services["migrate"]["command"])
    assert "manage.py create_roles" in " ".join(services["migrate"]["command"])
    # Only the TLS proxy on the same machine reaches gunicorn.
    assert web["ports"] == ["127.0.0.1:8000:8000"]


def test_compose_gives_the_site_only_settings_that_settings_py_reads():
    services = compose()["services"]
    for name in ("web", "migrate"):
        environment = services[name]["environment"]
        assert set(environment) <= settings_variables(), set(environment) - settings_variables()
        assert environment["DATABASE_URL"].startswith("postgres://newsroom:${POSTGRES_PASSWORD")
        assert environment["DATABASE_URL"].endswith("@db:5432/newsroom")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"


def test_compose_has_no_default_secrets():
    settings = compose()["services"]["web"]["environment"]
    database = compose()["services"]["db"]["environment"]
    assert settings["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert database["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert database["POSTGRES_USER"] == "newsroom" and database["POSTGRES_DB"] == "newsroom"


def test_the_env_example_names_only_known_settings():
    names = {
        line.lstrip("# ").split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"#? ?[A-Z_]+=", line)
    }
    assert names <= settings_variables() | {"POSTGRES_PASSWORD"}, names - settings_variables()


def test_the_license_is_the_one_pyproject_declares():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "LICENSE").read_text()
    assert declared == "MIT"
    assert text.startswith("MIT License\n\nCopyright (c)")
    assert "Permission is hereby granted, free of charge" in text


def test_the_readme_production_steps_create_the_first_account():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Serving in production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line, comments=True) for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    assert ["python", "manage.py", "createsuperuser"] in commands
    steps = [command[2] for command in commands if command[:2] == ["python", "manage.py"]]
    assert steps.index("migrate") < steps.index("createsuperuser")
