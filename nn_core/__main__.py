"""``python -m nn_core``: the command line (see ``nn_core.cli``)."""

from .cli import main

raise SystemExit(main())
