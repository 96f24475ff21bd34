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
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
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
