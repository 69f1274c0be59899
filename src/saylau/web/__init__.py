"""The results service's web front: a JSON API under /api/ and pages for typing and resolving protocols.

Routes are thin: they read the request, open one unit of work, call `saylau.service` and translate its
errors into a stable `code`, a `message` and the `field` concerned (never a traceback, never a 500 for bad
input). Nothing is kept in the process but caches of what the database says.
"""

from saylau.web.app import create_app, prepare
from saylau.web.settings import Settings

__all__ = ["Settings", "create_app", "prepare"]
