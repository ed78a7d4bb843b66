"""URL patterns for the two mounts, each route with the optional `.json`/`.xml` suffix and trailing slash."""

from django.urls import include, re_path

VERSION = r"(?P<version>latest|v1)"
MOUNT_PREFIXES = {
    "staff": rf"^api/rest/{VERSION}/desk/",
    "customer": rf"^api/diamante/rest/{VERSION}/desk/",
}
# OroPlatform's own API, beside the staff mount: `/api/rest/{version}/user/filter`, JSON only.
ORO_PREFIX = rf"^api/rest/{VERSION}/"
SUFFIX = r"/?(?:\.(?P<format>json|xml))?/?$"
JSON_SUFFIX = r"/?(?:\.(?P<format>json))?/?$"
# ASCII digits only: `\d` also matches `１` or `١`, which int() reads as 1.
NUMBER = r"[0-9]{1,18}"
ID = rf"(?P<pk>{NUMBER})"
COLLECTION = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}


def endpoint(pattern, viewset, actions, mount, name, suffix=SUFFIX):
    """One route of one mount."""
    view = viewset.as_view(actions, mount=mount)
    return re_path(rf"^{pattern}{suffix}", view, name=name)


def resource(noun, viewset, mount, lookup=ID):
    """The collection and detail routes of a resource."""
    return [
        endpoint(noun, viewset, COLLECTION, mount, f"{noun}-list"),
        endpoint(rf"{noun}/{lookup}", viewset, DETAIL, mount, f"{noun}-detail"),
    ]


def mounts(route_builders):
    """Both mounts, each holding the routes every resource's builder gives for it."""
    return [
        re_path(prefix, include(([route for build in route_builders for route in build(mount)], mount)))
        for mount, prefix in MOUNT_PREFIXES.items()
    ]
