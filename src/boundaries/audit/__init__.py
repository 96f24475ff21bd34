"""The append-only, hash-chained audit log and its verifier (cases, monitoring)."""

from boundaries.audit.chain import (
    GENESIS_HASH,
    AuditEvent,
    ChainBreak,
    ChainReport,
    append,
    chains,
    entry_hash,
    verify_chain,
    verify_chains,
)

__all__ = [
    "GENESIS_HASH",
    "AuditEvent",
    "ChainBreak",
    "ChainReport",
    "append",
    "chains",
    "entry_hash",
    "verify_chain",
    "verify_chains",
]
