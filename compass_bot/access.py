"""Who may do what: capabilities from the configured roles, actions declared by the features.

Each feature declares its staff actions (`Feature.actions`): which capabilities may take it
and the refusal that names the role and the action. This is the one table both front ends'
early checks and the services' use cases ask. `is_staff` is the one answer to "do the rules
leave this member alone" (every post asks it, so it is memoised per roles tuple).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from compass_bot.config import RoleSettings
from compass_bot.model import Member, Refusal, Role
from compass_bot.refs import any_ref_matches

Capability = Literal["teacher", "moderator", "leadership"]

STAFF_CACHE: Final = 1024  # distinct role mixes remembered per Access (a school has few)


@dataclass(frozen=True, slots=True)
class Action:
    """A staff action: the capabilities that may take it and the refusal for the others,
    Dutch and English. Both are required: a generic English half ("Only moderators can do
    this.") did not say what was refused."""

    name: str
    allowed: tuple[Capability, ...]
    refusal: str
    refusal_en: str

    @property
    def refused(self) -> str:
        """The refusal as said: Dutch first, then English, as every refusal."""
        return f"{self.refusal} / {self.refusal_en}"


class Access:
    """The roles of the config read as capabilities, and the actions of every feature."""

    def __init__(
        self,
        roles: RoleSettings,
        actions: Iterable[Action],
        *,
        staff_roles: Iterable[int | str] = (),
    ) -> None:
        """`staff_roles`: further roles the rules leave alone (school_time.staff_roles)."""
        self.roles = roles
        self.actions: Mapping[str, Action] = {a.name: a for a in actions}
        self.staff_roles: tuple[int | str, ...] = tuple(staff_roles)
        refs = (*roles.teachers, *roles.moderators, *roles.leadership, *self.staff_roles)
        self._staff_ids = frozenset(r for r in refs if isinstance(r, int))
        self._staff_names = frozenset(r.casefold() for r in refs if isinstance(r, str))
        # Per instance, so two schools' configs never share an answer.
        self._staff_by_roles = lru_cache(maxsize=STAFF_CACHE)(self._roles_are_staff)

    def is_staff(self, member: Member) -> bool:
        """Teacher, moderator, leadership or a school-time staff role: the message rules
        (school time aside, which has its own scope) leave such a member alone."""
        return self._staff_by_roles(member.roles)

    def _roles_are_staff(self, roles: tuple[Role, ...]) -> bool:
        ids, names = self._staff_ids, self._staff_names
        return any(rid in ids or rname.casefold() in names for rid, rname in roles)

    def has(self, member: Member, capability: Capability) -> bool:
        refs = {
            "teacher": self.roles.teachers,
            "moderator": self.roles.moderators,
            "leadership": self.roles.leadership,
        }[capability]
        return any(any_ref_matches(refs, rid, rname) for rid, rname in member.roles)

    def refusal(self, member: Member, action: str) -> Refusal | None:
        """None when `member` may take `action`, else the refusal naming role and action."""
        declared = self.actions[action]
        if any(self.has(member, capability) for capability in declared.allowed):
            return None
        return Refusal(declared.refused)
