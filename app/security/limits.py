"""The per-key rate limit."""

from __future__ import annotations

import threading
import time

from app.errors import RateLimited


class RateLimiter:
    """A token bucket per key: ``per_minute`` sustained, bursts up to ``burst``."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        """Charge one request to the key; 429 with the seconds to wait when its bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = max(1, int((1.0 - tokens) / self.rate) + 1)
                raise RateLimited(f"rate limit of {self.rate * 60:.0f} requests per minute for this key", wait)
            self._buckets[key_id] = (tokens - 1.0, now)
