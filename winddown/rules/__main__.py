"""``python -m winddown.rules`` — see :mod:`winddown.rules.cli`."""

from .cli import main

raise SystemExit(main())
