# compass-bot in a container: the code in /app, the config mounted at /config, the database on
# the /data volume. Build: docker build -t compass-bot .   Run: see compose.yaml and the README.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COMPASS_CONFIG=/config/config.yaml \
    MPLCONFIGDIR=/data/.matplotlib

WORKDIR /app
# MPLCONFIGDIR: matplotlib (the digest's chart) keeps its font cache on the volume, since the
# container's root is read-only (compose.yaml).
# The dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
COPY compass_bot ./compass_bot
COPY policy_text ./policy_text
COPY bot.py ./
# Editable: the protocol text is read from /app/policy_text beside the package.
RUN pip install -e . \
    && useradd --system --uid 10001 --no-create-home --home-dir /app compass \
    && mkdir -p /data /config \
    && chown compass /data

USER compass
# The database (storage.database: /data/compass.db in the mounted config) lives here.
VOLUME ["/data"]
# The bot closes its connection and database on SIGTERM (docker stop), then exits 0.
STOPSIGNAL SIGTERM
CMD ["python", "bot.py", "--log-format", "json"]
