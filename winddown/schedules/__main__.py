"""``python -m winddown.schedules`` — see :mod:`winddown.schedules.cli`."""

from .cli import main

raise SystemExit(main())
