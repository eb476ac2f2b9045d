"""``python -m orbit_cli`` runs the ``orbit`` command."""

from orbit_cli.main import main

main()
