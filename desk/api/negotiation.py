"""Response format choice: URL suffix, then Accept q-values, then an XML request body, then JSON."""

import math

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.utils.mediatypes import _MediaType

FORMAT_MEDIA_TYPES = {
    "json": ("application/json",),
    "xml": ("application/xml", "text/xml"),
}


def _accept_weights(header):
    """The q-value the Accept header gives JSON and XML, using the most specific range that matches each.

    None when the header names neither by its own type: wildcards alone (`*/*`, `application/*`, what
    curl and most HTTP libraries send) state no preference.
    """
    weights, named = {}, False
    for fmt, media_types in FORMAT_MEDIA_TYPES.items():
        best = None  # (specificity, q)
        for raw in header.split(","):
            raw = raw.strip()
            if not raw:
                continue
            main, _, params = raw.partition(";")
            main = main.strip().lower()
            q = 1.0
            for param in params.split(";"):
                name, _, value = param.partition("=")
                if name.strip().lower() == "q":
                    try:
                        q = float(value)
                    except ValueError:
                        q = 0.0
                    q = max(0.0, min(1.0, q)) if math.isfinite(q) else 0.0
            for media_type in media_types:
                kind = media_type.split("/")[0]
                if main == media_type:
                    specificity = 2
                elif main == f"{kind}/*":
                    specificity = 1
                elif main == "*/*":
                    specificity = 0
                else:
                    continue
                named = named or specificity == 2
                if best is None or specificity > best[0]:
                    best = (specificity, q)
        weights[fmt] = best[1] if best else 0.0
    return weights if named else None


class DeskContentNegotiation(BaseContentNegotiation):
    """The contract's format rules, which never answer 406."""

    def select_parser(self, request, parsers):
        content_type = request.content_type or ""
        for parser in parsers:
            if _MediaType(parser.media_type).match(_MediaType(content_type)):
                return parser
            if content_type.split(";")[0].strip().lower() in getattr(parser, "media_type_aliases", ()):
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        by_format = {renderer.format: renderer for renderer in renderers}
        fmt = self._choose_format(request, format_suffix)
        renderer = by_format.get(fmt) or renderers[0]
        return renderer, renderer.media_type

    @staticmethod
    def _choose_format(request, format_suffix):
        if format_suffix in FORMAT_MEDIA_TYPES:
            return format_suffix
        weights = _accept_weights(request.META.get("HTTP_ACCEPT", ""))
        if weights:
            if weights["xml"] > weights["json"]:
                return "xml"
            if weights["json"] > 0:
                return "json"
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type in FORMAT_MEDIA_TYPES["xml"]:
            return "xml"
        return "json"
