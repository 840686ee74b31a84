# Roles are auth groups (see accounts/roles.py); API tokens are django-rest-knox tokens
# (stored hashed, with expiry, revocable). The only model here is each person's preferences.

from django.conf import settings
from django.db import models


class UserPreference(models.Model):
    """One row per person who changed a preference; people without one get the defaults
    (accounts.selectors.user_preference_get)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    # WCAG 2.1.4: single-key shortcuts can be turned off, or remapped.
    shortcuts_enabled = models.BooleanField(default=True)
    # {action: [key, ...]} for the actions in accounts.shortcuts.ACTIONS that differ from the defaults.
    shortcut_keys = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"preferences of {self.user}"
