# TradeHall application image.
#
#   docker build -t tradehall .
#   docker run --rm -p 8000:8000 -v tradehall-data:/var/lib/tradehall \
#       -e TRADEHALL_ENVIRONMENT=prod -e TRADEHALL_SECRET_KEY=... \
#       tradehall tradehall serve --host 0.0.0.0 --port 8000 --migrate
#
# See docs/deployment.md. compose.yaml runs this image as the `migrate` and `app` services.
#
# The app finds frontend/, migrations/ and alembic.ini next to its `app` package, so the
# source tree is installed in editable mode at /srv/tradehall and copied to the SAME path in
# the runtime stage (the venv's editable finder and console script point at these paths).

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: a venv with the dependencies and the project -------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /srv/tradehall

# Dependencies first, from pyproject.toml alone, so that a source-only change reuses this layer.
# (Every dependency ships binary wheels for CPython 3.11 on Linux: no compiler is needed.)
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
 && pip install -r /tmp/requirements.txt

# Then the project itself (see .dockerignore for what stays out).
COPY . .
RUN pip install --no-deps -e . \
 && python -m compileall -q app migrations

# --- runtime: no build tools, no pip cache, a non-root user -------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    TRADEHALL_DATA_DIR=/var/lib/tradehall

# A font with Chinese glyphs for the proforma PDFs (app/web/pdf_fonts.py finds it; without
# one, PDFs are English only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

# The data dir holds the SQLite file (embedded mode) and uploads/; mount a volume on it (or on
# uploads/ when the database is PostgreSQL). It is created here so that a fresh named volume
# inherits the tradehall owner.
RUN groupadd --system --gid 10001 tradehall \
 && useradd --system --uid 10001 --gid tradehall --home-dir /var/lib/tradehall \
        --no-create-home --shell /usr/sbin/nologin tradehall \
 && mkdir -p /var/lib/tradehall/uploads \
 && chown -R tradehall:tradehall /var/lib/tradehall

# Code and venv stay owned by root: the app user can read them, not change them.
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv/tradehall /srv/tradehall

WORKDIR /srv/tradehall
USER tradehall

EXPOSE 8000

# Liveness only (/healthz checks no dependency); readiness with DB and Redis is /readyz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# --proxy-headers: trust X-Forwarded-For/-Proto from the addresses in the FORWARDED_ALLOW_IPS
# environment variable (uvicorn's default: 127.0.0.1 only). compose.yaml sets it.
CMD ["tradehall", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
