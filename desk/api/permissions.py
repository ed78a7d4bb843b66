"""Who may do what: Django model permissions for staff, the customer mount's rules for customers."""

from rest_framework.permissions import BasePermission

ACTION_PERMISSIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def body_keys(request):
    """The keys of an object body; none for any other body (its validation answers for it)."""
    return set(request.data) if isinstance(request.data, dict) else set()


class DeskPermission(BasePermission):
    """Staff need the model permission for the method; customers only the actions the view opens to them."""

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if getattr(view, "action", "") is None:
            return True  # no action for this method on this route: dispatch answers 405
        # Keys sign on their own mount only, so whoever calls the customer mount is a customer.
        if getattr(view, "mount", "staff") == "customer":
            return view.action in getattr(view, "customer_actions", ())
        model = view.get_permission_model()
        action = ACTION_PERMISSIONS.get(request.method, "view")
        return user.is_active and user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
