from django.http import HttpRequest

from core import roles as role_rules


def roles(request: HttpRequest) -> dict[str, bool]:
    """What the current user may do, for templates to show or hide actions (the server checks too)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"is_manager": False, "can_edit": False, "can_view": False}
    return {
        "is_manager": role_rules.is_manager(user),
        "can_edit": role_rules.can_edit(user),
        "can_view": role_rules.can_view(user),
    }
