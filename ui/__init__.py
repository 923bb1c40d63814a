"""The dashboard's own package: session state (``state``), data sources, training runs,
and pure chart builders (``charts``). Pages in ``views/`` call these and ``nn_core``."""
