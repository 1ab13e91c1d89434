"""The project's errors: each says what went wrong, where, and how to fix it.

The web layer maps them to HTTP statuses in one table (ngo_ld.web.errors.STATUS) and the
CLI to exit codes in one place (ngo_ld.cli).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


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
    """A SPARQL request that is malformed."""


class QueryRefused(QueryError):
    """A request the endpoint will not run: updates, SERVICE, file or network access."""


class QueryTooLarge(QueryError):
    """A query or request body over the configured size limit."""




class QueryCrashed(NgoLdError):
    """The engine died while running a query; the server carries on."""


class TryLater(NgoLdError):
    """Work refused for now: ``retry_after`` says in how many seconds to ask again, and
    ``limit`` names the limit that was hit (both reach the client)."""

    def __init__(self, message: str, *, limit: str, retry_after: int, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.limit = limit
        self.retry_after = max(1, int(retry_after))


class OverShare(TryLater):
    """One client asked for more than its share of the query service."""


class ServiceBusy(TryLater):
    """Every query slot is taken: the whole service is full, whoever asks."""


class QueryTimeout(QueryError, TryLater):
    """A query stopped at the time limit (``limit``: ``query_timeout``). Told like every
    other refusal, with ``Retry-After``: the engine is free again by then, though the same
    query will stop again unless it is made cheaper."""

    def __init__(self, message: str, *, retry_after: int, hint: str = "") -> None:
        TryLater.__init__(self, message, limit="query_timeout", retry_after=retry_after,
                          hint=hint)


class UpstreamError(NgoLdError):
    """The SPARQL engine behind a remote store cannot be reached, or failed on its side:
    the request was fine, the engine was not.

    ``message`` and ``hint`` are for the operator (the endpoint's URL, the setting to
    check, the engine's own words); clients are told only ``public_message`` and
    ``public_hint``, which say nothing of how the service is built."""

    public_message = "the data store cannot be reached just now"
    public_hint = "try again later"


class UpstreamTimeout(UpstreamError, TryLater):
    """The engine behind a remote store did not answer in time, whatever its wording: the
    same request may well succeed later (``Retry-After``)."""

    public_message = "the data store did not answer in time"
    public_hint = "try again later; if the query is heavy, simplify it or add LIMIT"

    def __init__(self, message: str, *, retry_after: int, hint: str = "") -> None:
        TryLater.__init__(self, message, limit="remote_query_timeout",
                          retry_after=retry_after, hint=hint)


class IndexNotReady(TryLater):
    """The label index of the data being served is still being built (search,
    reconciliation and the indexes wait for it; nobody else does)."""


class UnknownResource(NgoLdError):
    """No such thing in the dataset. ``format``: the representation the client asked for
    (a :class:`~ngo_ld.formats.Format`), so the answer can say it in that format;
    ``links``: the ``Link`` alternates, where the thing has other representations;
    ``name``: the name asked for, when nothing is called so (a page says it in its
    reader's language)."""

    def __init__(self, message: str, *, hint: str = "", format: Any = None,
                 links: str = "", name: str = "") -> None:
        super().__init__(message, hint=hint)
        self.format = format
        self.links = links
        self.name = name

    def told_in(self, format: Any, links: str = "") -> UnknownResource:
        """This error, to be told in ``format`` (and with ``links``)."""
        self.format, self.links = format, links or self.links
        return self


class NotAcceptable(NgoLdError):
    """Nothing offered matches the Accept header. ``links``: the ``Link`` alternates of
    what is offered, where each has a URL of its own."""

    def __init__(self, offered: Sequence[str], *, links: str = "") -> None:
        self.offered = list(offered)
        self.links = links
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
