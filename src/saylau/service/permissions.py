"""Who may do what: roles, their permissions, and the commissions (districts) a person works for.

Every write checks here, in the service, whatever page or API call it came from (docs/service.md has the
table). An operator or coordinator assigned to districts acts only on those districts' stations; one
assigned to none works for the whole city. Certifying and the list tier's drawings of lots concern the
whole city, so they need a whole-city coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from saylau.service.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    """The roles of the service's users (the anonymous public has no account)."""

    ADMINISTRATOR = "administrator"
    OPERATOR = "operator"
    COORDINATOR = "coordinator"
    OBSERVER = "observer"


class Permission(StrEnum):
    """The actions the service guards."""

    ENTER = "enter"
    RESOLVE = "resolve"
    ACCEPT_WARNINGS = "accept-warnings"
    REOPEN = "reopen"
    DECIDE = "decide"
    CERTIFY = "certify"
    UNCERTIFY = "uncertify"
    READ_STATES = "read-states"
    READ_ENTRIES = "read-entries"
    READ_COUNT = "read-count"
    READ_AUDIT = "read-audit"
    MANAGE_USERS = "manage-users"
    REGISTER = "register"
    DESIGNATE = "designate"


GRANTS: Mapping[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.DECIDE,
            Permission.UNCERTIFY,
            Permission.READ_STATES,
            Permission.READ_ENTRIES,
            Permission.READ_COUNT,
            Permission.READ_AUDIT,
            Permission.MANAGE_USERS,
            Permission.REGISTER,
        }
    ),
    Role.OPERATOR: frozenset({Permission.ENTER, Permission.READ_STATES}),
    Role.COORDINATOR: frozenset(
        {
            Permission.RESOLVE,
            Permission.ACCEPT_WARNINGS,
            Permission.REOPEN,
            Permission.DECIDE,
            Permission.CERTIFY,
            Permission.DESIGNATE,
            Permission.READ_STATES,
            Permission.READ_ENTRIES,
            Permission.READ_COUNT,
            Permission.READ_AUDIT,
        }
    ),
    Role.OBSERVER: frozenset(
        {Permission.READ_STATES, Permission.READ_ENTRIES, Permission.READ_COUNT, Permission.READ_AUDIT}
    ),
}
"""The authorisation matrix: what each role may do (within its districts, where it has any)."""

CITY_WIDE = frozenset(
    {
        Permission.CERTIFY,
        Permission.UNCERTIFY,
        Permission.MANAGE_USERS,
        Permission.REGISTER,
        Permission.DESIGNATE,
        Permission.DECIDE,
    }
)
"""Permissions that concern the whole city: a district-bound user never has them."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a user's name, role and districts (empty: the whole city)."""

    name: str
    role: Role
    districts: frozenset[int] = frozenset()

    @property
    def city_wide(self) -> bool:
        """Whether the user works for the whole city rather than some districts."""
        return not self.districts

    def covers(self, district: int) -> bool:
        """Whether the user's commission includes `district`."""
        return self.city_wide or district in self.districts


def require(actor: Actor | None, permission: Permission, district: int | None = None) -> Actor:
    """The actor, if their role grants `permission` (for `district`, when given); Forbidden otherwise."""
    if actor is None:
        raise Unauthenticated("log in first")
    if permission not in GRANTS[actor.role]:
        raise Forbidden(f"the role {actor.role.value} cannot {permission.value}", code="role")
    if permission in CITY_WIDE and not actor.city_wide:
        raise Forbidden(f"only a user working for the whole city can {permission.value}", code="commission")
    if district is not None and not actor.covers(district):
        raise Forbidden(f"district {district} is not in your commission", field="station", code="commission")
    return actor


def can(actor: Actor | None, permission: Permission, district: int | None = None) -> bool:
    """`require` as a question, for pages that show or hide a button."""
    try:
        require(actor, permission, district)
    except (Forbidden, Unauthenticated):
        return False
    return True
