"""Roles are Django groups with a fixed set of permissions (created by a data migration).

- admin: everything, including imports, rating scales and user management.
- editor: curates claims (accept, reject, create, edit, group), approves and publishes verdicts.
- reviewer: drafts and submits verdicts, attaches evidence.
- integration: read-only API access for integrations.
"""

from enum import StrEnum

from core.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    INTEGRATION = "integration"


# Which roles may do what. Permissions are checked by services and interfaces through
# `user_has_role` / `user_can`; superusers may do everything.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "article.import": frozenset({Role.ADMIN}),
    "article.write": frozenset({Role.ADMIN, Role.EDITOR}),
    # Outlets (name, home page, domains) and their feeds; fetching an article by URL, re-fetching.
    "outlet.manage": frozenset({Role.ADMIN, Role.EDITOR}),
    "extraction.run": frozenset({Role.ADMIN, Role.EDITOR}),
    "claim.curate": frozenset({Role.ADMIN, Role.EDITOR}),
    "claim.group": frozenset({Role.ADMIN, Role.EDITOR}),
    "source.write": frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER}),
    "verdict.draft": frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER}),
    "verdict.approve": frozenset({Role.ADMIN, Role.EDITOR}),
    "verdict.publish": frozenset({Role.ADMIN, Role.EDITOR}),
    "rating.write": frozenset({Role.ADMIN}),
    # Comment threads on claims and verdicts (discussion app); integrations only read.
    "comment.write": frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER}),
    "read": frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER, Role.INTEGRATION}),
    # Registering webhooks (an integration subscribes to events; it still writes no newsroom data).
    "webhook.manage": frozenset({Role.ADMIN, Role.INTEGRATION}),
}


def user_roles(user) -> set[Role]:
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_workbench_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._workbench_roles = cached
    return cached


def user_has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def user_can(user, capability: str) -> bool:
    return bool(user_roles(user) & CAPABILITIES[capability])


def require(user, capability: str, what: str) -> None:
    """Raise PermissionDenied unless `user` has `capability`: the check every service starts with."""
    if not user_can(user, capability):
        raise PermissionDenied(f"You do not have permission to {what}.")
