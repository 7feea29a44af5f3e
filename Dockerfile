# kubecon-bot: small image, non-root, content baked in at /app/content (mount over it, or set
# CONTENT_PATH, to serve other content). Build: docker build -t kubecon-bot .

ARG BASE=python:3.11-slim
FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
# pip compiles the bytecode now: the read-only container then starts without compiling.
# pip and setuptools are build tools: the image does not need them (about 23 MB).
RUN /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall --yes pip setuptools

FROM ${BASE}
RUN groupadd --system --gid 10001 kubecon \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin kubecon \
    && mkdir -p /app/content /data \
    && chown 10001:10001 /data
COPY --from=build /opt/venv /opt/venv
COPY content/ /app/content/
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CONTENT_PATH=/app/content/qa.yaml \
    DATABASE_URL=sqlite:////data/kubecon-bot.sqlite3 \
    HOST=0.0.0.0 \
    HEALTH_PORT=8080 \
    LOG_FORMAT=json
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["kubecon-bot", "healthcheck"]
ENTRYPOINT ["kubecon-bot"]
CMD ["run"]
