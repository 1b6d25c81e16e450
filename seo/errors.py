"""Errors the front ends turn into user messages (French) and exit codes."""


class SeoError(Exception):
    """Base class. `str(err)` is a French sentence fit to show a journalist."""

    exit_code = 1


class InputError(SeoError):
    """The input cannot be used as a dispatch (empty, too short, too long, not text)."""

    exit_code = 2


class LLMError(SeoError):
    """The language model failed after retries (unreachable, refused key, 5xx, timeouts)."""

    exit_code = 3
