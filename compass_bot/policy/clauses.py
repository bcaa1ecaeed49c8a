"""The social media protocol as data: the 26 clauses, loaded from `policy_text/`.

Layout of the policy directory (see policy_text/README.md):

    policy_text/
      clauses/NN-<id>.yaml   one clause per file (id, section, number, titles, verbatim
                             Dutch text, English rendering, keywords, example questions)
      out_of_scope.yaml      example questions the protocol does not answer
      concepts.yaml          synonyms / slang mapped to canonical concepts, for matching

Only the clause files are required; the other two make the matcher better. Every
problem found while loading raises `PolicyTextError` with the file and the clause in
its message, so a broken edit is caught at start-up and not in front of a student.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz

from compass_bot.policy.model import MODEL_FILE, ClauseModel, fingerprint

PROTOCOL_NAME = "Protocol sociale media (1.10)"

CLAUSE_IDS: tuple[str, ...] = (
    "inleiding",
    "definitie",
    "gebruik",
    "privegebruik",
    "discussies",
    "schooltijd",
    "locatie",
    "aanwijzing-1",
    "aanwijzing-2",
    "aanwijzing-3",
    "aanwijzing-4",
    "aanwijzing-5",
    "aanwijzing-6",
    "aanwijzing-7",
    "aanwijzing-8",
    "aanwijzing-9",
    "slot",
    "medewerkers-1",
    "medewerkers-2",
    "medewerkers-3",
    "medewerkers-4",
    "medewerkers-5",
    "medewerkers-6",
    "medewerkers-7",
    "medewerkers-8",
    "medewerkers-9",
)
"""The fixed clause ids of protocol 1.10, in protocol order (shared/protocol-clauses.md)."""

DEFAULT_POLICY_DIR = Path(__file__).resolve().parents[2] / "policy_text"
CLAUSES_SUBDIR = "clauses"
OUT_OF_SCOPE_FILE = "out_of_scope.yaml"
CONCEPTS_FILE = "concepts.yaml"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


Audience = Literal["all", "staff"]


class PolicyTextError(ValueError):
    """The policy text directory is broken; the message names the file and the clause."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of the protocol. `text` is the school's Dutch wording, verbatim."""

    id: str
    section: str
    number: int | None
    title: str
    title_en: str
    text: str
    text_en: str
    examples: tuple[str, ...]  # example questions, Dutch first, then English
    keywords: tuple[str, ...]  # words and short phrases that point at this clause
    audience: Audience = "all"  # "staff": only staff duties (the Bijlage voor medewerkers)


class ClauseBook:
    """The clauses in protocol order, plus the matcher's extra knowledge.

    `out_of_scope` are example questions the protocol does not answer; `concepts` maps a
    concept name to its surface forms; `domain_concepts` are the concepts that mark a
    question as being about social media at all; `staff_concepts` those that show a
    question is asked by or about staff; `beside_topics` names, per concept, a topic the
    protocol does not cover although questions about it use the protocol's words (the
    punishment, a police report), as (Dutch, English) phrases for a refusal.
    """

    __slots__ = (
        "_by_id",
        "_clauses",
        "beside_topics",
        "concepts",
        "domain_concepts",
        "model",
        "out_of_scope",
        "source",
        "staff_concepts",
    )

    def __init__(
        self,
        clauses: Iterable[Clause],
        *,
        out_of_scope: Iterable[str] = (),
        concepts: Mapping[str, Iterable[str]] | None = None,
        domain_concepts: Iterable[str] = (),
        staff_concepts: Iterable[str] = (),
        beside_topics: Mapping[str, tuple[str, str]] | None = None,
        source: Path | None = None,
        model: ClauseModel | None = None,
    ) -> None:
        self._clauses: tuple[Clause, ...] = tuple(clauses)
        by_id: dict[str, Clause] = {}
        for clause in self._clauses:
            if clause.id in by_id:
                raise PolicyTextError(f"clause {clause.id!r} appears twice")
            by_id[clause.id] = clause
        self._by_id = MappingProxyType(by_id)
        self.out_of_scope: tuple[str, ...] = tuple(out_of_scope)
        self.concepts: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {name: tuple(forms) for name, forms in (concepts or {}).items()}
        )
        self.domain_concepts: frozenset[str] = frozenset(domain_concepts)
        self.model = model
        """The trained clause model (model.py), or None: then the index answers alone."""
        self.staff_concepts: frozenset[str] = frozenset(staff_concepts)
        self.beside_topics: Mapping[str, tuple[str, str]] = MappingProxyType(
            dict(beside_topics or {})
        )
        self.source = source

    def replace(
        self,
        *,
        clauses: Iterable[Clause] | None = None,
        out_of_scope: Iterable[str] | None = None,
        model: ClauseModel | Literal["keep"] | None = "keep",
    ) -> ClauseBook:
        """A copy with some parts changed (benchmarks: leave examples or the model out)."""
        return ClauseBook(
            self._clauses if clauses is None else clauses,
            out_of_scope=self.out_of_scope if out_of_scope is None else out_of_scope,
            concepts=self.concepts,
            domain_concepts=self.domain_concepts,
            staff_concepts=self.staff_concepts,
            beside_topics=self.beside_topics,
            source=self.source,
            model=self.model if model == "keep" else model,
        )

    def __getitem__(self, clause_id: str) -> Clause:
        return self._by_id[clause_id]

    def __iter__(self) -> Iterator[Clause]:
        return iter(self._clauses)

    def __len__(self) -> int:
        return len(self._clauses)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def __repr__(self) -> str:
        return f"ClauseBook({len(self)} clauses from {self.source})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self._clauses)

    def get(self, clause_id: str) -> Clause | None:
        return self._by_id.get(clause_id)

    def search_titles(self, text: str, limit: int = 25) -> list[Clause]:
        """Clauses whose id or title (Dutch or English) fit `text`, best first.

        Meant for Discord autocomplete: an empty text lists the clauses in protocol
        order; otherwise exact and prefix matches on the id come first, then substring
        matches, then fuzzy matches (typos) above a floor. Never raises.
        """
        if limit <= 0:
            return []
        query = _fold(text).strip()
        if not query:
            return list(self._clauses[:limit])
        scored: list[tuple[float, int, Clause]] = []
        for order, clause in enumerate(self._clauses):
            score = _title_score(query, clause)
            if score >= _TITLE_FLOOR:
                scored.append((score, order, clause))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [clause for _, _, clause in scored[:limit]]


_TITLE_FLOOR = 70.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _title_score(query: str, clause: Clause) -> float:
    cid = clause.id
    titles = (_fold(clause.title), _fold(clause.title_en))
    if query == cid:
        return 200.0
    if cid.startswith(query):
        return 150.0 - len(cid) / 10
    if query in cid:
        return 140.0
    for title in titles:
        if title.startswith(query):
            return 130.0
        if query in title:
            return 120.0
    haystack = " ".join((cid, *titles))
    return float(fuzz.partial_ratio(query, haystack)) if len(query) >= 3 else 0.0


# ---------------------------------------------------------------- loading


def load_clauses(path: Path | None = None) -> ClauseBook:
    """Load and check the policy directory (default: the project's `policy_text/`).

    Checks: every file parses; every clause has a known, unique id; section, titles,
    Dutch text and English text are non-empty; every id of `CLAUSE_IDS` is present.
    """
    root = Path(path) if path is not None else DEFAULT_POLICY_DIR
    clause_dir = root / CLAUSES_SUBDIR
    if not clause_dir.is_dir():
        raise PolicyTextError(
            f"{clause_dir}: no clause directory (expected {CLAUSES_SUBDIR}/*.yaml)"
        )
    files = sorted(p for p in clause_dir.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        raise PolicyTextError(f"{clause_dir}: no clause files")
    found: dict[str, tuple[Clause, Path]] = {}
    for file in files:
        clause = _read_clause(file)
        if clause.id in found:
            first = found[clause.id][1]
            raise PolicyTextError(
                f"{file}: clause {clause.id!r}: duplicate id (also in {first.name})"
            )
        found[clause.id] = (clause, file)
    missing = [cid for cid in CLAUSE_IDS if cid not in found]
    if missing:
        raise PolicyTextError(
            f"{clause_dir}: clause {missing[0]!r} is missing"
            + (f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else "")
        )
    clauses = [found[cid][0] for cid in CLAUSE_IDS]
    out_of_scope = _read_out_of_scope(root / OUT_OF_SCOPE_FILE)
    concepts, domain, staff, beside = _read_concepts(root / CONCEPTS_FILE)
    return ClauseBook(
        clauses,
        out_of_scope=out_of_scope,
        concepts=concepts,
        domain_concepts=domain,
        staff_concepts=staff,
        beside_topics=beside,
        source=root,
        model=ClauseModel.load(root / MODEL_FILE, fingerprint(root)),
    )


def _read_yaml(file: Path) -> Any:
    try:
        with file.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)  # CSafeLoader/SafeLoader
    except yaml.YAMLError as exc:
        raise PolicyTextError(f"{file}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyTextError(f"{file}: cannot be read: {exc}") from exc


def _read_clause(file: Path) -> Clause:
    data = _read_yaml(file)
    if not isinstance(data, dict):
        raise PolicyTextError(f"{file}: expected a mapping with the fields of one clause")
    raw_id = data.get("id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise PolicyTextError(f"{file}: clause without an id")
    cid = raw_id.strip()
    where = f"{file}: clause {cid!r}"
    if cid not in CLAUSE_IDS:
        raise PolicyTextError(f"{where}: unknown id (the ids are fixed, see CLAUSE_IDS)")

    def text_field(name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise PolicyTextError(f"{where}: {name} is missing or empty")
        return value.strip()

    number = data.get("number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise PolicyTextError(f"{where}: number must be a whole number or null")
    examples_nl, examples_en = _read_examples(data.get("examples"), where)
    audience = data.get("audience", "all")
    if audience not in ("all", "staff"):
        raise PolicyTextError(f"{where}: audience must be 'all' or 'staff', not {audience!r}")
    return Clause(
        id=cid,
        section=text_field("section"),
        number=number,
        title=text_field("title"),
        title_en=text_field("title_en"),
        text=text_field("text"),
        text_en=text_field("text_en"),
        examples=examples_nl + examples_en,
        keywords=_string_list(data.get("keywords"), f"{where}: keywords"),
        audience=audience,
    )


def _read_examples(value: object, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if isinstance(value, list):
        return _string_list(value, f"{where}: examples"), ()
    if isinstance(value, dict):
        unknown = set(value) - {"nl", "en"}
        if unknown:
            raise PolicyTextError(f"{where}: examples has unknown languages {sorted(unknown)}")
        return (
            _string_list(value.get("nl"), f"{where}: examples.nl"),
            _string_list(value.get("en"), f"{where}: examples.en"),
        )
    raise PolicyTextError(f"{where}: examples must be a list or a mapping nl/en -> list")


def _string_list(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PolicyTextError(f"{where} must be a list")
    out: list[str] = []
    for item in value:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            raise PolicyTextError(f"{where}: empty or non-text entry {item!r}")
        out.append(item.strip())
    return tuple(out)


def _read_out_of_scope(file: Path) -> tuple[str, ...]:
    if not file.exists():
        return ()
    data = _read_yaml(file)
    if isinstance(data, dict):
        data = data.get("examples")
    return _string_list(data, f"{file}: examples")


_Concepts = tuple[
    dict[str, tuple[str, ...]], tuple[str, ...], tuple[str, ...], dict[str, tuple[str, str]]
]


def _read_concepts(file: Path) -> _Concepts:
    if not file.exists():
        return {}, (), (), {}
    data = _read_yaml(file)
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict):
        raise PolicyTextError(f"{file}: expected a 'concepts' mapping of NAME -> [forms]")
    concepts: dict[str, tuple[str, ...]] = {}
    for name, forms in data["concepts"].items():
        if not isinstance(name, str) or not name.isupper():
            raise PolicyTextError(f"{file}: concept name {name!r} must be UPPERCASE")
        concepts[name] = tuple(dict.fromkeys(_string_list(forms, f"{file}: concept {name}")))
    lists: list[tuple[str, ...]] = []
    for key in ("domain", "staff"):
        names = _string_list(data.get(key), f"{file}: {key}")
        unknown = [n for n in names if n not in concepts]
        if unknown:
            raise PolicyTextError(f"{file}: {key} names unknown concepts {unknown}")
        lists.append(names)
    return concepts, lists[0], lists[1], _read_beside(data.get("beside"), concepts, file)


def _read_beside(
    value: object, concepts: Mapping[str, object], file: Path
) -> dict[str, tuple[str, str]]:
    """`beside: {CONCEPT: {nl: ..., en: ...}}`: topics the protocol does not cover."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PolicyTextError(f"{file}: beside must be a mapping CONCEPT -> {{nl, en}}")
    out: dict[str, tuple[str, str]] = {}
    for name, labels in value.items():
        if name not in concepts:
            raise PolicyTextError(f"{file}: beside names unknown concept {name!r}")
        if not isinstance(labels, dict) or set(labels) != {"nl", "en"}:
            raise PolicyTextError(f"{file}: beside {name}: needs exactly nl and en")
        nl, en = labels["nl"], labels["en"]
        if not (isinstance(nl, str) and nl.strip() and isinstance(en, str) and en.strip()):
            raise PolicyTextError(f"{file}: beside {name}: nl and en must be non-empty text")
        out[name] = (nl.strip(), en.strip())
    return out
