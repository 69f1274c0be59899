"""Who may do what: roles, their permissions, and the commission a person works for.

Every write checks here, in the service, whatever page or API call it came from (docs/service.md has the
table). A user belongs to one commission of the day's tree (issue 22): they act only on the stations of its
area, and the acts that settle a contest's result (certifying, drawings of lots, registration,
designations) only on the contests it declares (the territorial commission its mäslihat, the central
commission the Mäjilis). A user of no commission works for the top of the tree. Within that, a user may
still be bound to some districts (of a day of one contest): then they act only on those districts'
stations, and never on what concerns the whole contest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from saylau.service.errors import Forbidden, Term, Unauthenticated


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


DECLARING = frozenset(
    {Permission.CERTIFY, Permission.UNCERTIFY, Permission.DECIDE, Permission.REGISTER, Permission.DESIGNATE}
)
"""Permissions that settle a contest's result: only a commission that declares the contest has them."""


@dataclass(frozen=True, slots=True)
class Commission:
    """The commission a user belongs to: its id, level, area (the stations it covers) and the contests it
    declares (from the day's tree, `saylau.domain.day.ElectionCommission`)."""

    id: str
    level: str
    stations: frozenset[int]
    declares: frozenset[str]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a user's name, role, districts (empty: the whole city) and commission (None: the top
    of the tree, every station and every contest)."""

    name: str
    role: Role
    districts: frozenset[int] = frozenset()
    commission: Commission | None = None

    def covers_station(self, station: int) -> bool:
        """Whether the station lies in the area of the user's commission."""
        return self.commission is None or station in self.commission.stations

    def declares(self, contest: str) -> bool:
        """Whether the user's commission declares the contest."""
        return self.commission is None or contest in self.commission.declares

    @property
    def city_wide(self) -> bool:
        """Whether the user works for the whole city rather than some districts."""
        return not self.districts

    def covers(self, district: int) -> bool:
        """Whether the user's commission includes `district`."""
        return self.city_wide or district in self.districts


def require(
    actor: Actor | None,
    permission: Permission,
    district: int | None = None,
    *,
    station: int | None = None,
    contest: str | None = None,
) -> Actor:
    """The actor, if their role grants `permission` (for `district`, `station` and `contest`, when given: the
    station must lie in their commission's area, and a permission that settles a contest's result needs a
    commission that declares it); Forbidden otherwise."""
    if actor is None:
        raise Unauthenticated("log in first")
    if permission not in GRANTS[actor.role]:
        raise Forbidden(
            "the role {role} cannot {action}",
            code="role",
            values={"role": Term(actor.role.value, "role"), "action": Term(permission.value, "permission")},
        )
    if permission in CITY_WIDE and not actor.city_wide:
        raise Forbidden(
            "only a user working for the whole city can {action}",
            code="commission",
            values={"action": Term(permission.value, "permission")},
        )
    if district is not None and not actor.covers(district):
        raise Forbidden(
            "district {district} is not in your commission",
            field="station",
            code="commission",
            values={"district": district},
        )
    commission = actor.commission
    if station is not None and commission is not None and station not in commission.stations:
        raise Forbidden(
            "station {station} is not in the area of your commission ({commission})",
            field="station",
            code="commission",
            values={"station": station, "commission": commission.id},
        )
    if (
        contest is not None
        and permission in DECLARING
        and commission is not None
        and contest not in commission.declares
    ):
        raise Forbidden(
            "your commission ({commission}) does not declare {contest}: it cannot {action}",
            field="contest",
            code="commission",
            values={"commission": commission.id, "contest": contest, "action": Term(permission.value, "permission")},
        )
    return actor


def can(
    actor: Actor | None,
    permission: Permission,
    district: int | None = None,
    *,
    station: int | None = None,
    contest: str | None = None,
) -> bool:
    """`require` as a question, for pages that show or hide a button."""
    try:
        require(actor, permission, district, station=station, contest=contest)
    except (Forbidden, Unauthenticated):
        return False
    return True
