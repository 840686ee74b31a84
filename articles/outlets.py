"""Outlets: the one set of services every interface uses (web UI, admin, API, commands, imports,
feeds). Editors manage them (capability `outlet.manage`)."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from accounts.roles import require
from core.errors import InvalidInput

from .models import Outlet, OutletDomain
from .text import normalize_line

DOMAIN_LABEL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def domain_normalize(value: str) -> str:
    """'https://www.Example.com/news' or 'Example.COM.' → 'example.com'. Raises InvalidInput."""
    raw = (value or "").strip().lower()
    host = urlsplit(raw if "://" in raw else f"//{raw}").hostname or ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInput(f"Not a domain name: {value[:100]!r}.", field="domains") from None
    labels = host.split(".")
    if (
        len(labels) < 2
        or len(host) > 253
        or not all(
            0 < len(label) <= 63 and set(label) <= DOMAIN_LABEL_CHARS and not label.startswith("-") for label in labels
        )
    ):
        raise InvalidInput(f"Not a domain name: {value[:100]!r}.", field="domains")
    return host


def _name(name: str) -> str:
    name = normalize_line(name or "")
    if not name:
        raise InvalidInput("An outlet needs a name.", field="name")
    if len(name) > 200:
        raise InvalidInput("An outlet name has at most 200 characters.", field="name")
    return name


def outlet_get_or_create(*, name: str) -> Outlet:
    """The outlet called `name`, created if missing (safe when two imports create it at once)."""
    name = _name(name)
    outlet = Outlet.objects.filter(name=name).first()
    if outlet is not None:
        return outlet
    try:
        with transaction.atomic():
            return Outlet.objects.create(name=name)
    except IntegrityError:
        return Outlet.objects.get(name=name)


def outlet_for_url(*, url: str) -> Outlet | None:
    """The outlet whose domain is the URL's host or a parent of it (news.example.com → example.com);
    the longest matching domain wins. None when no outlet claims it."""
    try:
        host = (urlsplit((url or "").strip()).hostname or "").rstrip(".")
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    if not candidates:
        return None
    found = {d.domain: d.outlet for d in OutletDomain.objects.filter(domain__in=candidates).select_related("outlet")}
    return next((found[c] for c in candidates if c in found), None)


def _set_domains(outlet: Outlet, domains: list[str]) -> None:
    wanted = list(dict.fromkeys(domain_normalize(d) for d in domains if (d or "").strip()))
    taken = OutletDomain.objects.filter(domain__in=wanted).exclude(outlet=outlet).select_related("outlet").first()
    if taken:
        raise InvalidInput(f"{taken.domain} already belongs to {taken.outlet.name}.", field="domains")
    OutletDomain.objects.filter(outlet=outlet).exclude(domain__in=wanted).delete()
    have = set(OutletDomain.objects.filter(outlet=outlet).values_list("domain", flat=True))
    OutletDomain.objects.bulk_create([OutletDomain(outlet=outlet, domain=d) for d in wanted if d not in have])


def _homepage(homepage: str) -> str:
    homepage = (homepage or "").strip()
    if homepage:
        try:
            URLValidator(schemes=["http", "https"])(homepage)
        except ValidationError:
            raise InvalidInput(f"Not a valid http(s) URL: {homepage[:100]!r}.", field="homepage") from None
    return homepage


@transaction.atomic
def outlet_create(*, by, name: str, homepage: str = "", domains: list[str] | None = None) -> Outlet:
    require(by, "outlet.manage", "manage outlets")
    name = _name(name)
    if Outlet.objects.filter(name=name).exists():
        raise InvalidInput(f"An outlet called {name!r} exists already.", field="name")
    outlet = Outlet.objects.create(name=name, homepage=_homepage(homepage))
    _set_domains(outlet, domains or [])
    return outlet


@transaction.atomic
def outlet_update(
    *, outlet: Outlet, by, name: str | None = None, homepage: str | None = None, domains: list[str] | None = None
) -> Outlet:
    require(by, "outlet.manage", "manage outlets")
    outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
    if name is not None:
        name = _name(name)
        if Outlet.objects.filter(name=name).exclude(pk=outlet.pk).exists():
            raise InvalidInput(f"An outlet called {name!r} exists already.", field="name")
        outlet.name = name
    if homepage is not None:
        outlet.homepage = _homepage(homepage)
    outlet.save(update_fields=["name", "homepage"])
    if domains is not None:
        _set_domains(outlet, domains)
    return outlet
