"""Management commands run as the operator: a superuser-like actor for the services' permission
checks (the person at the shell may do everything anyway)."""

from django.contrib.auth.models import AnonymousUser


class _Operator(AnonymousUser):
    is_superuser = True
    is_active = True
    username = "manage.py"

    @property
    def is_authenticated(self):
        return True


def system_user():
    return _Operator()
