"""Local Neo4j runtime: the real server assembled from Maven Central, no Docker needed."""
