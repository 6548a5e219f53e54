# syntax=docker/dockerfile:1
# Cluster Advisor as a container: the packages from requirements.lock (pinned, hashed), the
# project on top, run as an unprivileged user. Data (the SQLite file, when no PostgreSQL is
# configured) lives in the volume /app/data. Build: docker build -t cluster-advisor .

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
# dependencies first: this layer is rebuilt only when the lock file changes
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY core ./core
COPY handlers ./handlers
COPY knowledge ./knowledge
COPY storage ./storage
# the project itself, without fetching anything: setuptools comes from the lock
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation . \
    && /opt/venv/bin/pip check

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system --gid 10001 advisor \
    && useradd --system --uid 10001 --gid advisor --home-dir /app --shell /usr/sbin/nologin advisor \
    && mkdir -p /app/data \
    && chown advisor:advisor /app/data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER 10001:10001
VOLUME ["/app/data"]
# only used with `cluster-advisor run --webhook` (WEBHOOK_LISTEN=0.0.0.0 in a container)
EXPOSE 8443
CMD ["cluster-advisor", "run"]
