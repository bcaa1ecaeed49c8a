"""A bounded PyYAML safe loader: a hostile or mistyped config file is refused in one line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import yaml

MAX_YAML_DEPTH: Final = 50
MAX_YAML_ALIASES: Final = 100
MAX_YAML_NODES: Final = 20_000
MAX_INT_DIGITS: Final = 30


class Refused(yaml.MarkedYAMLError):
    """A well-formed YAML document the bounds below refuse (not a syntax error)."""


def _refused(problem: str, mark: yaml.Mark | None) -> Refused:
    return Refused(None, None, problem, mark)


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with bounds, so a hostile or mistyped file is one line.

    Refuses nesting deeper than MAX_YAML_DEPTH (no RecursionError), more than
    MAX_YAML_ALIASES alias uses or aliases expanding to more than MAX_YAML_NODES values (no
    "billion laughs"), recursive aliases, duplicate keys (the second would silently win),
    integers longer than MAX_INT_DIGITS digits and impossible dates such as 2026-02-30.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def _mark(self) -> yaml.Mark | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        return getattr(event, "start_mark", None)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _refused(
                    f"more than {MAX_YAML_ALIASES} aliases (*name); write the values out",
                    self._mark(),
                )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _refused(
                    f"nested deeper than {MAX_YAML_DEPTH} levels",
                    self._mark(),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node | None:
        node: yaml.Node | None = super().compose_document()
        if node is not None:
            _check_expansion(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue  # unhashable: PyYAML itself refuses it below
                if duplicate:
                    first = seen[key].start_mark.line + 1
                    raise _refused(
                        f"key {_short_key(key)} is given twice (first on line {first})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise _refused(f"a number of {digits} digits is too long", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _refused(
                f"{_short_key(node.value)} is not a real date (or time)",
                node.start_mark,
            ) from None


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_bounded_int)
BoundedLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", BoundedLoader.construct_checked_timestamp
)


def _short_key(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_YAML_NODES values, or loop."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise _refused("an alias refers to itself (a loop)", node.start_mark)
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children: Iterable[yaml.Node] = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = ()
        for child in children:
            total += size(child)
            if total > MAX_YAML_NODES:
                raise _refused(
                    f"aliases expand to more than {MAX_YAML_NODES} values",
                    node.start_mark,
                )
        busy.discard(key)
        sizes[key] = total
        return total

    size(root)
