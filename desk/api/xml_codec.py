"""XML in the original server's `<result>`/`<entry>` shape: a renderer and a defused parser."""

import re
from decimal import Decimal
from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT = "result"
ENTRY = "entry"
LIST_ITEM_NAMES = frozenset({"entry", "item", "list-item"})
MAX_DEPTH = 32
MAX_ELEMENTS = 10000
MAX_ATTRIBUTES = 1000
MAX_ATTRIBUTES_PER_ELEMENT = 16

# Everything XML 1.0 forbids in character data: C0 controls except \t \n \r, lone surrogates, U+FFFE/U+FFFF.
_ILLEGAL_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Names are kept to ASCII so that every parser (expat included) accepts them; no colons (namespaces).
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")
_VALID_NAME_START = re.compile(r"[A-Za-z_]")
# Where `=` and `<` may stand for text, not markup: CDATA sections, comments, processing instructions.
# Unrolled loops, so that the regex engine stays in its fast path over long texts.
_TEXT_SECTIONS = re.compile(
    rb"<!\[CDATA\[[^\]]*(?:\](?!\]>)[^\]]*)*\]\]>|<!--[^-]*(?:-(?!->)[^-]*)*-->|<\?[^?]*(?:\?(?!>)[^?]*)*\?>"
)
# A start tag with more attributes than allowed (an attribute value cannot contain `<`).
_CROWDED_START_TAG = re.compile(
    rb"<[^\s/!?<>=]+(?:\s+[^\s=<>/]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*')){%d}" % (MAX_ATTRIBUTES_PER_ELEMENT + 1)
)


class XMLFormatError(ValueError):
    """An XML request body that cannot or must not be parsed."""


def _clean_text(text):
    """Strip the characters that XML 1.0 does not allow."""
    return _ILLEGAL_XML_CHARS.sub("", text)


def _cdata(text):
    """Wrap text in CDATA, splitting any `]]>` across two sections."""
    return "<![CDATA[" + _clean_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _element_name(key):
    """Turn a key into a well-formed element name, replacing invalid characters with '_'."""
    name = _INVALID_NAME_CHARS.sub("_", str(key))
    if not name:
        return "_"
    return name if _VALID_NAME_START.match(name) else "_" + name


def _scalar_text(value):
    """The text of a scalar: booleans as true/false, numbers plain, anything else in CDATA."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return _cdata(value if isinstance(value, str) else str(value))


def _render(name, value, parts):
    """Append the element `name` holding `value` to parts."""
    if isinstance(value, dict):
        items = [(key, item) for key, item in value.items() if item is not None]
        if not items:
            parts.append(f"<{name}/>")
            return
        parts.append(f"<{name}>")
        for key, item in items:
            _render(_element_name(key), item, parts)
        parts.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        items = [item for item in value if item is not None]
        if not items:
            parts.append(f"<{name}/>")
            return
        parts.append(f"<{name}>")
        for item in items:
            _render(ENTRY, item, parts)
        parts.append(f"</{name}>")
    elif value is None:
        parts.append(f"<{name}/>")
    else:
        parts.append(f"<{name}>{_scalar_text(value)}</{name}>")


def render_xml(data) -> bytes:
    """Render data as `<result>` XML, UTF-8 encoded, the way the original serializer did."""
    parts = [XML_DECLARATION]
    _render(ROOT, data, parts)
    return "".join(parts).encode("utf-8")


class _LimitedTreeBuilder(TreeBuilder):
    """A tree builder that refuses documents nested too deeply or with too many elements."""

    def __init__(self):
        super().__init__()
        self._depth = 0
        self._count = 0
        self._attributes = 0

    def start(self, tag, attrs):
        """Count the element and check the limits before building it."""
        self._depth += 1
        self._count += 1
        self._attributes += len(attrs)
        if self._depth > MAX_DEPTH:
            raise XMLFormatError("XML document is too deeply nested.")
        if self._count > MAX_ELEMENTS:
            raise XMLFormatError("XML document has too many elements.")
        if self._attributes > MAX_ATTRIBUTES:
            raise XMLFormatError("XML document has too many attributes.")
        return super().start(tag, attrs)

    def end(self, tag):
        """Leave the element."""
        self._depth -= 1
        return super().end(tag)


def _local_name(tag):
    """The tag without any `{namespace}` prefix."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _leaf_text(element):
    """The text of a leaf element; whitespace only or no text at all is ''."""
    text = element.text or ""
    return "" if not text.strip() else text


def _convert(element):
    """Turn an element into a list (entries), a dict (other children) or a string (leaf)."""
    children = list(element)
    if not children:
        return _leaf_text(element)
    names = [_local_name(child.tag) for child in children]
    if all(name in LIST_ITEM_NAMES for name in names):
        return [_convert(child) for child in children]
    result = {}
    repeated = set()
    for name, child in zip(names, children, strict=True):
        value = _convert(child)
        if name not in result:
            result[name] = value
        elif name in repeated:
            result[name].append(value)
        else:
            result[name] = [result[name], value]
            repeated.add(name)
    return result


def _check_attribute_counts(data):
    """Refuse a start tag with too many attributes before expat, which gathers them all first, reads it."""
    if data.count(b"=") <= MAX_ATTRIBUTES_PER_ELEMENT:
        return
    if _CROWDED_START_TAG.search(_TEXT_SECTIONS.sub(b"", data)):
        raise XMLFormatError(f"XML element has more than {MAX_ATTRIBUTES_PER_ELEMENT} attributes.")


def parse_xml(data: bytes) -> dict | list | str:
    """Parse a `<result>` (or `<request>`) XML body; refuse DTDs, entities and malformed input."""
    if not data or not data.strip():
        raise XMLFormatError("XML body is empty.")
    _check_attribute_counts(data)
    parser = DefusedXMLParser(
        target=_LimitedTreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        root = parser.close()
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise XMLFormatError("XML documents with a DTD or entity declarations are not accepted.") from exc
    except ExternalReferenceForbidden as exc:
        raise XMLFormatError("XML documents with external references are not accepted.") from exc
    except ParseError as exc:
        raise XMLFormatError(f"Malformed XML: {exc}") from exc
    except XMLFormatError:
        raise
    except (ValueError, TypeError, LookupError) as exc:
        raise XMLFormatError(f"Malformed XML: {exc}") from exc
    if len(root) == 0 and not (root.text or "").strip():
        return {}
    return _convert(root)
