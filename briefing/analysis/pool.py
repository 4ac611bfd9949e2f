"""A bounded pool of the best entries, kept as articles come and go.

The pool holds every entry whose key is above `floor`, and at most `size`
of them: when it overflows it drops its smallest entry and raises the
floor to it, so what it holds is always exactly the top of everything
offered so far (less what was discarded). Keys are unique tuples, larger
is better, the article id inside them.

Readers walk it best first and may skip entries (a syndicated copy that
does not speak for its cluster); should they run past the end while
entries were dropped, the pool refills from the caller's full list with
twice the room and the walk carries on where it was: the entries it has
already given are the top of the refilled pool too.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator


class TopPool:
    def __init__(self, size: int) -> None:
        self.size = size
        self.heap: list[tuple] = []
        self.floor: tuple | None = None  # None: nothing was ever dropped

    def __len__(self) -> int:
        return len(self.heap)

    def offer(self, key: tuple) -> None:
        if self.floor is not None and key <= self.floor:
            return
        if len(self.heap) < self.size:
            heapq.heappush(self.heap, key)
        else:
            self.floor = heapq.heappushpop(self.heap, key)

    def discard(self, keep: Callable[[tuple], bool]) -> None:
        """Drop the entries `keep` rejects (an article that went away)."""
        self.heap = [key for key in self.heap if keep(key)]
        heapq.heapify(self.heap)

    def refill(self, everything: Callable[[int], Iterable[tuple]], size: int | None = None) -> None:
        """Start again from every current entry (after the floor was raised
        too far for a reader). `everything(n)` gives all entries, or any
        subset holding the n best."""
        self.size = size or self.size
        keys = heapq.nlargest(self.size + 1, everything(self.size + 1))
        if len(keys) <= self.size:
            self.heap, self.floor = keys, None
        else:
            self.floor = keys.pop()
            self.heap = keys
        heapq.heapify(self.heap)

    def walk(self, everything: Callable[[int], Iterable[tuple]]) -> Iterator[tuple]:
        """Entries best first; refills from `everything` when a reader
        wants more than the pool holds and some were dropped."""
        items = sorted(self.heap, reverse=True)
        i = 0
        while True:
            while i < len(items):
                yield items[i]
                i += 1
            if self.floor is None:
                return
            self.refill(everything, 2 * max(self.size, len(items), 1))
            items = sorted(self.heap, reverse=True)
