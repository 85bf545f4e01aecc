"""Command-line loaders: synthetic worlds, bulk files, EPCIS documents, all through the ingest service."""
