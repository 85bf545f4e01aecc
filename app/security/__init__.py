"""API keys, roles, the per-key rate limit and the audit trail; no HTTP here (see ``app.api.auth``).

Rooms: ``keys`` (issuing, listing, revoking, hashing), ``store`` (authenticating through a short
cache), ``demo`` (the demo keys, reused across runs), ``limits`` (the rate limiter), ``access``
(roles and the rules beyond them), ``audit`` (the hash-chained trail). What other code imports is
re-exported here.
"""

from app.errors import Forbidden, RateLimited, Unauthorized
from app.security.access import (
    ROLES,
    Principal,
    Role,
    check_battery_access,
    check_province_param,
    check_reporter_events,
    check_role,
    check_station_access,
    check_vehicle_access,
    findings_company,
    province_scope,
    shows_single_batteries,
    unsearchable_kinds,
)
from app.security.audit import AuditLog, list_audit
from app.security.demo import DemoKeys, ensure_demo_keys
from app.security.keys import KEY_PREFIX, IssuedKey, hash_secret, issue_key, list_keys, revoke_key
from app.security.limits import RateLimiter
from app.security.policy import ROUTES, Access, access_for, check_route
from app.security.store import KeyStore

__all__ = [
    "KEY_PREFIX",
    "ROLES",
    "ROUTES",
    "Access",
    "AuditLog",
    "DemoKeys",
    "Forbidden",
    "IssuedKey",
    "KeyStore",
    "Principal",
    "RateLimited",
    "RateLimiter",
    "Role",
    "Unauthorized",
    "access_for",
    "check_battery_access",
    "check_province_param",
    "check_reporter_events",
    "check_role",
    "check_route",
    "check_station_access",
    "check_vehicle_access",
    "ensure_demo_keys",
    "findings_company",
    "hash_secret",
    "issue_key",
    "list_audit",
    "list_keys",
    "province_scope",
    "revoke_key",
    "shows_single_batteries",
    "unsearchable_kinds",
]
