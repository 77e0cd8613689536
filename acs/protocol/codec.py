"""JSON and Base64url on the wire: strict parsing with duplicate-key detection."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, NoReturn

from .errors import ProtocolError

_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")

# Table A.4 wording for the 101 error detail.
INVALID_FORMAT = "Invalid Formatted Message"
INVALID_TYPE = "Invalid Message Type"
INVALID_FOR_COMPONENT = "Invalid Message for the receiving component"


def b64url_decode(text: str) -> bytes:
    """Decode Base64url, with or without "=" padding; raise ValueError on anything else."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise ValueError("not Base64url")
    body = text.rstrip("=")
    # Padding is optional (the spec's examples omit it) but, when sent, it must be complete.
    if (len(body) != len(text) and len(text) % 4) or len(body) % 4 == 1:
        raise ValueError("bad Base64url length or padding")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except binascii.Error as exc:  # pragma: no cover - the regex and length checks catch it first
        raise ValueError(str(exc)) from exc


def b64url_encode(data: bytes) -> str:
    """Encode bytes as Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def dumps_message(message: dict[str, Any]) -> bytes:
    """Serialise a message as compact UTF-8 JSON."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode_message(message: dict[str, Any]) -> str:
    """Serialise a message as Base64url JSON, as the `cres` and `creq` form fields carry it."""
    return b64url_encode(dumps_message(message))


def loads_message(body: bytes | str) -> dict[str, Any]:
    """Parse a JSON object; raise ProtocolError 101 if unreadable, 204 on any duplicate key."""
    data, duplicates = load_object(body)
    if duplicates:
        raise ProtocolError("204", ",".join(duplicates))
    return data


def load_object(body: bytes | str) -> tuple[dict[str, Any], list[str]]:
    """Parse a JSON object and list the dotted paths of duplicate keys instead of raising 204.

    The callers report 101 and 102 before 204, so they need the object even when it repeats keys
    (the last value wins, as in every JSON parser).
    """
    found: list[tuple[dict[str, Any], list[str]]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated: dict[str, None] = {}
            for key, _ in pairs:
                if key in seen:
                    repeated[key] = None
                seen.add(key)
            # Keep a reference to the object so that its id() stays unique until the tree walk.
            found.append((obj, list(repeated)))
        return obj

    try:
        text = body.decode("utf-8") if isinstance(body, bytes | bytearray) else body
        data = json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant)
    except (ValueError, RecursionError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        raise ProtocolError("101", INVALID_FORMAT) from exc
    if not isinstance(data, dict):
        raise ProtocolError("101", INVALID_FORMAT)
    return data, _duplicate_paths(data, found) if found else []


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _duplicate_paths(root: dict[str, Any], found: list[tuple[dict[str, Any], list[str]]]) -> list[str]:
    paths: dict[int, str] = {}
    _walk(root, "", paths)
    # An object that was itself overwritten by a later duplicate is no longer in the tree: name
    # its keys alone, the best that can be said about where they were.
    return [f"{paths[id(obj)]}.{key}" if paths.get(id(obj)) else key for obj, keys in found for key in keys]


def _walk(node: Any, prefix: str, paths: dict[int, str]) -> None:
    if isinstance(node, dict):
        paths[id(node)] = prefix
        for key, value in node.items():
            _walk(value, f"{prefix}.{key}" if prefix else key, paths)
    elif isinstance(node, list):
        for item in node:
            _walk(item, prefix, paths)
