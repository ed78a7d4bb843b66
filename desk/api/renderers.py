"""JSON and XML renderers that give every response the contract's wire shape."""

import json

from rest_framework.renderers import BaseRenderer

from desk.api.xml_codec import render_xml


class FixedOrder(dict):
    """A representation whose key order is part of the contract (Attachment, Person): not sorted."""


# Values that are already on the wire as they are: not descended into (most values of a page).
_PLAIN = frozenset({str, int, bool, float})


def to_wire(data):
    """Drop null keys and sort object keys alphabetically, except where the order is fixed."""
    if isinstance(data, dict):
        items = [
            (key, value if type(value) in _PLAIN else to_wire(value))
            for key, value in data.items()
            if value is not None
        ]
        if not isinstance(data, FixedOrder):
            items.sort()  # keys are unique, so only keys are compared
        return dict(items)
    if isinstance(data, list | tuple):
        return [item if type(item) in _PLAIN else to_wire(item) for item in data if item is not None]
    return data


class DeskJSONRenderer(BaseRenderer):
    """JSON with alphabetical keys and null keys left out."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(to_wire(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class DeskXMLRenderer(BaseRenderer):
    """XML in the original serializer's `<result>`/`<entry>` shape."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return render_xml(to_wire(data))
