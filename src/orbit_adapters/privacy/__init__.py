"""Privacy by design: per-participant data keys, pseudonymous streams, erasure."""
