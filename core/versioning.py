"""Optimistic concurrency shared by every app's services: a conditional UPDATE ... WHERE version=N
that bumps the version, followed by one history row (django-simple-history) for the change."""

from django.db import models
from django.utils import timezone

from core.errors import ConflictError


def versioned_update(
    instance: models.Model, *, by, version: int | None, fields: dict, reason: str = ""
) -> models.Model:
    """Write `fields` to `instance` only if its row still has the version the caller read.

    `version` is the version the caller says it read (None: the version of `instance` as loaded).
    Raises ConflictError and changes nothing when the row moved on. Updates `instance` in place.
    """
    model = type(instance)
    label = model._meta.verbose_name
    if version is not None and int(version) != instance.version:
        raise ConflictError(
            f"This {label} was changed by someone else (you edited version {version}, it is now version "
            f"{instance.version}). Reload and try again.",
            field="version",
            current_version=instance.version,
        )
    expected = instance.version
    now = timezone.now()
    values = dict(fields)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = now
    changed = model.objects.filter(pk=instance.pk, version=expected).update(**values, version=expected + 1)
    if changed != 1:
        current = model.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise ConflictError(
            f"This {label} was changed by someone else meanwhile (now version {current}). Reload and try again.",
            field="version",
            current_version=current,
        )
    for name, value in values.items():
        setattr(instance, name, value)
    instance.version = expected + 1
    instance._history_user = by
    model.history.bulk_history_create([instance], update=True, default_user=by, default_change_reason=reason)
    return instance
