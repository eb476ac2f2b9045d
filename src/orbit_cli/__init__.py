"""orbit_cli."""
