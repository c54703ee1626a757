"""Domain errors raised by group, membership and content actions.

Pages and the API catch them in one place each: ``NotFound`` becomes a 404 (forbidden and
unknown look alike), ``InvalidInput`` a form error next to ``field`` (422 in the API) and
``Conflict`` a message about the action as a whole (409 in the API).
"""
from __future__ import annotations


class ActionError(Exception):
    """An action was refused; ``message`` is already translated for the person acting."""

    status = 409

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_errors(self) -> dict[str, list[str]]:
        """The error in the ``{field: [message]}`` shape forms and the API use."""
        return {self.field or "_schema": [self.message]}


class NotFound(ActionError):
    """The object does not exist or the actor may not see or touch it."""

    status = 404


class InvalidInput(ActionError):
    """Well-formed input that a domain rule rejects (duplicate slug, missing answer)."""

    status = 422


class Conflict(ActionError):
    """The action clashes with the current state (already a member, last owner leaving)."""

    status = 409


class NotAllowed(ActionError):
    """The actor can see the object but their account may not do this yet (unconfirmed, suspended)."""

    status = 403
