"""Domain errors. They carry no HTTP: the web layer maps each kind to a status."""


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthorized(DomainError):
    code = "unauthorized"


class Invalid(DomainError):
    """Input that is well formed but not acceptable; `field` names the culprit."""

    code = "invalid"


class TooManyAttempts(DomainError):
    """Held back for now; `retry_after` says in how many seconds to try again."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
