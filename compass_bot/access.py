"""Who may do what: capabilities from the configured roles, actions declared by the features.

Each feature declares its staff actions (`Feature.actions`): which capabilities may take it
and the refusal that names the role and the action. This is the one table both front ends'
early checks and the services' use cases ask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from compass_bot.config import RoleSettings
from compass_bot.model import Member, Refusal
from compass_bot.refs import any_ref_matches

Capability = Literal["teacher", "moderator", "leadership"]


@dataclass(frozen=True, slots=True)
class Action:
    """A staff action: the capabilities that may take it and the refusal for the others."""

    name: str
    allowed: tuple[Capability, ...]
    refusal: str


class Access:
    """The roles of the config read as capabilities, and the actions of every feature."""

    def __init__(self, roles: RoleSettings, actions: Iterable[Action]) -> None:
        self.roles = roles
        self.actions: Mapping[str, Action] = {a.name: a for a in actions}

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
        return Refusal(declared.refusal)
