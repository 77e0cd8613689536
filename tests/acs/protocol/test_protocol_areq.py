"""parse_areq: valid AReqs of every version and every error code, with its precedence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from acs.protocol import AReq, ProtocolError, parse_areq
from acs.protocol.examples import EXAMPLE_AREQ, example_areq

VERSIONS = ("2.1.0", "2.2.0", "2.3.1")
SERVER_ID = EXAMPLE_AREQ["threeDSServerTransID"]
DS_ID = EXAMPLE_AREQ["dsTransID"]
DROP = object()  # marks a field to remove


def areq(version: str = "2.2.0", **changes: Any) -> dict[str, Any]:
    """Return the reference's example AReq for `version` with `changes` applied (DROP removes a field)."""
    data = example_areq(version, threeDSServerTransID=SERVER_ID, dsTransID=DS_ID)
    for key, value in changes.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def error_of(data: dict[str, Any] | bytes | str) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        parse_areq(data)
    return caught.value


@pytest.mark.parametrize("version", VERSIONS)
def test_it_parses_a_valid_areq_of_each_version(version: str) -> None:
    parsed = parse_areq(json.dumps(areq(version)).encode())

    assert isinstance(parsed, AReq)
    assert parsed.messageVersion == version
    assert parsed.acctNumber == "4111111111111111"
    assert parsed.challenge_indicators == ("01",)
    assert parsed.ids == {"threeDSServerTransID": SERVER_ID, "dsTransID": DS_ID}
    assert parsed.is_browser and parsed.is_payment


def test_it_parses_the_reference_example_into_typed_attributes() -> None:
    parsed = parse_areq(json.dumps(EXAMPLE_AREQ))

    assert parsed.mobilePhone is not None and parsed.mobilePhone.subscriber == "9012345678"
    assert parsed.acctInfo is not None and parsed.acctInfo.chAccAgeInd == "05"
    assert (
        parsed.purchase_datetime is not None
        and parsed.purchase_datetime.isoformat() == "2025-04-01T09:30:15+00:00"
    )
    assert parsed.color_depth == 24
    assert parsed.browserJavaEnabled is False
    assert parsed.raw == EXAMPLE_AREQ


@pytest.mark.parametrize("version", VERSIONS)
def test_it_accepts_unknown_extra_fields(version: str) -> None:
    parsed = parse_areq(areq(version, vendorField={"x": 1}, acctInfo={"chAccAgeInd": "05", "newThing": "1"}))

    assert parsed.raw["vendorField"] == {"x": 1}
    assert parsed.model_extra == {"vendorField": {"x": 1}}


def test_it_accepts_the_absent_challenge_indicator_as_no_preference() -> None:
    assert parse_areq(areq(threeDSRequestorChallengeInd=DROP)).challenge_indicators == ("01",)


@pytest.mark.parametrize(
    ("version", "indicator", "expected"),
    [
        ("2.1.0", "04", ("04",)),
        ("2.2.0", "09", ("09",)),
        ("2.3.1", ["04"], ("04",)),
        ("2.3.1", ["14", "03"], ("14", "03")),
        ("2.2.0", "85", ("85",)),  # 80-99: DS-specific, passed through
    ],
)
def test_it_reads_the_challenge_indicators_of_each_version(
    version: str, indicator: Any, expected: tuple
) -> None:
    assert parse_areq(areq(version, threeDSRequestorChallengeInd=indicator)).challenge_indicators == expected


@pytest.mark.parametrize(
    ("version", "indicator"),
    [("2.1.0", ["01"]), ("2.2.0", ["01"]), ("2.3.1", "01"), ("2.3.1", []), ("2.3.1", ["01", "02", "03"])],
)
def test_it_rejects_a_challenge_indicator_of_the_wrong_shape_with_203(version: str, indicator: Any) -> None:
    error = error_of(areq(version, threeDSRequestorChallengeInd=indicator))

    assert (error.code, error.detail) == ("203", "threeDSRequestorChallengeInd")


@pytest.mark.parametrize("channel", ["01", "03"])
def test_it_parses_other_device_channels_so_that_the_caller_can_answer_u03(channel: str) -> None:
    parsed = parse_areq(areq(deviceChannel=channel, browserUserAgent=DROP, notificationURL=DROP))

    assert not parsed.is_browser


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'"AReq"',
        b"\xff\xfe{}",
        b'{"messageType": "AReq", "purchaseAmount": NaN}',
        json.dumps(areq(messageType="CReq")).encode(),
        json.dumps(areq(messageType="areq")).encode(),
        json.dumps(areq(messageType=DROP)).encode(),
    ],
)
def test_it_rejects_what_is_not_an_areq_with_101(body: bytes) -> None:
    assert error_of(body).code == "101"


def test_it_names_a_known_but_wrong_message_type_in_the_101() -> None:
    error = error_of(areq(messageType="CReq"))

    assert (error.message_type, error.detail) == ("CReq", "Invalid Message for the receiving component")
    assert error.ids == {"threeDSServerTransID": SERVER_ID, "dsTransID": DS_ID}


@pytest.mark.parametrize("version", ["2.0.1", "1.0.2", "2.3.0", "3.0.0", 2.2])
def test_it_rejects_an_unsupported_version_with_102_listing_the_supported_ones(version: Any) -> None:
    data = areq()
    data["messageVersion"] = version
    error = error_of(data)

    assert (error.code, error.detail) == ("102", "2.1.0,2.2.0,2.3.1")
    assert error.message_type == "AReq"


@pytest.mark.parametrize("value", [DROP, "", None])
def test_it_reports_a_missing_version_as_201(value: Any) -> None:
    data = areq()
    if value is DROP:
        del data["messageVersion"]
    else:
        data["messageVersion"] = value

    assert (error_of(data).code, error_of(data).detail) == ("201", "messageVersion")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("value", [DROP, "", None])
@pytest.mark.parametrize("field", ["browserUserAgent", "threeDSRequestorID", "acctNumber", "dsURL"])
def test_it_reports_a_required_field_absent_empty_or_null_as_201(
    version: str, value: Any, field: str
) -> None:
    error = error_of(areq(version, **{field: value}))

    assert (error.code, error.detail, error.message_type, error.message_version) == (
        "201",
        field,
        "AReq",
        version,
    )
    assert error.ids == {"threeDSServerTransID": SERVER_ID, "dsTransID": DS_ID}


def test_it_names_every_missing_field_in_the_201_detail() -> None:
    error = error_of(areq(threeDSRequestorID=DROP, mobilePhone={"cc": "81"}, browserUserAgent="", mcc=None))

    assert error.code == "201"
    assert error.detail == "threeDSRequestorID,mobilePhone.subscriber,mcc,browserUserAgent"


@pytest.mark.parametrize("version", ["2.2.0", "2.3.1"])
def test_it_requires_the_browser_fields_only_when_javascript_is_enabled(version: str) -> None:
    without_tz = areq(version, browserTZ=DROP, browserColorDepth=DROP)
    without_js = {**without_tz, "browserJavascriptEnabled": False}

    assert (error_of(without_tz).code, error_of(without_tz).detail) == ("201", "browserColorDepth,browserTZ")
    assert parse_areq(without_js).browserTZ is None


def test_it_requires_the_browser_fields_always_in_210() -> None:
    error = error_of(areq("2.1.0", browserScreenWidth=DROP))

    assert (error.code, error.detail) == ("201", "browserScreenWidth")


@pytest.mark.parametrize("version", ["2.2.0", "2.3.1"])
def test_it_requires_the_javascript_flag_from_220(version: str) -> None:
    assert error_of(areq(version, browserJavascriptEnabled=DROP)).detail == "browserJavascriptEnabled"


@pytest.mark.parametrize("version", VERSIONS)
def test_it_requires_the_merchant_and_purchase_only_for_payments(version: str) -> None:
    payment = areq(version, merchantName=DROP, purchaseDate=DROP)
    non_payment = {**payment, "messageCategory": "02"}
    recurring = {**non_payment, "threeDSRequestorAuthenticationInd": "02"}

    assert (error_of(payment).code, error_of(payment).detail) == ("201", "merchantName,purchaseDate")
    assert not parse_areq(non_payment).is_payment
    assert error_of(recurring).detail == "purchaseDate"


def test_it_requires_accept_language_and_the_acquirer_country_in_231() -> None:
    error = error_of(
        areq("2.3.1", acceptLanguage=DROP, acquirerCountryCode=DROP, acquirerCountryCodeSource=None)
    )

    assert error.code == "201"
    assert error.detail == "acceptLanguage,acquirerCountryCode,acquirerCountryCodeSource"


@pytest.mark.parametrize("prefix", ["bill", "ship"])
def test_it_requires_the_country_of_an_address_with_a_state(prefix: str) -> None:
    data = areq(**{f"{prefix}AddrState": "13", f"{prefix}AddrCountry": DROP})

    assert (error_of(data).code, error_of(data).detail) == ("201", f"{prefix}AddrCountry")


@pytest.mark.parametrize(
    ("version", "field", "value"),
    [
        ("2.2.0", "acctNumber", "411111111111"),
        ("2.2.0", "acctNumber", "4111-1111-1111-1111"),
        ("2.2.0", "acctNumber", 4111111111111111),
        ("2.2.0", "cardExpiryDate", "2813"),
        ("2.2.0", "purchaseDate", "20250231093015"),
        ("2.2.0", "purchaseDate", "20250401253015"),
        ("2.2.0", "purchaseDate", "2025-04-01T09:30"),
        ("2.2.0", "purchaseAmount", 12800),
        ("2.2.0", "purchaseExponent", "10"),
        ("2.2.0", "browserJavaEnabled", "false"),
        ("2.2.0", "browserIP", "999.1.1.1"),
        ("2.2.0", "browserColorDepth", "30"),
        ("2.3.1", "browserColorDepth", "100"),
        ("2.3.1", "browserColorDepth", "0"),
        ("2.2.0", "browserTZ", "UTC+9"),
        ("2.2.0", "browserLanguage", "ja-JP-x-private"),
        ("2.1.0", "cardholderName", "T"),
        ("2.2.0", "threeDSServerTransID", "not-a-uuid"),
        ("2.2.0", "dsURL", "ds.example/rreq"),
        ("2.2.0", "notificationURL", "ftp://3dss.example/cres"),
        ("2.2.0", "notificationURL", "https://3dss.example/" + "c" * 240),
        ("2.2.0", "email", "taro.example.jp"),
        ("2.2.0", "threeDSCompInd", "X"),
        ("2.2.0", "messageCategory", "1"),
        ("2.2.0", "merchantName", "M" * 41),
        ("2.2.0", "mcc", "57"),
        ("2.2.0", "threeDSRequestorChallengeInd", "00"),
    ],
)
def test_it_rejects_a_bad_format_or_value_with_203(version: str, field: str, value: Any) -> None:
    error = error_of(areq(version, **{field: value}))

    assert (error.code, error.detail) == ("203", field)


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("mobilePhone", {"cc": "81", "subscriber": "090-1234-5678"}, "mobilePhone.subscriber"),
        ("mobilePhone", {"cc": "8100", "subscriber": "9012345678"}, "mobilePhone.cc"),
        ("mobilePhone", "+81 90 1234 5678", "mobilePhone"),
        ("acctInfo", {"chAccAgeInd": "9"}, "acctInfo.chAccAgeInd"),
        ("acctInfo", {"chAccDate": "20250230"}, "acctInfo.chAccDate"),
        ("merchantRiskIndicator", {"shipIndicator": "10"}, "merchantRiskIndicator.shipIndicator"),
        ("acceptLanguage", ["x" * 101], "acceptLanguage"),
    ],
)
def test_it_names_nested_fields_with_dotted_paths(field: str, value: Any, detail: str) -> None:
    error = error_of(areq("2.3.1", **{field: value}))

    assert (error.code, error.detail) == ("203", detail)


@pytest.mark.parametrize(
    ("field", "value"),
    [("cardholderName", ""), ("email", None), ("acctInfo", {}), ("billAddrCity", ""), ("browserIP", None)],
)
def test_it_rejects_an_optional_field_sent_empty_with_203(field: str, value: Any) -> None:
    error = error_of(areq(**{field: value}))

    assert (error.code, error.detail) == ("203", field)


def test_it_reports_a_duplicate_key_with_204() -> None:
    body = json.dumps(areq()).replace('"mcc": "5732"', '"mcc": "5732", "mcc": "5411"')

    assert (error_of(body).code, error_of(body).detail) == ("204", "mcc")


def test_it_reports_a_nested_duplicate_key_with_its_path() -> None:
    body = json.dumps(areq()).replace('"chAccAgeInd": "05"', '"chAccAgeInd": "05", "chAccAgeInd": "01"')
    error = error_of(body)

    assert (error.code, error.detail) == ("204", "acctInfo.chAccAgeInd")
    assert error.ids == {"threeDSServerTransID": SERVER_ID, "dsTransID": DS_ID}


def extension(critical: bool, ext_id: str = "A000000802-001") -> dict[str, Any]:
    return {"name": "test", "id": ext_id, "criticalityIndicator": critical, "data": {"k": "v"}}


def test_it_passes_non_critical_extensions_through() -> None:
    parsed = parse_areq(areq(messageExtension=[extension(False)]))

    assert parsed.messageExtension is not None and parsed.messageExtension[0].data == {"k": "v"}


def test_it_rejects_critical_extensions_with_202_naming_their_ids() -> None:
    error = error_of(
        areq(messageExtension=[extension(True, "ID1"), extension(False, "ID2"), extension(True, "ID3")])
    )

    assert (error.code, error.detail) == ("202", "ID1,ID3")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("messageExtension", []),
        ("messageExtension", [extension(False)] * 16),
        ("messageExtension", [{**extension(False), "criticalityIndicator": "false"}]),
    ],
)
def test_it_rejects_a_malformed_extension_list_with_203(field: str, value: Any) -> None:
    assert error_of(areq(**{field: value})).code == "203"


@pytest.mark.parametrize(
    ("version", "field", "value"),
    [
        ("2.1.0", "threeDSRequestorChallengeInd", "05"),
        ("2.2.0", "threeDSRequestorChallengeInd", "10"),
        ("2.3.1", "threeDSRequestorChallengeInd", ["01", "15"]),
        ("2.3.1", "threeDSRequestorChallengeInd", ["79"]),
        ("2.2.0", "threeDSRequestorAuthenticationInd", "07"),
        ("2.3.1", "threeDSRequestorAuthenticationInd", "11"),
        ("2.2.0", "messageCategory", "03"),
        ("2.2.0", "messageCategory", "79"),
        ("2.2.0", "deviceChannel", "04"),
        ("2.3.1", "acquirerCountryCodeSource", "03"),
    ],
)
def test_it_reports_a_value_in_an_emvco_reserved_range_with_207(version: str, field: str, value: Any) -> None:
    error = error_of(areq(version, **{field: value}))

    assert (error.code, error.detail) == ("207", field)


@pytest.mark.parametrize(
    ("field", "value"), [("messageCategory", "80"), ("threeDSRequestorAuthenticationInd", "99")]
)
def test_it_accepts_values_reserved_for_ds_use(field: str, value: str) -> None:
    assert getattr(parse_areq(areq(**{field: value})), field) == value


@pytest.mark.parametrize(
    ("version", "field", "value"),
    [
        ("2.2.0", "purchaseCurrency", "999"),
        ("2.2.0", "purchaseCurrency", "959"),
        ("2.2.0", "purchaseCurrency", "000"),
        ("2.2.0", "merchantCountryCode", "000"),
        ("2.2.0", "billAddrCountry", "999"),
        ("2.2.0", "shipAddrCountry", "901"),
        ("2.3.1", "acquirerCountryCode", "123"),
        ("2.2.0", "merchantRiskIndicator", {"giftCardCurr": "999"}),
    ],
)
def test_it_reports_an_invalid_iso_code_with_304(version: str, field: str, value: Any) -> None:
    error = error_of(areq(version, **{field: value}))

    assert error.code == "304"
    assert error.detail.split(".")[0] == field


@pytest.mark.parametrize("mcc", ["0000", "0001", "1234", "9150"])
def test_it_reports_an_unknown_mcc_with_306(mcc: str) -> None:
    error = error_of(areq(mcc=mcc))

    assert (error.code, error.detail) == ("306", "mcc")


@pytest.mark.parametrize("mcc", ["5732", "5411", "3001", "7011"])
def test_it_accepts_mccs_the_payment_systems_assign(mcc: str) -> None:
    assert parse_areq(areq(mcc=mcc)).mcc == mcc


def raw_json(data: dict[str, Any], duplicate: str) -> str:
    """Serialise `data` and repeat its `duplicate` key."""
    text = json.dumps(data)
    return text[:-1] + f', "{duplicate}": {json.dumps(data[duplicate])}}}'


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (json.dumps(areq(messageType="RReq", messageVersion="9.9.9")), "101"),
        (raw_json(areq(messageVersion="2.0.0"), "mcc"), "102"),
        (raw_json(areq(messageExtension=[extension(True)]), "mcc"), "204"),
        (json.dumps(areq(messageExtension=[extension(True)], acctNumber=DROP)), "202"),
        (json.dumps(areq(acctNumber=DROP, email="nope")), "201"),
        (json.dumps(areq(email="nope", messageCategory="50")), "203"),
        (json.dumps(areq(messageCategory="50", purchaseCurrency="999")), "207"),
        (json.dumps(areq(purchaseCurrency="999", mcc="0000")), "304"),
    ],
)
def test_it_reports_the_highest_precedence_code_when_several_are_wrong(body: str, code: str) -> None:
    assert error_of(body).code == code


def test_it_carries_only_well_formed_ids_in_its_errors() -> None:
    error = error_of(areq(dsTransID="5b2e7c90", acctNumber=DROP))

    assert error.ids == {"threeDSServerTransID": SERVER_ID}


def test_it_keeps_the_card_number_out_of_error_text() -> None:
    error = error_of(areq(acctNumber="4111111111111111X"))

    assert "4111111111111111" not in f"{error} {error.detail} {error!r}"


@pytest.mark.parametrize(("depth", "expected"), [("1", 1), ("24", 24), ("30", 24), ("99", 48)])
def test_it_rounds_a_231_colour_depth_down_to_a_listed_value(depth: str, expected: int) -> None:
    assert parse_areq(areq("2.3.1", browserColorDepth=depth)).color_depth == expected


ODD_VALUES = [None, "", "x" * 3000, 0, 1.5, True, [], ["01"], {}, {"a": [1]}]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_it_answers_any_odd_value_in_any_field_with_a_protocol_error(version: str, value: Any) -> None:
    fields = [*areq(version), "threeDSRequestorDecReqInd", "billAddrState", "acceptLanguage"]
    for field in fields:
        try:
            parse_areq(areq(version, **{field: value}))
        except ProtocolError as error:
            assert error.code in {"101", "102", "201", "202", "203", "207", "304", "306"}, field
