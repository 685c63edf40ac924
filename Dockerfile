# coop in a container: SQLite on a volume, Slack or Matrix credentials from the environment.

# The tagging modules compiled with mypyc (setup.py, COOP_COMPILE=1). This stage has the C compiler and mypy; the
# image below takes only the compiled modules.
FROM python:3.12 AS compiled
WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip install --no-cache-dir -e . "mypy>=1.10" "setuptools>=68" \
    && COOP_COMPILE=1 pip install --no-cache-dir --no-build-isolation --no-deps -e .

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COOP_DATABASE_URL=sqlite:////data/coop.sqlite3 \
    COOP_HTTP_HOST=0.0.0.0 \
    COOP_HTTP_PORT=3000

RUN useradd --create-home --uid 10001 coop && mkdir /data && chown coop /data
WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY config ./config
COPY seeds ./seeds
RUN pip install --no-cache-dir -e .
# Python imports a compiled module before its source, so these replace the four modules they were built from.
COPY --from=compiled /app/bot/*.so ./bot/

USER coop
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"COOP_HTTP_PORT\"]}/healthz', timeout=4)"
CMD ["coop", "run"]
