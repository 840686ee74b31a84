from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import Role

ADMIN_APPS = ["articles", "factcheck", "feeds", "matching", "webhooks", "knox", "auth"]


def roles_ensure() -> None:
    """Create the role groups; the admin role gets every permission of the workbench's apps so that
    admins can use the Django admin without being superusers."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    admin = Group.objects.get(name=Role.ADMIN.value)
    admin.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    readable = Permission.objects.filter(content_type__app_label__in=["articles", "factcheck", "feeds"],
                                          codename__startswith="view_")
    for role in (Role.EDITOR, Role.REVIEWER):
        Group.objects.get(name=role.value).permissions.set(readable)


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, email: str = "", first_name: str = "") -> "User":
    """Create (or reset) a user with one role. Admins are staff users."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email, "first_name": first_name})
    user.set_password(password)
    user.is_staff = role in (Role.ADMIN, Role.EDITOR)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    return user
