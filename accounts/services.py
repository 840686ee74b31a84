from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from core.errors import InvalidInput, PermissionDenied

from .models import UserPreference
from .roles import Role, user_can
from .shortcuts import BY_NAME, keymap_problems

if TYPE_CHECKING:
    from knox.models import AuthToken

# axes: admins see sign-in lockouts and lift them (delete the access attempt).
ADMIN_APPS = ["articles", "factcheck", "feeds", "matching", "webhooks", "knox", "auth", "axes"]


def roles_ensure() -> None:
    """Create the role groups; the admin role gets every permission of the workbench's apps so that
    admins can use the Django admin without being superusers."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    admin = Group.objects.get(name=Role.ADMIN.value)
    admin.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    readable = Permission.objects.filter(
        content_type__app_label__in=["articles", "factcheck", "feeds"], codename__startswith="view_"
    )
    for role in (Role.EDITOR, Role.REVIEWER):
        Group.objects.get(name=role.value).permissions.set(readable)


@transaction.atomic
def user_create(*, username: str, password: str, role: Role, email: str = "", first_name: str = "") -> User:
    """Create (or reset) a user with one role. Admins are staff users."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email, "first_name": first_name})
    user.set_password(password)
    user.is_staff = role in (Role.ADMIN, Role.EDITOR)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    return user


def token_create(*, user, expiry_days: int | None = None) -> tuple["AuthToken", str]:
    """A new API token for `user` (who must be allowed to use the API): ``(instance, token)``; the
    token itself is shown once. It expires after `expiry_days`, never later than the server's
    maximum (``REST_KNOX["TOKEN_TTL"]``)."""
    from knox.models import AuthToken

    if not user_can(user, "read"):
        raise PermissionDenied("Your account has no role that may use the API.")
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    expiry = timedelta(days=expiry_days) if expiry_days else ttl
    if ttl is not None:
        expiry = min(expiry, ttl)
    return AuthToken.objects.create(user=user, expiry=expiry)


def user_tokens_revoke(*, user) -> int:
    """Delete every API token of `user`; returns how many. Called when the password changes or the
    account is deactivated (accounts/apps.py), so that a token never outlives the credential that
    made it."""
    from knox.models import AuthToken

    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def user_credentials_changed(*, user, password_rehash: bool = False) -> bool:
    """Whether this unsaved state of `user` changes the password or deactivates the account,
    compared with the database. `password_rehash`: the same password stored with a newer hasher
    (Django does that at sign-in), which is not a change."""
    if user.pk is None:
        return False
    stored = type(user).objects.filter(pk=user.pk).values("password", "is_active").first()
    if stored is None:
        return False
    return (stored["password"] != user.password and not password_rehash) or (stored["is_active"] and not user.is_active)


@transaction.atomic
def user_preference_update(
    *, user, shortcuts_enabled: bool, shortcut_keys: dict[str, tuple[str, ...]]
) -> UserPreference:
    """Save a person's shortcut preferences. `shortcut_keys` is the full keymap {action: keys};
    only the actions that differ from the defaults are stored, so new defaults reach everyone else."""
    problems = keymap_problems(shortcut_keys)
    if problems:
        raise InvalidInput("; ".join(problems), field="shortcut_keys")
    overrides = {name: list(keys) for name, keys in shortcut_keys.items() if tuple(keys) != BY_NAME[name].default}
    preference, _ = UserPreference.objects.select_for_update().get_or_create(user=user)
    preference.shortcuts_enabled = shortcuts_enabled
    preference.shortcut_keys = overrides
    preference.save(update_fields=["shortcuts_enabled", "shortcut_keys", "updated_at"])
    return preference
