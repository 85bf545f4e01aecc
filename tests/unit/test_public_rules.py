"""The pure parts of the public answers: the life-stage table over the replay's statuses, the
grouping of client addresses, and the bounded buckets of the per-address limit."""

from __future__ import annotations

import pytest

from app.errors import RateLimited
from app.lifecycle import replay_battery
from app.lifecycle.stages import PUBLIC_STAGES, STAGE_OF_STATUS, public_stage
from app.security.limits import RateLimiter, client_group


def test_every_status_the_replay_gives_has_a_stage() -> None:
    # the replay's default and every status it sets (app.lifecycle.replay's ``status(...)`` calls)
    assert replay_battery("X", []).status in STAGE_OF_STATUS
    assert set(STAGE_OF_STATUS.values()) == set(PUBLIC_STAGES)
    assert public_stage("installed", False) == "in_use"
    assert public_stage("in_stock", True) == "second_life"  # a product made from a repurposed pack
    assert public_stage("recycled", True) == "recycled"
    assert public_stage(None, False) == public_stage("a status nobody knows", False) == "unknown"


@pytest.mark.parametrize(
    ("host", "group"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::a", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_client_addresses_are_grouped(host: str | None, group: str) -> None:
    assert client_group(host) == group


def test_the_buckets_are_bounded_and_the_least_recent_goes_first() -> None:
    limiter = RateLimiter(per_minute=1, burst=1, max_buckets=3, what="this client address")
    for name in ("a", "b", "c"):
        limiter.take(name)
    with pytest.raises(RateLimited) as refused:
        limiter.take("a")  # empty, and now the most recent
    assert refused.value.retry_after_s >= 1 and "this client address" in str(refused.value)
    for n in range(1000):
        limiter.take(f"spray-{n}")
    assert len(limiter) == 3
