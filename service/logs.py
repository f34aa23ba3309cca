"""Logs as one JSON object per line, each carrying the id of the request that caused it.

gunicorn.conf.py installs `logging_config()` in the server; the start script pipes its one-shot
steps (migrate, seed) through `python -m service.logs STEP`, so every line the service prints is JSON.
"""
import json
import logging
import logging.config
import sys
from contextvars import ContextVar
from datetime import datetime, timezone

current_request_id = ContextVar("current_request_id", default=None)  # set by the HTTP edge

# The lines name no source file, function, thread or process name, so records need not look them up:
# finding the caller walks the stack for every line, and every request logs one (logging's own advice).
logging._srcfile = None
logging.logThreads = False
logging.logMultiprocessing = False

_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, pid, request_id, any `extra` fields, and the exception if any."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if current_request_id.get():
            line["request_id"] = current_request_id.get()
        line.update((key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(level="info"):
    """A logging.config.dictConfig dict: every logger, gunicorn's own included, as JSON on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"handlers": [], "propagate": True}},
    }


def relay(step, lines):
    """Log each non-blank line of a step's plain output as one JSON line."""
    log = logging.getLogger(f"claimtrail.start.{step}")
    for line in lines:
        if line.strip():
            log.info(line.rstrip("\n"))


if __name__ == "__main__":
    logging.config.dictConfig(logging_config())
    relay(sys.argv[1], sys.stdin)
