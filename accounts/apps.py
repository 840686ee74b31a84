from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_save


def _ensure_roles(sender, apps=None, **kwargs):
    from django.apps import apps as registry

    # post_migrate comes once per app with models; after the last one every permission exists.
    last = [config for config in registry.get_app_configs() if config.models_module is not None][-1]
    if sender.name == last.name:
        from .services import roles_ensure

        roles_ensure()


def _note_credentials(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return  # e.g. last_login at every sign-in: no query
    from .services import user_credentials_changed

    # check_password() upgrading the hash of a correct password saves only the password, after
    # clearing the raw one that set_password() keeps until the save.
    rehash = update_fields is not None and set(update_fields) == {"password"} and instance._password is None
    instance._workbench_revoke_tokens = user_credentials_changed(user=instance, password_rehash=rehash)


def _revoke_tokens(sender, instance, created=False, raw=False, **kwargs):
    if getattr(instance, "_workbench_revoke_tokens", False):
        from .services import user_tokens_revoke

        instance._workbench_revoke_tokens = False
        user_tokens_revoke(user=instance)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Role groups get their permissions once the last app's permissions exist.
        post_migrate.connect(_ensure_roles, dispatch_uid="accounts.ensure_roles")
        # A password change or a deactivation revokes the user's API tokens, whichever way it is
        # made (the password-change page, the admin, `changepassword`, a service, the shell): every
        # one of them saves the user, so the save is the one place that sees them all. The rule
        # itself is the services user_credentials_changed / user_tokens_revoke.
        from django.contrib.auth import get_user_model

        User = get_user_model()
        pre_save.connect(_note_credentials, sender=User, dispatch_uid="accounts.note_credentials")
        post_save.connect(_revoke_tokens, sender=User, dispatch_uid="accounts.revoke_tokens")
