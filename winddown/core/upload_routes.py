"""Which paths take files, and how large a request to each may be.

Every app registers its upload paths from its AppConfig.ready(); everything else takes a
small body (REQUEST_BODY_MAX_BYTES: forms and JSON). BodySizeLimitMiddleware refuses a
declared body over its path's limit before Django reads it, and deploy/nginx.conf gives
each upload path its own client_max_body_size, with a small one everywhere else; a test
checks that nginx lets through exactly what the platform would accept
(core/tests/test_deploy.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

# Room for the multipart envelope and the other form fields beside the files.
ENVELOPE_BYTES = 64 * 1024


@dataclass(frozen=True)
class UploadRoute:
    pattern: re.Pattern
    limit_setting: str  # the settings name of one file's largest size, in bytes
    files: int  # how many files one request may carry
    example: str  # a path the pattern matches (for the nginx check)

    def limit(self) -> int:
        return getattr(settings, self.limit_setting) * self.files + ENVELOPE_BYTES


_ROUTES: list[UploadRoute] = []


def register_upload_route(pattern: str, *, limit_setting: str, example: str, files: int = 1):
    route = UploadRoute(re.compile(pattern), limit_setting, files, example)
    if not route.pattern.fullmatch(example):
        raise ValueError(f"{example!r} does not match its upload pattern {pattern!r}")
    if route not in _ROUTES:
        _ROUTES.append(route)


def upload_routes() -> list[UploadRoute]:
    return list(_ROUTES)


def body_limit(path: str) -> int:
    """The largest request body, in bytes, a request to `path` may declare."""
    for route in _ROUTES:
        if route.pattern.fullmatch(path):
            return route.limit()
    return settings.REQUEST_BODY_MAX_BYTES
