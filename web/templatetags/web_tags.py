from django import template

from accounts.roles import user_can, user_roles

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """{% if request.user|can:"claim.curate" %}: show a control only to roles that may use it
    (the service checks again)."""
    return user_can(user, capability)


@register.filter
def role_names(user) -> str:
    return ", ".join(sorted(role.value for role in user_roles(user)))


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, tabs)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def machine_linked(claim) -> bool:
    """A matcher linked this mention and no person confirmed it: a verdict on its group shows
    only as "possibly the same claim" (factcheck.claimreview.mention_is_machine_linked)."""
    from factcheck.claimreview import mention_is_machine_linked

    return mention_is_machine_linked(claim)
