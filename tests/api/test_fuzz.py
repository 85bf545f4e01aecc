"""Hostile input against a real API process: schema fuzzing and Cypher-injection strings.

schemathesis generates requests from the OpenAPI document for every operation: no answer may be
a 500 or break its documented schema. Injection strings go into every path and query parameter:
nothing in the graph may change. ``FUZZ_EXAMPLES`` raises the per-operation count for the long
run (``make fuzz``).
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app.config import Settings
from app.db import Database
from app.security import issue_key
from app.services.store import clear_store
from bench.server import api_process
from loaders.files import load_directory
from loaders.synth import generate_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
INJECTIONS = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "x`}) DETACH DELETE n RETURN 1 //",
    "$code",
    "1; CALL dbms.killQueries([]) //",
    "\\u0027) WITH 1 AS x MATCH (n) SET n.pwned = true //",
    "../../etc/passwd",
    "%00",
]


@pytest.fixture(scope="module")
def server(
    database: Database, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    clear_store(database)
    world = tmp_path_factory.mktemp("fuzz-world")
    generate_world(world, batteries=100, seed=3)
    load_directory(database, world, progress=False)
    key = issue_key(database, "admin", "fuzz").key
    env = {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.password(),
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "RATE_LIMIT_BURST": "100000",
        "PUBLIC_RATE_LIMIT_PER_MINUTE": "1000000",  # the public routes are fuzzed too, not refused
        "PUBLIC_RATE_LIMIT_BURST": "100000",
    }
    with api_process(env, log_level="error") as api:
        yield {"port": api.port, "key": key, "base": api.base_url}


def _graph_state(db: Database) -> tuple[int, int, int]:
    """Nodes and relationships outside the audit trail (which every request may append to)."""
    with db.driver.session(database=db.name) as s:
        rec = s.run(
            "MATCH (n) WHERE NOT n:AuditEntry AND NOT n:AuditHead WITH count(n) AS nodes "
            "MATCH ()-[r]->() WITH nodes, count(r) AS rels "
            "OPTIONAL MATCH (p) WHERE p.pwned IS NOT NULL RETURN nodes, rels, count(p) AS pwned"
        ).single()
    assert rec is not None
    return int(rec["nodes"]), int(rec["rels"]), int(rec["pwned"])


def test_schemathesis_finds_no_server_error_or_schema_violation(server: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_url(server["base"] + "/openapi.json")
    statuses: Counter[int] = Counter()
    cases = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            nonlocal cases
            response = case.call_and_validate(
                base_url=server["base"],
                headers={"X-API-Key": server["key"]},
                checks=[not_a_server_error, response_schema_conformance],
                timeout=120,  # correctness, not speed: the leakage summary runs every rule
            )
            cases += 1
            statuses[response.status_code] += 1

        run()
    print(f"schemathesis: {cases} requests, statuses {dict(sorted(statuses.items()))}")
    assert cases > 0 and statuses[500] == 0


def test_injection_strings_change_nothing(server: dict[str, Any], database: Database) -> None:
    before = _graph_state(database)
    with urllib.request.urlopen(server["base"] + "/openapi.json") as fh:
        spec = json.loads(fh.read())
    answers: Counter[int] = Counter()
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    for path, item in spec["paths"].items():
        for method, op in item.items():
            params = op.get("parameters", [])
            if not params:
                continue  # nothing of the request reaches a query
            for attack in INJECTIONS:
                url = path
                query: dict[str, str] = {}
                for p in params:
                    if p["in"] == "path":
                        url = url.replace("{" + p["name"] + "}", urllib.parse.quote(attack, safe=""))
                    elif p["in"] == "query":
                        query[p["name"]] = attack
                if "{" in url:
                    continue
                target = url + ("?" + urllib.parse.urlencode(query) if query else "")
                body = json.dumps({"events": [{"event_id": attack, "type": attack}]}) if method != "get" else None
                conn.request(
                    method.upper(),
                    target,
                    body=body,
                    headers={"X-API-Key": server["key"], "content-type": "application/json"},
                )
                res = conn.getresponse()
                res.read()
                answers[res.status] += 1
    print(f"injection: {sum(answers.values())} requests, statuses {dict(sorted(answers.items()))}")
    assert answers[500] == 0
    assert _graph_state(database) == before
