"""Checkpointed projections: the replay's fold state, saved by store position."""
