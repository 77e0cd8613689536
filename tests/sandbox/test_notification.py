"""The sandbox 3DS Server's notificationURL: the final CRes (or an Erro) arrives through the browser."""

from __future__ import annotations

import uuid

from django.test import Client

from acs import protocol
from sandbox.models import DemoPurchase
from sandbox.services import session_data_for

from .purchases import challenged_purchase

RREQ_Y = {"messageType": "RReq", "transStatus": "Y", "eci": "05"}  # the DS already has the result


def post_cres(purchase: DemoPurchase, cres: str, session_data: str | None = None) -> object:
    client = Client(enforce_csrf_checks=True)  # the ACS's page posts cross-site, without a CSRF token
    data = {
        "cres": cres,
        "threeDSSessionData": session_data_for(purchase) if session_data is None else session_data,
    }
    return client.post(f"/sandbox/3ds/cres/{purchase.pk}", data)


def test_it_decodes_and_records_the_final_cres(db: None) -> None:
    purchase = challenged_purchase(rreq=RREQ_Y)
    cres = protocol.build_cres(
        message_version="2.2.0",
        three_ds_server_trans_id=str(purchase.three_ds_server_trans_id),
        acs_trans_id=str(purchase.acs_trans_id),
        trans_status="Y",
    )
    response = post_cres(purchase, protocol.encode_message(cres))
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    result_url = f"/sandbox/purchase/{purchase.pk}"
    assert f'data-breakout="{result_url}"' in html and f'href="{result_url}" target="_top"' in html
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # type: ignore[index]
    purchase.refresh_from_db()
    assert purchase.cres == cres and purchase.status == DemoPurchase.Status.COMPLETED
    assert purchase.trans_status == "Y" and purchase.results_agree is True
    assert "final CRes transStatus Y" in purchase.events[-1][1]


def test_it_decodes_an_erro_sent_in_cres(db: None) -> None:
    purchase = challenged_purchase(rreq=RREQ_Y)
    erro = protocol.build_erro(
        protocol.ProtocolError("402", "challenge ended", message_type="CReq"), version="2.2.0"
    )
    post_cres(purchase, protocol.encode_message(erro))
    purchase.refresh_from_db()
    assert purchase.cres_is_erro and purchase.cres["errorCode"] == "402"
    assert purchase.results_agree is None
    page = Client().get(f"/sandbox/purchase/{purchase.pk}").content.decode()
    assert "Erro via the browser: 402" in page


def test_it_notes_a_session_data_that_did_not_come_back(db: None) -> None:
    purchase = challenged_purchase(rreq=RREQ_Y)
    cres = protocol.build_cres(
        message_version="2.2.0",
        three_ds_server_trans_id=str(purchase.three_ds_server_trans_id),
        acs_trans_id=str(purchase.acs_trans_id),
        trans_status="N",
    )
    post_cres(purchase, protocol.encode_message(cres), session_data="")
    purchase.refresh_from_db()
    assert purchase.trans_status == "N" and purchase.results_agree is False
    assert purchase.events[-1][1] == "threeDSSessionData did not come back unchanged"


def test_it_survives_a_cres_that_is_not_base64url_json(db: None) -> None:
    purchase = challenged_purchase(rreq=RREQ_Y)
    response = post_cres(purchase, "%%%not-base64%%%")
    assert response.status_code == 200  # type: ignore[attr-defined]
    purchase.refresh_from_db()
    assert purchase.cres is None and "could not be decoded" in purchase.error


def test_it_sends_a_get_to_the_result_page(db: None) -> None:
    purchase = challenged_purchase(rreq=RREQ_Y)
    response = Client().get(f"/sandbox/3ds/cres/{purchase.pk}")
    assert response.status_code == 302 and response["Location"] == f"/sandbox/purchase/{purchase.pk}"


def test_it_answers_404_for_an_unknown_purchase(db: None) -> None:
    response = Client().post(f"/sandbox/3ds/cres/{uuid.uuid4()}", {"cres": "e30"})
    assert response.status_code == 404
