"""Replay attempts through the real endpoints: the 3DS Method (page + collect) and POST /acs/areq.

In process through django.test.Client (the whole Django stack, middleware included), or with
`url` against a running server over HTTP. Challenges are not played page by page: a challenged
cardholder passes (or a fraudster fails), and that outcome, like a later "this wasn't me" on
fraud that went through, is recorded into the history directly, as the ACS and the portal do.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from riskanalysis.simulation.scenarios import Attempt

TOKEN = re.compile(r'data-token="([^"]+)"')


class Sender(Protocol):
    def post(self, path: str, body: bytes, content_type: str, remote_addr: str) -> tuple[int, str]: ...


class InProcess:
    def __init__(self) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")  # an allowed host in local settings

    def post(self, path: str, body: bytes, content_type: str, remote_addr: str) -> tuple[int, str]:
        response = self.client.post(path, data=body, content_type=content_type, REMOTE_ADDR=remote_addr)
        return response.status_code, response.content.decode()


class Remote:
    def __init__(self, url: str) -> None:
        import requests

        self.url = url.rstrip("/")
        self.session = requests.Session()

    def post(self, path: str, body: bytes, content_type: str, remote_addr: str) -> tuple[int, str]:
        response = self.session.post(
            self.url + path, data=body, headers={"Content-Type": content_type}, timeout=10
        )
        return response.status_code, response.text


def areq_for(attempt: Attempt, trans_id: str) -> dict[str, Any]:
    person, device, merchant = attempt.person, attempt.device, attempt.merchant
    message: dict[str, Any] = {
        "messageType": "AReq",
        "messageVersion": "2.2.0",
        "messageCategory": "01",
        "deviceChannel": "02",
        "threeDSServerTransID": trans_id,
        "dsTransID": str(uuid.uuid4()),
        "dsReferenceNumber": "DS_REF_SIM",
        "dsURL": "http://127.0.0.1:9/rreq",
        "threeDSServerRefNumber": "3DSS_REF_SIM",
        "threeDSServerURL": "https://3dss.example/rreq",
        "threeDSRequestorID": merchant.requestor_id,
        "threeDSRequestorName": merchant.name[:40],
        "threeDSRequestorURL": "https://shop.example",
        "threeDSRequestorAuthenticationInd": "01",
        "threeDSRequestorChallengeInd": "01",
        "threeDSCompInd": "Y" if attempt.method else "U",
        "acctNumber": person.pan,
        "cardExpiryDate": "3012",
        "acquirerBIN": "400551",
        "acquirerMerchantID": merchant.mid,
        "mcc": merchant.mcc,
        "merchantCountryCode": "392",
        "merchantName": merchant.name[:40],
        "purchaseAmount": str(attempt.amount),
        "purchaseCurrency": "392",
        "purchaseExponent": "0",
        "purchaseDate": attempt.at.strftime("%Y%m%d%H%M%S"),
        "notificationURL": "https://3dss.example/cres",
        "browserAcceptHeader": "text/html,application/xhtml+xml",
        "browserIP": attempt.ip,
        "browserJavascriptEnabled": attempt.javascript,
        "browserLanguage": device.language,
        "browserUserAgent": device.user_agent if attempt.user_agent is None else attempt.user_agent or " ",
        "cardholderName": attempt.name or person.name,
        "billAddrCountry": "392",
        "billAddrLine1": person.bill["line1"],
        "billAddrCity": person.bill["city"],
        "billAddrPostCode": person.bill["post"],
        "billAddrState": person.bill["state"],
        "acctInfo": attempt.acct_info,
    }
    if attempt.javascript:
        message.update(
            {
                "browserJavaEnabled": False,
                "browserColorDepth": "24",
                "browserScreenHeight": str(device.screen[1]),
                "browserScreenWidth": str(device.screen[0]),
                "browserTZ": str(device.tz_offset),
            }
        )
    if attempt.email:
        message["email"] = attempt.email
    if attempt.phone:
        message["mobilePhone"] = {"cc": "81", "subscriber": attempt.phone}
    if attempt.ship is not None:
        message.update(
            {
                "shipAddrLine1": attempt.ship["line1"],
                "shipAddrCity": attempt.ship["city"],
                "shipAddrPostCode": attempt.ship["post"],
                "shipAddrState": attempt.ship["state"],
                "shipAddrCountry": attempt.ship["country"],
                "addrMatch": "Y" if attempt.ship == person.bill else "N",
            }
        )
    return message


def device_data(attempt: Attempt, token: str) -> dict[str, Any]:
    device = attempt.device
    return {
        "token": token,
        "screenWidth": device.screen[0],
        "screenHeight": device.screen[1],
        "colorDepth": 24,
        "timezoneOffset": device.tz_offset,
        "timezoneName": device.tz_name,
        "languages": [device.language],
        "platform": device.platform,
        "hardwareConcurrency": device.cores,
        "maxTouchPoints": device.touch,
        "canvasHash": device.canvas,
        "webglHash": device.webgl,
        "deviceId": device.device_id,
        "storageAvailable": True,
    }


@dataclass
class Tally:
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    fraud_events: dict[str, dict[int, bool]] = field(default_factory=lambda: defaultdict(dict))
    round_trip_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    acs_trans_ids: list[str] = field(default_factory=list)
    legit_ids: set[str] = field(default_factory=set)
    stopped_legit: list[str] = field(default_factory=list)  # to tell what challenges cardholders
    passed_fraud: list[str] = field(default_factory=list)  # ... and what lets fraud through


class Runner:
    def __init__(self, sender: Sender, *, seed: int) -> None:
        self.sender = sender
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.pending_marks: list[tuple[dt.datetime, str, str]] = []

    def _method(self, attempt: Attempt, trans_id: str) -> None:
        data = (
            base64.urlsafe_b64encode(
                json.dumps(
                    {
                        "threeDSServerTransID": trans_id,
                        "threeDSMethodNotificationURL": "https://3dss.example/notify",
                    }
                ).encode()
            )
            .decode()
            .rstrip("=")
        )
        status, html = self.sender.post(
            "/acs/method",
            f"threeDSMethodData={data}".encode(),
            "application/x-www-form-urlencoded",
            attempt.ip,
        )
        token = TOKEN.search(html)
        if status != 200 or token is None:
            self.tally.errors[f"method {status}"] += 1
            return
        status, _ = self.sender.post(
            "/acs/method/collect",
            json.dumps(device_data(attempt, token.group(1))).encode(),
            "application/json",
            attempt.ip,
        )
        if status != 204:
            self.tally.errors[f"collect {status}"] += 1

    def play(self, attempt: Attempt) -> str:
        """Send one attempt; return its transStatus ("E" for an error)."""
        from riskanalysis.recording import challenge_recorded

        self._marks_due(attempt.at)
        trans_id = str(uuid.uuid4())
        if attempt.method:
            self._method(attempt, trans_id)
        body = json.dumps(areq_for(attempt, trans_id)).encode()
        started = time.perf_counter()
        status, text = self.sender.post("/acs/areq", body, "application/json", "127.0.0.1")
        self.tally.round_trip_ms.append((time.perf_counter() - started) * 1000)
        answer = json.loads(text) if status == 200 else {}
        trans_status = answer.get("transStatus", "E")
        if trans_status == "E":
            self.tally.errors[f"areq {status} {answer.get('errorCode', text[:80])}"] += 1
            return trans_status
        acs_trans_id = answer["acsTransID"]
        self.tally.acs_trans_ids.append(acs_trans_id)
        self.tally.statuses[attempt.kind][trans_status] += 1
        fraud = attempt.kind != "legit"
        if not fraud:
            self.tally.legit_ids.add(acs_trans_id)
        if fraud and trans_status == "Y":
            self.tally.passed_fraud.append(acs_trans_id)
        elif not fraud and trans_status in ("C", "R"):
            self.tally.stopped_legit.append(acs_trans_id)
        if fraud:
            stopped = trans_status in ("C", "R")
            events = self.tally.fraud_events[attempt.kind]
            events[attempt.group] = events.get(attempt.group, False) or stopped
        if trans_status == "C":
            passed = not fraud and self.rng.random() < 0.97
            challenge_recorded(
                acs_trans_id=acs_trans_id,
                trans_status="Y" if passed else "N",
                reason="" if passed else "19",
                now=attempt.at + dt.timedelta(seconds=40),
            )
        elif trans_status == "Y" and fraud and self.rng.random() < 0.8:
            when = attempt.at + dt.timedelta(hours=self.rng.uniform(12, 72))
            self.pending_marks.append((when, attempt.person.pan, acs_trans_id))
        return trans_status

    def _marks_due(self, now: dt.datetime) -> None:
        from portal.crypto import pan_fingerprint
        from riskanalysis.recording import fraud_mark

        due = [m for m in self.pending_marks if m[0] <= now]
        self.pending_marks = [m for m in self.pending_marks if m[0] > now]
        for when, pan, acs_trans_id in due:
            fraud_mark(pan_fingerprint=pan_fingerprint(pan), acs_trans_id=acs_trans_id, now=when)
