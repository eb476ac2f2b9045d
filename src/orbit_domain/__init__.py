"""orbit's pure core: journey events, their rules, and the statistics folded from them.

Nothing here does I/O, reads a clock or makes ids: time and identity come in as arguments.

Import each name from its module (``orbit_domain.events``, ``orbit_domain.period``, ...):
the package itself imports nothing, so a command that needs one module (a report needs
``orbit_domain.weighting`` before anything else) loads only that one. An embedding
service finds the events, ``Period``, ``Weighting`` and ``Report`` re-exported by
``orbit_adapters``, orbit's public surface.
"""
