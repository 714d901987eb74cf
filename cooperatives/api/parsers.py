"""The API's JSON parser: it refuses, with a message, the JSON that Python reads but nothing after it can hold."""

import json
import math

import orjson
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

# How deep a body may nest. The deepest the API takes is a MultiPolygon's numbers, 6 levels down;
# far deeper bodies (50,000 levels) overflowed Python's recursion in json, or later in DRF's JSONField.
MAX_NESTING = 64

TOO_DEEP = _("This JSON nests more than %(limit)d levels deep; the API reads %(limit)d at most.")
SURROGATE = _("This text holds a lone surrogate (\\ud800 to \\udfff), which is not a character: send it as UTF-8.")
TOO_LARGE = _("This number is too large.")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with orjson (as the renderer), refusing what nothing downstream can hold.

    Refused with 400 and a message: text nested more than MAX_NESTING deep; lone surrogates
    ("\\ud800"), which PostgreSQL and the renderer refuse; numbers beyond a float (1e400), which
    Python's json reads as infinity. The last two are named by their field where they lie in one.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            data = self._diagnose(raw)
        deep = deep_field(data, MAX_NESTING)
        if deep is not None:
            raise _refusal(deep, TOO_DEEP % {"limit": MAX_NESTING}, "too_deep")
        return data

    def _diagnose(self, raw):
        """Read again with Python's json, which takes more, to say what orjson refused and where."""
        try:
            text = raw.decode("utf-8")
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise _refusal([], TOO_DEEP % {"limit": MAX_NESTING}, "too_deep") from None
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        problem = _unstorable(data)
        if problem is not None:
            raise _refusal(*problem)
        # What orjson alone refuses but is sound JSON (an integer beyond 64 bits): the fields judge it.
        return data


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _refusal(path, message, code):
    key = ".".join(str(step) for step in path) or "non_field_errors"
    return ValidationError({key: [message]}, code=code)


def deep_field(data, limit):
    """[the top-level field] holding lists or objects nested deeper than `limit`, [] for the body as a whole,
    None if nothing is. A loop, not a recursion, so that it answers for any depth; it only counts, for
    a body of many polygons is walked whole."""
    if type(data) is not list and type(data) is not dict:
        return None
    stack = [(child, 2, [key]) for key, child in (data.items() if type(data) is dict else enumerate(data))]
    while stack:
        value, depth, field = stack.pop()
        if type(value) is not list and type(value) is not dict:
            continue
        if depth > limit:
            return field if type(data) is dict else []
        for child in value.values() if type(value) is dict else value:
            if type(child) is list or type(child) is dict:
                stack.append((child, depth + 1, field))
    return None


def _unstorable(data):
    """(path, message, code) of the first lone surrogate or infinite number in `data`, or None.

    Walked only when orjson refused the body, so paths are kept for the message.
    """
    stack = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _has_surrogate(value):
                return path, SURROGATE, "surrogate_characters_not_allowed"
        elif isinstance(value, float):
            if not math.isfinite(value):
                return path, TOO_LARGE, "max_value"
        elif isinstance(value, dict):
            for key, child in value.items():
                if _has_surrogate(key):
                    return path, SURROGATE, "surrogate_characters_not_allowed"
                stack.append((child, [*path, key]))
        elif isinstance(value, list):
            stack.extend((child, [*path, index]) for index, child in enumerate(value))
    return None


def _has_surrogate(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
