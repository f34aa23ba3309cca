FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 claimtrail
WORKDIR /app

COPY pyproject.toml README.md ./
COPY service ./service
COPY schemas ./schemas
RUN pip install .

COPY gunicorn.conf.py ./
COPY seeds ./seeds
RUN mkdir -p /app/data && chown claimtrail /app/data
USER claimtrail

ENV PORT=8000 WEB_CONCURRENCY=2
EXPOSE 8000
CMD flask --app service migrate && flask --app service seed && \
    exec gunicorn --no-control-socket --bind 0.0.0.0:$PORT --workers $WEB_CONCURRENCY 'service:create_app()'
