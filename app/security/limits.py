"""The rate limits: per key on the keyed routes, per client address on the public ones."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict

from app.errors import RateLimited

#: IPv6 addresses are grouped by this prefix: one subscriber is usually given a whole /64.
IPV6_GROUP_PREFIX = 64


class RateLimiter:
    """A token bucket per name: ``per_minute`` sustained, bursts up to ``burst``.

    With ``max_buckets`` at most that many buckets stay in memory: a new name past it drops the
    least recently charged one (most likely refilled by then, so dropping it forgives nothing)."""

    def __init__(self, per_minute: int, burst: int, max_buckets: int | None = None, what: str = "this key") -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_buckets = max_buckets
        self.what = what
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        """Charge one request to the name; 429 with the seconds to wait when its bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            spent = tokens >= 1.0
            self._buckets[key_id] = (tokens - 1.0 if spent else tokens, now)
            self._buckets.move_to_end(key_id)
            while self.max_buckets is not None and len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
            if not spent:
                wait = max(1, int((1.0 - tokens) / self.rate) + 1)
                raise RateLimited(f"rate limit of {self.rate * 60:.0f} requests per minute for {self.what}", wait)

    def __len__(self) -> int:
        return len(self._buckets)


def client_group(host: str | None) -> str:
    """The name a client address is limited under: an IPv4 address itself (also when mapped into
    IPv6), an IPv6 address by its /64; anything else (a test client's name) as given."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_GROUP_PREFIX}", strict=False))
    return str(address)
