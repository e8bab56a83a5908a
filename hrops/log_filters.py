"""Logging filters referenced from settings.LOGGING."""

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A 403 is an answer, not a crash: Django logs "Forbidden (Permission denied)" with the
    PermissionDenied traceback attached; keep the one line, drop the stack trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
