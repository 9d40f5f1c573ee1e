"""The small hierarchy of domain errors; the web and the command line map them to responses."""


class SafeguardError(Exception):
    """Base of every error Safeguard raises on purpose."""


class NotFoundError(SafeguardError):
    """A record, person or key that does not exist."""


class InvalidInputError(SafeguardError):
    """Input that breaks a rule; the message says which field and why."""


class PermissionDeniedError(SafeguardError):
    """The user's role or need-to-know does not allow this."""
