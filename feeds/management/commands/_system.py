"""Management commands run as the operator: a superuser-like actor for the services' permission
checks (the person at the shell may do everything anyway)."""

from django.contrib.auth.models import AnonymousUser


class _Operator(AnonymousUser):
    # django-stubs types AnonymousUser's flags as Literal[False] / Literal[""]; this actor overrides them.
    is_superuser = True  # type: ignore[assignment]
    is_active = True  # type: ignore[assignment]
    username = "manage.py"  # type: ignore[assignment]

    @property
    def is_authenticated(self):
        return True


def system_user():
    return _Operator()
