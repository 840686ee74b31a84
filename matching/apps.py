from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Claim matching"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
