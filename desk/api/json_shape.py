"""Limits on a JSON body's structure, checked on its raw bytes before the parser builds any object."""

import re

# No resource nests deeper than a few levels or holds more than a few hundred values (100 tags,
# 10 attachments); the limits leave room for that many times over and bound what a parser builds.
MAX_DEPTH = 32
MAX_CONTAINERS = 1000
MAX_VALUES = 10000

_OPENERS = frozenset(b"[{")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
# A JSON string; the unrolled form keeps the regex engine in its fast loop over long texts.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class JSONShapeError(ValueError):
    """A JSON body nested too deeply or holding too many values for any request of this API."""


def check_json_shape(data: bytes):
    """Refuse JSON nested deeper than MAX_DEPTH or with too many containers or values."""
    openers = data.count(b"{") + data.count(b"[")
    # Cheap upper bounds first: brackets and commas inside strings count here too.
    if openers <= MAX_DEPTH and data.count(b",") < MAX_VALUES:
        return
    # Quotes less escaped quotes never exceed the strings' real delimiters: over the limit here is certain.
    if (data.count(b'"') - data.count(b'\\"')) // 2 > 2 * MAX_VALUES:
        raise JSONShapeError("JSON document has too many values.")
    structure = _JSON_STRING.sub(b"", data)
    if structure.count(b",") >= MAX_VALUES:
        raise JSONShapeError("JSON document has too many values.")
    _check_brackets(structure.translate(None, _NOT_BRACKETS))


def _check_brackets(brackets: bytes):
    """Walk the brackets once, stopping as soon as a limit is passed or the nesting breaks."""
    depth = opened = 0
    for byte in brackets:
        if byte in _OPENERS:
            depth += 1
            opened += 1
            if depth > MAX_DEPTH:
                raise JSONShapeError("JSON document is too deeply nested.")
            if opened > MAX_CONTAINERS:
                raise JSONShapeError("JSON document has too many objects and arrays.")
        else:
            depth -= 1
            if depth < 0:
                return  # malformed: the JSON parser says where
