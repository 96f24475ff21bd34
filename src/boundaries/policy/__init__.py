"""The policy as data: the pack schema, its loader and validator, and the bundled pack."""

from boundaries.policy.loader import PolicyError, bundled_pack_path, load_pack, load_pack_text
from boundaries.policy.schema import Clause, PolicyPack, RuleSetting, Section, Severity

__all__ = [
    "Clause",
    "PolicyError",
    "PolicyPack",
    "RuleSetting",
    "Section",
    "Severity",
    "bundled_pack_path",
    "load_pack",
    "load_pack_text",
]
