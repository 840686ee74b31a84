from .models import UserPreference
from .shortcuts import ACTIONS, keymap_resolve


def user_preference_get(*, user) -> UserPreference:
    """The person's preferences, or the defaults (unsaved) if they never changed any. One query."""
    preference = UserPreference.objects.filter(user=user).first()
    return preference or UserPreference(user=user)


def user_shortcuts(*, user, can_curate: bool) -> dict:
    """What the article script needs: {"enabled": bool, "keys": {action: [key, ...]}, "rows": [...]}
    (rows, for the help sheet: label and keys of the actions this person can use). One query."""
    preference = user_preference_get(user=user)
    keys = keymap_resolve(preference.shortcut_keys)
    rows = [{"name": a.name, "label": a.label, "keys": keys[a.name]} for a in ACTIONS if can_curate or not a.curate]
    return {"enabled": preference.shortcuts_enabled, "keys": keys, "rows": rows}
