"""Request body parsers: JSON, XML (defused), and PHP-style urlencoded and multipart forms."""

import io

from django.utils.datastructures import MultiValueDict
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles, FormParser, JSONParser, MultiPartParser

from desk.api.json_shape import JSONShapeError, check_json_shape
from desk.api.keys import snake_keys
from desk.api.php_forms import FormFormatError, parse_php_pairs
from desk.api.xml_codec import XMLFormatError, parse_xml


class DeskJSONParser(JSONParser):
    """JSON bodies, keys in either spelling, refused before parsing when their structure is over a limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read()
        try:
            check_json_shape(data)
        except JSONShapeError as exc:
            raise ParseError(str(exc)) from None
        return snake_keys(super().parse(io.BytesIO(data), media_type, parser_context))


class DeskXMLParser(BaseParser):
    """XML bodies in the `<result>` shape; DTDs and entities are refused."""

    media_type = "application/xml"
    media_type_aliases = ("text/xml",)

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return snake_keys(parse_xml(stream.read()))
        except XMLFormatError as exc:
            raise ParseError(str(exc)) from exc


def _php_data(*multi_dicts):
    """Fold form fields into nested data following PHP's bracket notation."""
    pairs = [(name, value) for multi in multi_dicts for name, values in multi.lists() for value in values]
    try:
        return snake_keys(parse_php_pairs(pairs))
    except FormFormatError as exc:
        raise ParseError(str(exc)) from exc


class PHPFormParser(FormParser):
    """`application/x-www-form-urlencoded` with `tags[]=a` and `a[0][b]=c` notation."""

    def parse(self, stream, media_type=None, parser_context=None):
        return _php_data(super().parse(stream, media_type, parser_context))


class PHPMultiPartParser(MultiPartParser):
    """`multipart/form-data` in PHP bracket notation; uploaded files sit in the data where they were named."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(_php_data(parsed.data, parsed.files), MultiValueDict())
