"""The one kind of bounded memory the server keeps: least recently used entries, bounded in
bytes and in count, from ``cachetools``.

Used for complete HTTP answers (the front door), query outcomes, and documents, dumps and
pages built once per data version. Each instance has its own bounds (settings in
:mod:`ngo_ld.config`), so a flood of one kind cannot push out another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")
#: What an entry costs beyond the bytes it is given (the key, the tuple, the dict slot).
ENTRY_OVERHEAD = 600


class BoundedCache(Generic[V]):
    """Thread-safe LRU of at most ``max_entries`` entries and ``max_bytes`` bytes.

    The caller says what an entry weighs (:meth:`put`'s ``size``); an entry weighs at least
    ``max_bytes / max_entries``, which is how the count bound is kept by the byte bound.
    An entry heavier than ``max_bytes / 8`` is not kept: one large answer must not push out
    many small ones. With ``admit_on_second_request``, a key is only stored the second time
    it is offered (see :class:`Doorkeeper`).
    """

    def __init__(self, max_entries: int, max_bytes: int, *,
                 admit_on_second_request: bool = False) -> None:
        self.max_entries = max(0, max_entries)
        self.max_bytes = max(0, max_bytes)
        self.enabled = self.max_entries > 0 and self.max_bytes > 0
        self._floor = self.max_bytes // max(1, self.max_entries)
        self._lru: LRUCache[Hashable, tuple[V, int]] = LRUCache(
            maxsize=max(1, self.max_bytes), getsizeof=lambda entry: entry[1])
        self._lock = threading.Lock()
        self._doorkeeper = (Doorkeeper(4 * max(1, self.max_entries))
                            if admit_on_second_request else None)

    def get(self, key: Hashable) -> V | None:
        if not self.enabled:
            return None
        with self._lock:
            entry = self._lru.get(key)
        return None if entry is None else entry[0]

    def put(self, key: Hashable, value: V, size: int) -> bool:
        """Remember ``value`` (weighing ``size`` bytes); whether it was kept."""
        if not self.enabled:
            return False
        if size + ENTRY_OVERHEAD > self.max_bytes // 8:
            return False
        weight = max(size + ENTRY_OVERHEAD, self._floor)
        if self._doorkeeper is not None and not self._doorkeeper.admit(key):
            return False
        with self._lock:
            self._lru[key] = (value, weight)
        return True

    def get_or_build(self, key: Hashable, build: Callable[[], V],
                     size: Callable[[V], int], *, keep: Callable[[V], bool] = bool) -> V:
        """The entry of ``key``, built (outside the lock) when missing. Two threads may
        both build; the results are equal, so the race is harmless. A value for which
        ``keep`` is false (say, None for "no such thing") is not remembered."""
        found = self.get(key)
        if found is not None:
            return found
        value = build()
        if keep(value):
            self.put(key, value, size(value))
        return value

    def clear(self) -> None:
        with self._lock:
            self._lru.clear()

    @property
    def bytes(self) -> int:
        return int(self._lru.currsize)

    def __len__(self) -> int:
        return len(self._lru)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._lru

    def snapshot_keys(self) -> list[Any]:
        with self._lock:
            return list(self._lru.keys())


class Doorkeeper:
    """Admits a key the second time it is seen within the last ``window`` keys.

    Why: most requests to an endpoint are asked once (a crawler, a client paging through
    queries); remembering each one costs an insertion and an eviction and fills the cache
    with answers nobody asks for again. Only hashes of the keys are kept (a collision only
    admits an answer early; the cache itself is keyed by the whole key).
    """

    def __init__(self, window: int) -> None:
        self.window = max(1, window)
        self._seen: LRUCache[int, None] = LRUCache(maxsize=self.window)
        self._lock = threading.Lock()

    def admit(self, key: Hashable) -> bool:
        digest = hash(key)
        with self._lock:
            if digest in self._seen:
                del self._seen[digest]
                return True
            self._seen[digest] = None
            return False
