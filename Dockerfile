FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 claimtrail
WORKDIR /app

# The dependencies alone, read from pyproject.toml: this layer is rebuilt only when they change.
COPY pyproject.toml ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code runs from /app, beside its migrations and seeds, so it is not installed as a package.
COPY gunicorn.conf.py ./
COPY bin ./bin
COPY migrations ./migrations
COPY seeds ./seeds
COPY schemas ./schemas
COPY service ./service
RUN mkdir -p /app/data && chown claimtrail /app/data

USER claimtrail
ENV PYTHONPATH=/app HOST=0.0.0.0 PORT=8000 DATABASE_URL=sqlite:////app/data/claimtrail.db
EXPOSE 8000
# Liveness only: a database outage should take the container out of the load balancer (/ready),
# not get it restarted. The slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"
# Migrations, seeds, then gunicorn: the same script as `make run` and tests/test_deployment.py.
CMD ["bin/start"]
