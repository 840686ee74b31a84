from django.apps import AppConfig


class WebConfig(AppConfig):
    """The editors' web UI: Django templates plus two small scripts, no build step."""

    name = "web"
    verbose_name = "Editor web UI"
