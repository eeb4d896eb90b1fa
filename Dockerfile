# The Newsroom site: gunicorn serving Django, as an unprivileged user.
# Build: docker build -t newsroom .   Run it with compose.yaml, or see the README.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Fonts with every site language's letters, for the share cards drawn from
# headlines (articles/share_cards.py): Noto Sans, Devanagari and CJK.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# The pinned dependencies first, so that a change to the code alone does not
# reinstall them. The site runs from /app, not as an installed package: its
# templates, catalogs and manage.py live beside the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Compiled catalogs and collected, content-hashed static files are part of the
# image. Both load the production settings, which want a secret key: a
# throwaway one, used for nothing and not kept.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    sh -c 'python manage.py compile_catalogs && python manage.py collectstatic --no-input --verbosity 0'

# The code stays root's and read-only to the site.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin newsroom
USER newsroom

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
