"""The verifiable log: RFC 9162 tree in tiles, its signing key, and the offline verifier (pure)."""
