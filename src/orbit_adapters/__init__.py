"""orbit_adapters."""
