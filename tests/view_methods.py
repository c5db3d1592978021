"""Which HTTP methods each view of the project accepts, read from how the view declares them.

Function views declare theirs with `require_GET`, `require_POST` or `require_http_methods`; the
decorator keeps the list in its closure (`request_method_list`), found by walking `__wrapped__`.
Class-based views declare `http_method_names` on their own class or in `as_view(...)`; the
catch-all list inherited from `View` does not count as a declaration.

Shared by the declaration test (tests/core/test_view_methods.py) and the browser suite's POST
coverage check (tests/e2e/post_coverage.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.views import View

# Django's admin is reference data and users, tested by Django; the journeys never use it.
SKIPPED_NAMESPACES = frozenset({"admin"})


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "" for an unnamed pattern
    pattern: str
    view: Callable


def project_routes() -> list[Route]:
    """Every URL pattern of the project outside Django's admin."""
    return list(_walk(get_resolver().url_patterns, prefix="", namespace=""))


def _walk(patterns, *, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(
                entry.url_patterns, prefix=prefix + str(entry.pattern), namespace=inner
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(name=name, pattern=prefix + str(entry.pattern), view=entry.callback)


def declared_methods(view: Callable) -> frozenset[str] | None:
    """The methods the view declares it accepts (upper case), or None when it declares none."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return _class_methods(view_class, getattr(view, "view_initkwargs", {}))
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(method.upper() for method in cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return None


def _class_methods(view_class: type[View], initkwargs: dict) -> frozenset[str] | None:
    names = initkwargs.get("http_method_names")
    if names is None:
        owner = next(cls for cls in view_class.__mro__ if "http_method_names" in vars(cls))
        if owner is View:
            return None
        names = owner.http_method_names
    # A name counts only where the class has a handler for it (HEAD falls back to GET).
    return frozenset(
        name.upper()
        for name in names
        if hasattr(view_class, name) or (name == "head" and hasattr(view_class, "get"))
    )


def post_accepting_names() -> set[str]:
    """URL names whose view accepts POST."""
    return {
        route.name
        for route in project_routes()
        if "POST" in (declared_methods(route.view) or frozenset())
    }
