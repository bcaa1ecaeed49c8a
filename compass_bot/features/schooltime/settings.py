"""The `school_time:` section: which channels clause `schooltijd` watches and how it acts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PrivateAttr, model_validator

from compass_bot.features.schooltime.rules import Scope
from compass_bot.inputs import StrictInt
from compass_bot.refs import describe_ref
from compass_bot.sections import Refs, Section, ref_key


def _default_staff_roles() -> list[int | str]:
    return ["Docent", "Moderator", "Schoolleiding"]


class SchoolTimeConfig(Section):
    """The `school_time:` section: which channels clause `schooltijd` watches and how it acts.

    By default no channel is watched (the rule does nothing until channels are listed).
    """

    social_channels: Refs = Field(default_factory=list)
    social_categories: Refs = Field(default_factory=list)
    exempt_channels: Refs = Field(default_factory=list)
    staff_roles: Refs = Field(default_factory=_default_staff_roles)
    action: Literal["warn", "warn_and_delete"] = "warn"
    warning_cooldown_minutes: StrictInt = Field(default=30, ge=0, le=24 * 60)
    permission_default_minutes: StrictInt = Field(default=50, ge=1, le=24 * 60)
    _scope_cache: tuple[tuple[tuple[int | str, ...], ...], Scope] | None = PrivateAttr(None)
    # the config's teachers, moderators and leadership (`roles:`), set by the whole config
    _role_staff: tuple[int | str, ...] = PrivateAttr(())

    @model_validator(mode="after")
    def _not_both(self) -> SchoolTimeConfig:
        exempt = {ref_key(r) for r in self.exempt_channels}
        for ref in self.social_channels:
            if ref_key(ref) in exempt:
                raise ValueError(
                    f"channel {describe_ref(ref)} is both in social_channels and exempt_channels"
                )
        return self

    def with_role_staff(self, refs: tuple[int | str, ...]) -> None:
        """The config's own staff roles (`roles.teachers`, `moderators`, `leadership`) are
        staff for this rule too: a school that renames "Docent" to "Leraar" under `roles:`
        must not see its teachers warned for posting in lesson time."""
        self._role_staff = refs

    def staff(self) -> tuple[int | str, ...]:
        """Every role the rule leaves alone: `staff_roles` and the config's staff roles."""
        return (*self.staff_roles, *self._role_staff)

    def watches_channels(self) -> bool:
        """Whether any channel falls under the rule: with no social channel or category
        listed it watches nothing (exempt channels only take channels out)."""
        return bool(self.social_channels or self.social_categories)

    def to_scope(self) -> Scope:
        """The plain `Scope` the verdict uses; cached, rebuilt when the ref lists change.

        `judge_post` and `is_watched` accept this config section directly and call this.
        """
        key = (
            tuple(self.social_channels),
            tuple(self.social_categories),
            tuple(self.exempt_channels),
            self.staff(),
        )
        # Read the private cache directly: pydantic's private-attribute lookup costs ~1 µs.
        private = self.__pydantic_private__
        cached = private.get("_scope_cache") if private else None
        if cached is not None and cached[0] == key:
            scope: Scope = cached[1]
            return scope
        scope = Scope.from_refs(
            social_channels=key[0],
            social_categories=key[1],
            exempt_channels=key[2],
            staff_roles=key[3],
        )
        self._scope_cache = (key, scope)
        return scope
