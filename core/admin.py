"""Settings shared by the project's ModelAdmin classes."""

from typing import Any

from django.db import models

# A URL typed without a scheme becomes https:// (Django 6's default; Django 5.2 still assumes http).
URL_FIELDS_ASSUME_HTTPS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}
