"""The DS-facing endpoint's cross-cutting work in one decorator.

It checks the transport (POST, JSON, size), authenticates the Directory Server, and turns any
`ProtocolError` or database failure into an EMV Erro in JSON: the DS never sees HTML or a 500.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from acs import directory, protocol
from acs.models import DirectoryServer
from acs.protocol import ProtocolError

log = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"
# A view returns its answer and the X-Response-ID, or None when the message needs no answer.
View = Callable[[HttpRequest, DirectoryServer | None], tuple[dict[str, Any], str | None] | None]


def json_response(
    message: dict[str, Any], *, status: int = 200, response_id: str | None = None
) -> HttpResponse:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, content_type=JSON, status=status)
    # The lean AReq handler has no CommonMiddleware to set it; without it gunicorn sends chunks.
    response["Content-Length"] = str(len(body))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    if response_id:
        response["X-Response-ID"] = response_id  # EMV 2.3.1 [Req 469]: the responder's own transaction ID.
    return response


def erro_response(error: ProtocolError, *, status: int = 200) -> HttpResponse:
    return json_response(protocol.build_erro(error, version=error.message_version), status=status)


def acknowledged() -> HttpResponse:
    """The empty HTTP 200 that takes a message which has no answer (an Erro)."""
    response = HttpResponse(status=200)
    response["Content-Length"] = "0"
    response["Cache-Control"] = "no-store"
    return response


def _authenticated_ds(request: HttpRequest) -> tuple[bool, DirectoryServer | None]:
    subject = request.META.get(settings.DS_CLIENT_SUBJECT_HEADER, "")
    if not subject:
        return settings.DS_ALLOW_UNAUTHENTICATED, None
    server = directory.directory_server_for(subject)
    return server is not None, server


def protocol_endpoint(message_type: str) -> Callable[[View], Callable[[HttpRequest], HttpResponse]]:
    def decorate(view: View) -> Callable[[HttpRequest], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            try:
                if request.method != "POST":
                    raise ProtocolError(
                        "101",
                        "HTTP method",
                        description="Message Received Invalid: POST only",
                        message_type=message_type,
                    )
                if request.content_type != "application/json":
                    raise ProtocolError(
                        "101",
                        "Content-Type",
                        message_type=message_type,
                        description="Message Received Invalid: application/json expected",
                    )
                length = int(request.META.get("CONTENT_LENGTH") or 0)
                if length > settings.ACS_AREQ_MAX_BYTES:
                    raise ProtocolError(
                        "101",
                        "body",
                        message_type=message_type,
                        description="Message Received Invalid: message too large",
                    )
                allowed, server = _authenticated_ds(request)
                if not allowed:
                    error = ProtocolError("303", "client certificate", message_type=message_type)
                    return erro_response(error, status=403)
                answer = view(request, server)
                if answer is None:
                    return acknowledged()
                message, response_id = answer
                return json_response(message, response_id=response_id)
            except ProtocolError as error:
                if error.message_type == "Erro":
                    # Never an Erro for an Erro, not even an invalid one: two components that
                    # answered each other's errors could trade them forever (spec 5.9 handles a
                    # received Error Message, it never returns one).
                    log.warning("invalid Erro from a DS ignored: %s", error)
                    return acknowledged()
                return erro_response(error)
            except DatabaseError:
                # The store is down: a transient failure the DS may retry (reference §5, "Outage").
                log.exception("database unavailable while answering %s", message_type)
                return erro_response(
                    ProtocolError("403", "ACS database unavailable", message_type=message_type)
                )
            except Exception:
                log.exception("unexpected failure while answering %s", message_type)
                return erro_response(ProtocolError("404", "ACS internal error", message_type=message_type))

        return wrapper

    return decorate
