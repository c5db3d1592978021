"""Who may do what. The three groups and the checks every view and service uses."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

STAFF = "staff"
MANAGERS = "managers"
VIEWERS = "viewers"
GROUPS = (STAFF, MANAGERS, VIEWERS)

# Apps whose models the groups get permissions on.
APP_LABELS = ("partners", "terminations", "core")


def _group_names(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_group_names = cached
    return cached


def is_manager(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or MANAGERS in _group_names(user)))


def can_edit(user) -> bool:
    """Staff and managers change things; viewers and users in no group only read (or nothing)."""
    return is_manager(user) or STAFF in _group_names(user)


def can_view(user) -> bool:
    return can_edit(user) or VIEWERS in _group_names(user)


def sync_group_permissions(apps, schema_editor=None) -> None:
    """Create the groups and give each the model permissions it needs.

    Called from data migrations (with the historical `apps`) whenever models are added.
    staff: view/add/change; managers: everything; viewers: view only.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label__in=APP_LABELS)
    wanted = {
        STAFF: [p for p in perms if not p.codename.startswith("delete_")],
        MANAGERS: list(perms),
        VIEWERS: [p for p in perms if p.codename.startswith("view_")],
    }
    for name, group_perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(group_perms)
