"""The OpenAPI document and its Swagger UI page: public, outside the mounts' authentication."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from desk.api.renderers import DeskJSONRenderer


@cache
def openapi_document():
    """The document, generated once per process: it changes only with the code and the settings."""
    return SchemaGenerator().get_schema(request=None, public=True)


class SchemaNegotiation(DefaultContentNegotiation):
    """The `Accept` header, or `?format=json` / `?format=yaml` where a browser cannot set one."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get("format")
        return super().select_renderer(request, renderers, requested)


class JSONErrorsMixin:
    """Errors and OPTIONS answers in the API's JSON: the document's renderers are for the document only."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Swagger UI's HTML renderer has no template but the page's, so it cannot render these at all.
        if isinstance(response, Response) and (response.status_code >= 400 or request.method == "OPTIONS"):
            response.accepted_renderer = DeskJSONRenderer()
            response.accepted_media_type = DeskJSONRenderer.media_type
        return response


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    """The OpenAPI 3 document: YAML unless JSON is asked for."""

    # application/json ahead of the OpenAPI JSON type, so `?format=json` answers with the common one.
    renderer_classes = [OpenApiYamlRenderer, OpenApiYamlRenderer2, OpenApiJsonRenderer2, OpenApiJsonRenderer]
    content_negotiation_class = SchemaNegotiation
    authentication_classes = []
    permission_classes = [AllowAny]

    def _get_schema_response(self, request):
        # Generating costs 0.1 to 0.5 s of CPU and anyone may ask, so it is not done per request.
        disposition = f'inline; filename="{self._get_filename(request, None)}"'
        return Response(openapi_document(), headers={"Content-Disposition": disposition})


class DocView(JSONErrorsMixin, SpectacularSwaggerView):
    """Swagger UI over the document, its scripts and styles served by this app."""

    url_name = "api-schema"
    authentication_classes = []
    permission_classes = [AllowAny]
