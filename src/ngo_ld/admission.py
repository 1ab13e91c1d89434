"""Who may start a query now: bounded query slots and each client's fair share.

Why: a query holds a query process (and the thread waiting on it) for up to the time
limit, and the engine cannot be interrupted. Left to queue, a few runaway queries from one
client take every slot and every thread, and everyone else waits (measured: a cached
document took 8 s behind six cartesian products). So nothing here ever waits:

* the service has ``slots`` query processes; when all are taken, the query is refused at
  once with :class:`~ngo_ld.errors.ServiceBusy` (503 + ``Retry-After``);
* each client address may have ``per_client`` queries running at once, and spend
  ``seconds_per_minute`` seconds of query time per minute, a token bucket that refills
  continuously and may go into debt by the query that overdrew it; beyond either the query
  is refused at once with :class:`~ngo_ld.errors.OverShare` (429 + ``Retry-After``).

The limits follow the shape of Wikidata Query Service's published ones (concurrent queries
per client, query time per minute). They hold per web worker process: the counts live in
that process's memory (``ngo-ld serve`` runs one worker by default).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import OverShare, ServiceBusy

#: Clients whose bucket is full and who run nothing are forgotten after this many seconds
#: of silence, so a crowd of one-time visitors does not grow the table without end...
FORGET_AFTER = 120.0
#: ...and sooner, silent or not, when the table holds more clients than this (a crowd of
#: addresses within two minutes; ~200 bytes each).
MAX_CLIENTS = 20_000


@dataclass
class _Client:
    running: int = 0
    tokens: float = 0.0  # seconds of query time left; negative while in debt
    updated: float = 0.0


class QueryAdmission:
    """Admits a query (``with admission.admit(client): …``) or refuses it at once."""

    def __init__(self, *, slots: int, per_client: int, seconds_per_minute: float,
                 query_timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.slots = max(1, slots)
        self.per_client = max(1, per_client)
        self.capacity = max(0.001, seconds_per_minute)
        self.rate = self.capacity / 60.0  # seconds of query time earned per second
        self.query_timeout = query_timeout
        self.clock = clock
        self.running = 0
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Hold a slot and a share of ``client`` while the block runs; charge its time.

        :raises OverShare: the client already runs its share of queries, or has spent its
            query time of the last minute.
        :raises ServiceBusy: every query slot is taken.
        """
        started = self._enter(client)
        try:
            yield
        finally:
            self._leave(client, started)

    def _enter(self, client: str) -> float:
        with self._lock:
            now = self.clock()
            self._sweep(now)
            state = self._refilled(client, now)
            if state.running >= self.per_client:
                raise OverShare(
                    f"this client already runs {state.running} queries; the limit is "
                    f"{self.per_client} at a time", limit="concurrent queries per client",
                    retry_after=math.ceil(min(self.query_timeout, 5.0)),
                    hint="wait for an answer before sending the next query")
            if state.tokens <= 0:
                retry = (-state.tokens + 1.0) / self.rate
                raise OverShare(
                    f"this client has used its {self.capacity:g} s of query time per minute",
                    limit="query seconds per minute per client", retry_after=math.ceil(retry),
                    hint="simplify the queries (add LIMIT), or fetch the dumps and query "
                    "them locally")
            if self.running >= self.slots:
                raise ServiceBusy(
                    f"all {self.slots} query slots are busy", limit="query slots",
                    retry_after=math.ceil(min(self.query_timeout, 5.0)),
                    hint="try again in a moment; documents and dumps are served meanwhile")
            state.running += 1
            self.running += 1
            return now

    def _leave(self, client: str, started: float) -> None:
        with self._lock:
            now = self.clock()
            state = self._refilled(client, now)
            state.running -= 1
            state.tokens -= max(0.0, now - started)
            self.running -= 1

    def _refilled(self, client: str, now: float) -> _Client:
        state = self._clients.get(client)
        if state is None:
            state = self._clients[client] = _Client(tokens=self.capacity, updated=now)
        else:
            state.tokens = min(self.capacity, state.tokens + (now - state.updated) * self.rate)
            state.updated = now
        return state

    def _sweep(self, now: float) -> None:
        crowded = len(self._clients) > MAX_CLIENTS
        # Crowded, sweep once a second at most: a sweep walks the whole table.
        if now - self._swept < (1.0 if crowded else FORGET_AFTER):
            return
        self._swept = now
        for client, state in list(self._clients.items()):
            refilled = state.tokens + (now - state.updated) * self.rate
            if state.running == 0 and refilled >= self.capacity and (
                    crowded or now - state.updated > FORGET_AFTER):
                del self._clients[client]

    def __len__(self) -> int:
        """Clients remembered now (for tests and monitoring)."""
        return len(self._clients)

    def share_of(self, client: str) -> tuple[int, float]:
        """(queries running, seconds of query time left) for ``client``, now."""
        with self._lock:
            state = self._refilled(client, self.clock())
            return state.running, state.tokens


def client_address(remote_addr: str | None, forwarded_for: str | None,
                   trusted: frozenset[str]) -> str:
    """The address a request is counted against.

    ``X-Forwarded-For`` is believed only when the connection comes from a trusted proxy,
    and then read from the right: the first address that is not itself a trusted proxy is
    the client (entries further left were written by the client and prove nothing).

    >>> client_address("10.0.0.1", "1.2.3.4, 10.0.0.1", frozenset({"10.0.0.1"}))
    '1.2.3.4'
    >>> client_address("5.6.7.8", "1.2.3.4", frozenset({"10.0.0.1"}))
    '5.6.7.8'
    """
    address = remote_addr or "-"
    if not forwarded_for or address not in trusted:
        return address
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if hop and hop not in trusted:
            return hop
    return address
