"""The school's allow and block decisions (5.1: "the school reserves the right to limit access
to any site"), each with its reason and who decided: the record the DfE filtering and
monitoring standard asks a school to keep. Exported for Squid and as plain domain lists.

Squid's ``dstdomain`` matches a name with a leading dot as the domain and every name under it;
Squid refuses a list that holds both a domain and a name under it, so a name already covered by
another entry of the same list is left out of the export (and said so in a comment).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.audit import AuditEvent, append
from boundaries.monitoring.authorisations import Caller, chain_for
from boundaries.store import FilteringAction, FilteringDecision, School

MAX_REASON = 2_000
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
ACL_NAMES = {
    FilteringAction.BLOCK: "boundaries_blocked",
    FilteringAction.ALLOW: "boundaries_allowed",
}
ACTION_LABELS = {FilteringAction.BLOCK: "Blocked", FilteringAction.ALLOW: "Allowed"}


class InvalidDecision(ValueError):
    """A decision that cannot be recorded: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def normalise_domain(text: str) -> str:
    """The domain as Squid and the exports write it: lower case, IDNA (punycode), no scheme,
    path, port, wildcard or dots at either end. Raises ValueError naming what is wrong."""
    value = text.strip().lower()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    if value.startswith("["):
        raise ValueError("Enter a domain name such as example.com, not an address.")
    value = value.split(":", 1)[0]
    if value.startswith("*."):
        value = value[2:]
    value = value.strip(".")
    if not value:
        raise ValueError("Enter a domain name such as example.com.")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"“{text.strip()}” is not a domain name.") from None
    labels = value.split(".")
    if len(value) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"“{text.strip()}” is not a domain name.")
    if len(labels) < 2:
        raise ValueError(f"“{text.strip()}” is not a whole domain name: add its ending (.com).")
    if all(label.isdigit() for label in labels):
        raise ValueError("Enter a domain name such as example.com, not an address.")
    return value


def current_decisions(session: Session, school_id: int) -> list[FilteringDecision]:
    """The decisions in force (neither superseded nor revoked), by domain."""
    return list(
        session.scalars(
            select(FilteringDecision)
            .where(
                FilteringDecision.school_id == school_id,
                FilteringDecision.superseded_by_id.is_(None),
                FilteringDecision.revoked_at.is_(None),
            )
            .order_by(FilteringDecision.domain, FilteringDecision.id)
        )
    )


def history(session: Session, school_id: int) -> list[FilteringDecision]:
    """Every decision ever made, newest first: the record kept for the standard."""
    return list(
        session.scalars(
            select(FilteringDecision)
            .where(FilteringDecision.school_id == school_id)
            .order_by(FilteringDecision.decided_at.desc(), FilteringDecision.id.desc())
        )
    )


def decision_in(session: Session, school_id: int, decision_id: int) -> FilteringDecision | None:
    found = session.get(FilteringDecision, decision_id)
    return found if found is not None and found.school_id == school_id else None


def decide(
    session: Session,
    school_id: int,
    caller: Caller,
    domain: str,
    action: FilteringAction,
    reason: str,
) -> FilteringDecision:
    """Record a decision to allow or block ``domain``; it supersedes the one in force, if any.

    Raises :class:`InvalidDecision` for a domain that is not one or a missing reason.
    """
    errors: dict[str, str] = {}
    try:
        name = normalise_domain(domain)
    except ValueError as exc:
        errors["domain"] = str(exc)
        name = ""
    if not reason.strip():
        errors["reason"] = "Say why: the filtering standard asks for the reason for each decision."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason to {MAX_REASON:,} characters or fewer."
    if errors:
        raise InvalidDecision(errors)
    previous = session.scalars(
        select(FilteringDecision).where(
            FilteringDecision.school_id == school_id,
            FilteringDecision.domain == name,
            FilteringDecision.superseded_by_id.is_(None),
            FilteringDecision.revoked_at.is_(None),
        )
    ).all()
    decision = FilteringDecision(
        school_id=school_id,
        domain=name,
        action=action,
        reason=reason.strip(),
        decided_by_id=caller.person_id,
        decided_by_name=caller.name,
        decided_at=datetime.now(UTC),
    )
    session.add(decision)
    session.flush()
    for old in previous:
        old.superseded_by_id = decision.id
    append(
        session,
        chain_for(school_id),
        AuditEvent(
            action=f"filtering.{action.value}",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="filtering_decision",
            subject_id=decision.id,
            detail={
                "domain": name,
                "reason": decision.reason,
                "supersedes": [old.id for old in previous],
            },
        ),
    )
    return decision


def revoke_decision(
    session: Session, decision: FilteringDecision, caller: Caller, reason: str
) -> None:
    """Withdraw a decision in force, keeping it in the history. Raises InvalidDecision."""
    if decision.revoked_at is not None or decision.superseded_by_id is not None:
        raise InvalidDecision({"reason": "This decision is no longer in force."})
    if not reason.strip():
        raise InvalidDecision({"reason": "Say why the decision is being withdrawn."})
    decision.revoked_at = datetime.now(UTC)
    decision.revoked_by_name = caller.name
    decision.revoked_reason = reason.strip()
    session.flush()
    append(
        session,
        chain_for(decision.school_id),
        AuditEvent(
            action="filtering.revoked",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="filtering_decision",
            subject_id=decision.id,
            detail={"domain": decision.domain, "reason": decision.revoked_reason},
        ),
    )


# -- exports ---------------------------------------------------------------------------------------
def _covered_by(name: str, others: set[str]) -> str | None:
    """The entry in ``others`` that already covers ``name`` (a parent domain), if any."""
    labels = name.split(".")
    for start in range(1, len(labels)):
        parent = ".".join(labels[start:])
        if parent in others:
            return parent
    return None


@dataclass(frozen=True)
class ExportEntry:
    decision: FilteringDecision
    covered_by: str | None  # left out: this parent domain in the same list already covers it


def export_entries(
    decisions: Sequence[FilteringDecision], action: FilteringAction
) -> list[ExportEntry]:
    """The decisions of one action, each marked if a parent domain in the same list covers it."""
    chosen = sorted((d for d in decisions if d.action is action), key=lambda d: d.domain)
    names = {d.domain for d in chosen}
    return [ExportEntry(d, _covered_by(d.domain, names)) for d in chosen]


def _comment(text: str) -> str:
    # A comment is one line in Squid's files: line breaks in a reason must not end it early.
    return "# " + " ".join(text.split())


def _decision_comment(decision: FilteringDecision) -> str:
    when = decision.decided_at.astimezone(UTC).strftime("%Y-%m-%d")
    return _comment(
        f"{decision.domain}: {decision.action.value} decided {when} by "
        f"{decision.decided_by_name}. Reason: {decision.reason}"
    )


def _header(school: School, generated_at: datetime, what: str) -> list[str]:
    return [
        _comment(f"{what} for {school.name} (URN {school.urn}), from Boundaries."),
        _comment(f"Generated {generated_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}."),
        _comment("Section 5.1: the school reserves the right to limit access to any site."),
    ]


def squid_acl_file(
    school: School,
    decisions: Sequence[FilteringDecision],
    action: FilteringAction,
    generated_at: datetime,
) -> str:
    """A Squid ACL file of one action: one ``.domain`` a line, each after a comment naming its
    reason and who decided, for ``acl NAME dstdomain "/etc/squid/FILE"``."""
    lines = _header(school, generated_at, f"{ACTION_LABELS[action]} domains")
    lines.append(
        _comment(f'Use as: acl {ACL_NAMES[action]} dstdomain "/etc/squid/{ACL_NAMES[action]}.acl"')
    )
    for entry in export_entries(decisions, action):
        lines.append(_decision_comment(entry.decision))
        if entry.covered_by:
            lines.append(_comment(f"left out: .{entry.covered_by} already covers it"))
        else:
            lines.append(f".{entry.decision.domain}")
    return "\n".join(lines) + "\n"


def squid_conf(
    school: School, decisions: Sequence[FilteringDecision], generated_at: datetime
) -> str:
    """One annotated squid.conf fragment: the allow and block ACLs and their ``http_access``
    lines (allowed first, so an allowed name under a blocked domain gets through). Include it
    before the configuration's own ``http_access allow`` lines."""
    lines = _header(school, generated_at, "Filtering decisions")
    for action in (FilteringAction.ALLOW, FilteringAction.BLOCK):
        entries = export_entries(decisions, action)
        lines.append("")
        lines.append(_comment(f"{ACTION_LABELS[action]}: {len(entries)} decision(s)."))
        kept = 0
        for entry in entries:
            lines.append(_decision_comment(entry.decision))
            if entry.covered_by:
                lines.append(_comment(f"left out: .{entry.covered_by} already covers it"))
            else:
                lines.append(f"acl {ACL_NAMES[action]} dstdomain .{entry.decision.domain}")
                kept += 1
        if kept:
            verb = "allow" if action is FilteringAction.ALLOW else "deny"
            lines.append(f"http_access {verb} {ACL_NAMES[action]}")
    return "\n".join(lines) + "\n"


def domain_list(decisions: Sequence[FilteringDecision], action: FilteringAction) -> str:
    """The domains of one action, one a line, nothing else: for filters that take a plain list."""
    names = [e.decision.domain for e in export_entries(decisions, action) if not e.covered_by]
    return "".join(f"{name}\n" for name in names)
