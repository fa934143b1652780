"""``python -m omicsdl`` runs the command line."""

from omicsdl.cli import main

raise SystemExit(main())
