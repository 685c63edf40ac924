# coop in a container: SQLite on a volume, Slack or Matrix credentials from the environment.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COOP_DATABASE_URL=sqlite:////data/coop.sqlite3 \
    COOP_HTTP_HOST=0.0.0.0 \
    COOP_HTTP_PORT=3000

RUN useradd --create-home --uid 10001 coop && mkdir /data && chown coop /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY config ./config
COPY seeds ./seeds
RUN pip install --no-cache-dir -e .

USER coop
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"COOP_HTTP_PORT\"]}/healthz', timeout=4)"
CMD ["coop", "run"]
