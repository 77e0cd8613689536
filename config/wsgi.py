"""WSGI entry point, with a lean handler for the Directory Servers' protocol path.

The DS-facing AReq endpoint needs no session, authentication, message, locale or CSRF
middleware; skipping them keeps its latency close to the bare framework's.
"""

import os

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LEAN_PATHS = frozenset({"/acs/areq", "/healthz", "/bench/bare", "/bench/store"})


class LeanWSGIHandler(WSGIHandler):
    """A handler with no middleware at all: the view sets its own headers."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[object] = []
        self._template_response_middleware: list[object] = []
        self._exception_middleware: list[object] = []
        self._middleware_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]


full_application = get_wsgi_application()
lean_application = LeanWSGIHandler()


def application(environ, start_response):  # type: ignore[no-untyped-def]
    if environ.get("PATH_INFO") in LEAN_PATHS:
        return lean_application(environ, start_response)
    return full_application(environ, start_response)
