# Claimtrack's production image: gunicorn serving the app, static files collected at build.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The server runs as an unprivileged user that owns nothing in the image: the code and the
# collected static files stay read-only to it.
RUN groupadd --system claimtrack \
    && useradd --system --gid claimtrack --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin claimtrack

WORKDIR /app

# The runtime dependencies, read from pyproject.toml, in a layer of their own so that a code
# change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
    | pip install --requirement /dev/stdin

COPY . .

# Hashed, compressed static files for whitenoise. Collecting needs the settings to load, not
# a real secret: this key exists only during the build and signs nothing.
RUN SECRET_KEY=collectstatic-at-build-time python manage.py collectstatic --no-input

USER claimtrack
EXPOSE 8000
# Migrate, then run gunicorn (gunicorn.conf.py: workers from the CPU count, logs to stdout).
CMD ["bin/serve"]
