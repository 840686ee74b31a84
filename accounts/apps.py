from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    if sender.name == "factcheck":  # the last of our apps: all permissions exist by now
        from .services import roles_ensure

        roles_ensure()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Role groups get their permissions once the last app's permissions exist.
        post_migrate.connect(_ensure_roles, dispatch_uid="accounts.ensure_roles")
