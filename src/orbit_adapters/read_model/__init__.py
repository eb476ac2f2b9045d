"""The read side: replay stored rows into the domain's timelines, fast and from checkpoints.

``replay`` streams rows after the organisation's checkpoints through ``row_fold`` (the
fast fold, tested against the domain's reference fold); ``checkpoints`` keeps fold
states, fingerprint chains and saved tallies, encoded by ``state_codec`` and
``tally_codec``; ``saved_reports`` answers a report from saved tallies or replays it,
in worker processes when organisations are many; ``fingerprint`` is the audit chain.
"""
