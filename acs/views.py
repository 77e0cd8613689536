"""The ACS's HTTP endpoints: thin, each parses, calls one service, answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.decorators.csrf import csrf_exempt

from acs import protocol, services
from acs.endpoint import protocol_endpoint
from acs.models import DirectoryServer


@csrf_exempt
@protocol_endpoint("AReq")
def areq(
    request: HttpRequest, directory_server: DirectoryServer | None
) -> tuple[dict[str, Any], str | None] | None:
    message = protocol.parse_ds_request(request.body)
    if isinstance(message, protocol.Erro):
        services.ds_error_receive(erro=message, directory_server=directory_server)
        return None  # acknowledged with an empty 200: an Erro is never answered with one
    result = services.authenticate(areq=message, directory_server=directory_server)
    return result.ares, str(result.transaction.acs_trans_id)
