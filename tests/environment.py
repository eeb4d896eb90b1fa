"""Loaded by pytest before Django reads its settings (``-p tests.environment`` in pyproject.toml).

The settings default to production: DEBUG off, HTTPS only, a real secret key
required. The suite runs the development settings, as `make run` does, and
so do the commands its tests start in subprocesses; the production settings
are tested in subprocesses given their own environment (tests/test_settings.py).
"""

import os

os.environ["DJANGO_DEBUG"] = "true"
