"""Logging helpers referenced from settings.LOGGING."""

import logging


class NoTracebackBelow500(logging.Filter):
    """Drop the traceback from a refusal's log line (Django attaches the PermissionDenied it caught)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
