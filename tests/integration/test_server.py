"""The suite really talks to Neo4j: version, schema and a round trip through Bolt."""

from __future__ import annotations

from app.db import Database
from app.queries import registry
from app.services.store import apply_schema


def test_server_is_neo4j_5_26_community(db: Database) -> None:
    with db.driver.session(database=db.name) as session:
        record = session.run(
            "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition"
        ).single()
    assert record is not None
    assert record["v"].startswith("5.26"), record["v"]
    assert record["edition"] in ("community", "enterprise")


def test_schema_constraints_exist_and_reapply_is_idempotent(db: Database) -> None:
    apply_schema(db)
    apply_schema(db)
    with db.driver.session(database=db.name) as session:
        names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"battery_code_unique", "event_id_unique", "company_uscc_unique"} <= names


def test_unique_constraint_is_enforced(db: Database) -> None:
    with db.driver.session(database=db.name) as session:
        session.run("CREATE (:Battery {code: $c})", c="X").consume()
        try:
            session.run("CREATE (:Battery {code: $c})", c="X").consume()
        except Exception as exc:
            assert "already exists" in str(exc)
        else:
            raise AssertionError("second Battery with the same code was accepted")


def test_every_cypher_file_compiles_on_the_server(db: Database) -> None:
    """EXPLAIN every non-schema query: a syntax error or unknown function fails here."""
    checked = 0
    with db.driver.session(database=db.name) as session:
        for query in registry().values():
            if query.mode in ("schema", "autocommit"):
                continue
            params = dict.fromkeys(query.params)
            session.run("EXPLAIN " + query.text, params).consume()  # type: ignore[arg-type]
            checked += 1
    assert checked >= 1


def _operators(plan: dict[str, object]) -> list[str]:
    children = plan.get("children") or []
    args = plan.get("args") or {}
    here = [f"{plan.get('operatorType')} {args.get('Details', '') if isinstance(args, dict) else ''}"]
    return here + [op for child in children for op in _operators(child)]  # type: ignore[union-attr]


def test_the_trace_seeks_its_vehicles_events_by_index(db: Database) -> None:
    """The timeline's vehicle events are a (vehicle, type) index seek per vehicle, not a walk over
    a swap vehicle's every event: the trace is benchmarked (bench/)."""
    apply_schema(db)
    with db.driver.session(database=db.name) as session:
        summary = session.run("EXPLAIN " + registry()["trace.battery_timeline"].text, code="X").consume()  # type: ignore[arg-type]
    assert summary.plan is not None
    operators = _operators(summary.plan)
    assert any("IndexSeek" in op and ":Event(vehicle, type)" in op for op in operators), operators


def test_two_findings_feeds_from_a_race_become_one_before_the_constraint(db: Database) -> None:
    """Feeds were MERGEd without a constraint; two sweeps at once made two, and then every change
    was written twice at the same position. The schema keeps the feed that gave the most positions."""
    with db.driver.session(database=db.name) as session:
        session.run("DROP CONSTRAINT finding_feed_id_unique IF EXISTS").consume()
        session.run("CREATE (:FindingFeed {id: 'findings', seq: 3}), (:FindingFeed {id: 'findings', seq: 7})").consume()
    try:
        apply_schema(db)
        with db.driver.session(database=db.name) as session:
            seqs = [r["seq"] for r in session.run("MATCH (f:FindingFeed) RETURN f.seq AS seq")]
            assert seqs == [7]
            try:
                session.run("CREATE (:FindingFeed {id: 'findings', seq: 0})").consume()
            except Exception as exc:
                assert "already exists" in str(exc)
            else:
                raise AssertionError("a second findings feed was accepted")
    finally:
        apply_schema(db)


RETIRED_INDEXES = {
    "battery_maker_level": "FOR (b:Battery) ON (b.maker_code, b.level)",
    "battery_status": "FOR (b:Battery) ON (b.status)",
    "event_battery_in": "FOR (e:Event) ON (e.battery_in, e.type)",
}


def test_a_store_from_before_loses_the_indexes_no_query_uses(db: Database) -> None:
    """A store whose schema still has the retired indexes gets the same shape as a new one when the schema applies."""
    with db.driver.session(database=db.name) as session:
        for name, target in RETIRED_INDEXES.items():
            session.run(f"CREATE INDEX {name} IF NOT EXISTS {target}").consume()  # type: ignore[arg-type]
        session.run("CALL db.awaitIndexes(60)").consume()
        before = {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
    assert set(RETIRED_INDEXES) <= before
    apply_schema(db)
    with db.driver.session(database=db.name) as session:
        after = {r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name")}
    assert not set(RETIRED_INDEXES) & after
    assert {"event_battery_type", "event_type_time", "battery_last_event_at"} <= after
