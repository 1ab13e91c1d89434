"""The project's errors: each says what went wrong, where, and how to fix it.

The web layer maps them to HTTP statuses in one table (web/errors.py) and the CLI to exit
codes in one place (cli.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class NgoLdError(Exception):
    """Base class: a message a person can act on."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class LoadError(NgoLdError):
    """A source file that cannot be read or parsed."""

    def __init__(
        self,
        file: Path | str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        syntax: bool = False,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        where = self.file if line is None else f"{self.file}:{line}" + (
            f":{column}" if column else ""
        )
        hint = (
            "fix the syntax at that line (Turtle: https://www.w3.org/TR/turtle/) "
            "and run `ngo-ld validate` again"
            if syntax
            else ""
        )
        super().__init__(f"{where}: {message}", hint=hint)


class ShapesError(NgoLdError):
    """The shapes themselves are unusable."""


class ConfigError(NgoLdError):
    """A setting that cannot work."""


class QueryError(NgoLdError):
    """A SPARQL request that is malformed (HTTP 400)."""

    status = 400


class QueryRefused(QueryError):
    """A request the endpoint will not run: updates, SERVICE, file or network access."""

    status = 403


class QueryTooLarge(QueryError):
    """A query or request body over the configured size limit."""

    status = 413


class QueryTimeout(QueryError):
    """A query stopped at the time limit."""

    status = 503


class UpstreamError(NgoLdError):
    """The SPARQL engine behind a remote store cannot be reached, or failed on its side
    (HTTP 502): the request was fine, the engine was not."""

    #: Seconds a client may wait before trying again (``Retry-After``), when known.
    retry_after: int | None = None


class UpstreamTimeout(UpstreamError):
    """The engine behind a remote store did not answer in time, whatever its wording
    (HTTP 503 with ``Retry-After``): the same request may well succeed later."""

    def __init__(self, message: str, *, hint: str = "", retry_after: int = 10) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class UnknownResource(NgoLdError):
    """No such thing in the dataset (HTTP 404)."""


class NotAcceptable(NgoLdError):
    """Nothing offered matches the Accept header (HTTP 406)."""

    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = list(offered)
        super().__init__(
            "none of the requested media types can be served",
            hint="ask for one of: " + ", ".join(self.offered),
        )


class InvalidData(NgoLdError):
    """The data does not conform to the shapes; the server refuses to start.

    Carries the report as text, so it can cross a process boundary (``ngo-ld serve``
    validates in a short-lived child process).
    """

    def __init__(self, report: str, violations: int) -> None:
        self.report = report
        self.violations = violations
        super().__init__(f"the data does not conform: {violations} violations",
                         hint="run `ngo-ld validate` and fix what it reports")
