"""Load and validate a policy pack from YAML, with errors that name the line they are on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from boundaries.policy.schema import PolicyPack

BUNDLED_PACK = "herefordshire-model.yaml"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is and what is wrong."""

    line: int | None
    location: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        loc = f" ({self.location})" if self.location else ""
        return f"{where}{loc}: {self.message}"


class PolicyError(Exception):
    """A pack that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source} is not a valid policy pack:\n{listing}")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping: in a pack, the second
    ``PD101:`` would silently replace the first, which is a policy change nobody meant."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def bundled_pack_path() -> Path:
    return Path(str(resources.files("boundaries.policy") / "packs" / BUNDLED_PACK))


def load_pack(path: str | Path | None = None) -> PolicyPack:
    """Load a pack from a file; with no path, the bundled model policy."""
    if path is None:
        return _bundled()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        problem = Problem(None, "", f"cannot read the file: {exc.strerror}")
        raise PolicyError(str(path), [problem]) from None
    except UnicodeDecodeError:
        raise PolicyError(str(path), [Problem(None, "", "the file is not UTF-8 text")]) from None
    return load_pack_text(text, source=str(path))


@lru_cache(maxsize=1)
def _bundled() -> PolicyPack:
    path = bundled_pack_path()
    return load_pack_text(path.read_text(encoding="utf-8"), source=str(path))


def load_pack_text(text: str, source: str = "<pack>") -> PolicyPack:
    try:
        root = yaml.compose(text, Loader=_StrictLoader)
        data = yaml.load(text, Loader=_StrictLoader)
    except (ValueError, RecursionError) as exc:  # "review_date: 2024-13-45", nesting too deep
        raise PolicyError(source, [Problem(None, "", f"not a valid pack: {exc}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source, [Problem(line, "", f"not valid YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise PolicyError(source, [Problem(1, "", "a pack is a YAML mapping of keys to values")])
    try:
        return PolicyPack.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(Problem(_line_of(root, loc), _dotted(loc), err["msg"]))
        raise PolicyError(source, problems) from None


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line number.

    The deepest node reached is used, so an error in a missing key points at its parent mapping.
    """
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if key.value == part:
                    found = value
                    line = key.start_mark.line + 1
                    break
            if found is None:
                return line
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
