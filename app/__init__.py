"""BatteryTrace: provenance of EV power batteries as a Neo4j graph behind a small HTTP API."""
