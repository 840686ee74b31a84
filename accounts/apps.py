from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, apps=None, **kwargs):
    from django.apps import apps as registry

    # post_migrate comes once per app with models; after the last one every permission exists.
    last = [config for config in registry.get_app_configs() if config.models_module is not None][-1]
    if sender.name == last.name:
        from .services import roles_ensure

        roles_ensure()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Role groups get their permissions once the last app's permissions exist.
        post_migrate.connect(_ensure_roles, dispatch_uid="accounts.ensure_roles")
