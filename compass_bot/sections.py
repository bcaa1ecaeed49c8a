"""What every config section shares: unknown keys refused, one name read as a list of one.

The root model (`compass_bot.config.Config`) lists the sections; each feature keeps its own
section model beside its code (`features/<name>/settings.py`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from compass_bot.inputs import as_list
from compass_bot.refs import Ref

Refs = Annotated[list[Ref], BeforeValidator(as_list)]
Words = Annotated[list[str], BeforeValidator(as_list)]


class Section(BaseModel):
    """Every section refuses unknown keys: a typo must not silently switch a feature off."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def ref_key(ref: int | str) -> int | str:
    """A channel or role reference as compared: ids as they are, names case-folded."""
    return ref if isinstance(ref, int) else ref.casefold()
