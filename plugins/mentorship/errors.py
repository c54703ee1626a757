"""The one error every mentorship action raises when it refuses: a reason to show, maybe a field."""

from __future__ import annotations


class MentorshipError(Exception):
    """A refused action: ``message`` (translated), the ``field`` it concerns, the HTTP ``status``."""

    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
