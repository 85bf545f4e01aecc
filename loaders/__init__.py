"""Command-line loaders: synthetic worlds, bulk files, EPCIS documents; one ingest path."""
