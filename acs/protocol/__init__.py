"""EMV 3-D Secure 2.1.0 / 2.2.0 / 2.3.1 messages for the ACS (browser channel).

Pure Python (pydantic, pycountry, iso18245): parse what the DS and the browser send, build what
the ACS sends, and turn every problem into a ProtocolError that `build_erro` makes an Erro.
"""

from .areq import AReq, parse_areq, parse_ds_request
from .ares import ARes, build_ares
from .challenge import (
    WINDOW_SIZES,
    CReq,
    FinalCRes,
    MethodData,
    build_cres,
    build_method_notification,
    parse_creq,
    parse_method_data,
)
from .codec import b64url_decode, b64url_encode, dumps_message, encode_message, loads_message
from .erro import Erro, build_erro, parse_erro
from .errors import DESCRIPTIONS, PRECEDENCE, ProtocolError
from .results import RReq, RRes, build_rreq, check_rres, parse_ds_reply, parse_rres
from .versions import SUPPORTED_VERSIONS, at_least

__all__ = [
    "DESCRIPTIONS",
    "PRECEDENCE",
    "SUPPORTED_VERSIONS",
    "at_least",
    "WINDOW_SIZES",
    "ARes",
    "AReq",
    "CReq",
    "Erro",
    "FinalCRes",
    "MethodData",
    "ProtocolError",
    "RReq",
    "RRes",
    "b64url_decode",
    "b64url_encode",
    "build_ares",
    "build_cres",
    "build_erro",
    "build_method_notification",
    "build_rreq",
    "check_rres",
    "dumps_message",
    "encode_message",
    "loads_message",
    "parse_areq",
    "parse_creq",
    "parse_ds_reply",
    "parse_ds_request",
    "parse_erro",
    "parse_method_data",
    "parse_rres",
]
