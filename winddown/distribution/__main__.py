"""``python -m winddown.distribution`` — see :mod:`winddown.distribution.cli`."""

from .cli import main

raise SystemExit(main())
