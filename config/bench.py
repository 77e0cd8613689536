"""The benchmark's reference views (mounted only when BENCH_ENDPOINTS=1).

`bare` is the framework's ceiling. `store` is the floor of any AReq: it parses and validates the
AReq and stores its transaction in one statement, and does nothing else (no card read, no risk
analysis, no authentication value). The benchmark sets the AReq beside both.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from acs import directory, policy, protocol
from acs.services import new_transaction
from config import sql
from portal import crypto


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    body = b'{"ok":true}'
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Length"] = str(len(body))  # as the AReq endpoint does: same wire work on both sides
    return response


@csrf_exempt
def store(request: HttpRequest) -> HttpResponse:
    areq = protocol.parse_areq(request.body)
    card_range = directory.card_range_for(areq.acctNumber)
    brand = card_range.brand if card_range is not None else ""
    fingerprint = crypto.pan_fingerprint(areq.acctNumber)
    sql.insert(new_transaction(areq, None, fingerprint, None, brand, policy.Answer(trans_status="Y")))
    return bare(request)
