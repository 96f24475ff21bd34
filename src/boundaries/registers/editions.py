"""Editions of a school's policy pack: upload, compare clause by clause, publish (2.2).

A school's *current* edition is its most recently published one. Before a school has published
any, the pack the installation runs with (``settings.policy_file``, else the bundled model policy)
is its current edition; when something needs an edition row for it (an acknowledgement, a
reminder, a quiz), :func:`ensure_current_edition` stores that pack as the school's first
published edition, so that every acknowledgement points at the exact text that was read.

Published editions are never changed: a guard on the table refuses it.
"""

from __future__ import annotations

import difflib
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session

from boundaries.policy import PolicyError, PolicyPack, bundled_pack_path, load_pack_text
from boundaries.policy.schema import RuleSetting, clause_sort_key
from boundaries.store import PolicyEdition, School
from boundaries.store.models import utc_now

# The columns that make an edition what it is; once published, none of them may change.
_FROZEN = ("school_id", "pack_yaml", "sha256", "version", "review_date", "published_at")


class EditionRefused(Exception):
    """An upload or publication that cannot go ahead; the message says why, for the user."""


def normalise_text(text: str) -> str:
    """The pack text as stored: no byte-order mark, Unix line endings (a pasted form gives
    CRLF, a file LF: the same policy must have the same fingerprint either way)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """The fingerprint of a pack's (normalised) text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def base_pack_text(policy_file: Path | None = None) -> str:
    """The text of the pack the installation runs with: ``policy_file``, else the bundled one."""
    path = Path(policy_file) if policy_file is not None else bundled_pack_path()
    return normalise_text(path.read_text(encoding="utf-8-sig"))


def parse_edition(edition: PolicyEdition) -> PolicyPack:
    """The edition's pack (it was validated on upload, so this does not fail in practice)."""
    return _parsed(edition.pack_yaml)


@lru_cache(maxsize=16)
def _parsed(text: str) -> PolicyPack:
    # Parsing a whole policy takes a good part of a second; pages, reminders and the CLI ask
    # for the same few editions again and again. Packs are frozen, so sharing one is safe.
    return load_pack_text(text, source="a stored edition")


def edition_label(edition: PolicyEdition) -> str:
    """How people are told which edition is meant: its version, and when it was published."""
    parts = [f"version {edition.version}"] if edition.version else []
    if edition.published_at is not None:
        parts.append(f"published {edition.published_at:%d/%m/%Y}")
    else:
        parts.append(f"uploaded {edition.uploaded_at:%d/%m/%Y}, not yet published")
    return f"edition {edition.id} (" + ", ".join(parts) + ")"


# -- looking editions up --------------------------------------------------------------------------


def current_edition(session: Session, school_id: int) -> PolicyEdition | None:
    """The school's newest published edition, or ``None`` before it has published any."""
    return session.scalars(
        select(PolicyEdition)
        .where(PolicyEdition.school_id == school_id, PolicyEdition.published_at.is_not(None))
        .order_by(PolicyEdition.published_at.desc(), PolicyEdition.id.desc())
        .limit(1)
    ).first()


def published_editions(session: Session, school_id: int) -> list[PolicyEdition]:
    """Every published edition of the school, newest first: one acknowledgement round each."""
    return list(
        session.scalars(
            select(PolicyEdition)
            .where(PolicyEdition.school_id == school_id, PolicyEdition.published_at.is_not(None))
            .order_by(PolicyEdition.published_at.desc(), PolicyEdition.id.desc())
        )
    )


def draft_editions(session: Session, school_id: int) -> list[PolicyEdition]:
    """Editions uploaded but not yet published, newest first."""
    return list(
        session.scalars(
            select(PolicyEdition)
            .where(PolicyEdition.school_id == school_id, PolicyEdition.published_at.is_(None))
            .order_by(PolicyEdition.uploaded_at.desc(), PolicyEdition.id.desc())
        )
    )


def edition_in_school(session: Session, school_id: int, edition_id: int) -> PolicyEdition | None:
    """One edition, only if it belongs to ``school_id`` (other schools' editions are not found)."""
    edition = session.get(PolicyEdition, edition_id)
    if edition is None or edition.school_id != school_id:
        return None
    return edition


def previous_published(session: Session, edition: PolicyEdition) -> PolicyEdition | None:
    """The edition that was current before ``edition`` was published."""
    if edition.published_at is None:
        return current_edition(session, edition.school_id)
    return session.scalars(
        select(PolicyEdition)
        .where(
            PolicyEdition.school_id == edition.school_id,
            PolicyEdition.published_at.is_not(None),
            PolicyEdition.id != edition.id,
            PolicyEdition.published_at <= edition.published_at,
        )
        .order_by(PolicyEdition.published_at.desc(), PolicyEdition.id.desc())
        .limit(1)
    ).first()


def school_by_urn(session: Session, urn: str) -> School | None:
    return session.scalars(select(School).where(School.urn == urn.strip())).first()


def ensure_current_edition(
    session: Session, school_id: int, base_text: str | None = None, now: datetime | None = None
) -> PolicyEdition:
    """The school's current edition, creating it from the base pack when it has none yet.

    Before a school publishes its own edition it works to the installation's pack (the bundled
    model policy, or ``settings.policy_file``). Acknowledgements must name an edition row, so on
    first need that pack is stored here as the school's first published edition (published by
    nobody: it came with the installation). Before creating it, the school's row is locked
    (PostgreSQL) and the question asked again, so that two requests at once cannot both do so.
    """
    edition = current_edition(session, school_id)
    if edition is not None:
        return edition
    session.execute(select(School.id).where(School.id == school_id).with_for_update())
    edition = current_edition(session, school_id)
    if edition is not None:
        return edition
    text = normalise_text(base_text) if base_text is not None else base_pack_text()
    pack = _parsed(text)
    stamp = now or utc_now()
    edition = PolicyEdition(
        school_id=school_id,
        version=pack.version,
        pack_yaml=text,
        sha256=text_sha256(text),
        review_date=pack.review_date,
        uploaded_by_id=None,
        uploaded_at=stamp,
        published_by_id=None,
        published_at=stamp,
    )
    session.add(edition)
    session.flush()
    return edition


# -- upload and publish ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A stored upload, with what the user should know about it."""

    edition: PolicyEdition
    pack: PolicyPack
    warnings: tuple[str, ...] = ()


def upload_edition(
    session: Session,
    school_id: int,
    text: str,
    uploaded_by_id: int | None = None,
    *,
    base_text: str | None = None,
    now: datetime | None = None,
) -> Upload:
    """Validate ``text`` as a pack and store it as a new, unpublished edition of the school.

    Raises :class:`boundaries.policy.PolicyError` (every problem, with its line number) for a
    pack that is not valid, and :class:`EditionRefused` for a text the school already has as
    its current edition or as an upload waiting to be published. The same text as an older,
    superseded edition is accepted: that is how a school goes back to an earlier policy.
    """
    text = normalise_text(text)
    if not text.strip():
        raise EditionRefused("The pack is empty: choose a file or paste the pack's YAML.")
    pack = _parsed(text)  # raises PolicyError, naming the line of each problem
    digest = text_sha256(text)
    current = current_edition(session, school_id)
    current_sha = (
        current.sha256
        if current is not None
        else text_sha256(base_text if base_text is not None else base_pack_text())
    )
    if digest == current_sha:
        raise EditionRefused(
            "This is the same text as the current edition of the policy, so there is nothing "
            "new to publish."
        )
    for draft in draft_editions(session, school_id):
        if draft.sha256 == digest:
            raise EditionRefused(
                f"This text has already been uploaded as edition {draft.id} on "
                f"{draft.uploaded_at:%d/%m/%Y} and is waiting to be published."
            )
    edition = PolicyEdition(
        school_id=school_id,
        version=pack.version,
        pack_yaml=text,
        sha256=digest,
        review_date=pack.review_date,
        uploaded_by_id=uploaded_by_id,
        uploaded_at=now or utc_now(),
    )
    session.add(edition)
    session.flush()
    return Upload(edition, pack, tuple(pack_warnings(pack)))


def pack_warnings(pack: PolicyPack) -> list[str]:
    """What the user should know about a valid pack: rules this version does not have."""
    # Imported here: the screening engine loads detectors and word lists, which only this
    # warning needs.
    from boundaries.screening.engine import unknown_rule_warnings

    return unknown_rule_warnings(pack)


def publish_edition(
    session: Session,
    edition: PolicyEdition,
    published_by_id: int | None,
    now: datetime | None = None,
) -> PolicyEdition:
    """Make ``edition`` the school's current edition; everyone must acknowledge it afresh."""
    if edition.published_at is not None:
        raise EditionRefused(
            f"Edition {edition.id} was already published on {edition.published_at:%d/%m/%Y}."
        )
    edition.published_at = now or utc_now()
    edition.published_by_id = published_by_id
    session.flush()
    return edition


@event.listens_for(PolicyEdition, "before_update")
def _published_editions_are_immutable(
    _mapper: Mapper[Any], _connection: Connection, target: PolicyEdition
) -> None:
    """Refuse any change to a published edition: acknowledgements point at its exact text."""
    state = inspect(target)
    history = state.attrs.published_at.history
    before = (history.deleted or history.unchanged or [None])[0]
    if before is None:
        return
    changed = [name for name in _FROZEN if state.attrs[name].history.has_changes()]
    if changed:
        raise EditionRefused(
            f"Edition {target.id} is published and cannot be changed ({', '.join(changed)}); "
            "upload a new edition instead."
        )


# -- the difference between two editions ----------------------------------------------------------

WordKind = Literal["same", "removed", "added"]


@dataclass(frozen=True)
class WordRun:
    """A run of words that is the same in both texts, only in the old, or only in the new."""

    kind: WordKind
    text: str


@dataclass(frozen=True)
class ClauseChange:
    """A clause added, removed or changed between two editions."""

    clause_id: str
    kind: Literal["added", "removed", "changed"]
    old_title: str | None
    new_title: str | None
    old_text: str | None
    new_text: str | None
    title_changed: bool = False
    text_changed: bool = False
    lead_changed: bool = False
    words: tuple[WordRun, ...] = ()

    @property
    def title(self) -> str:
        return self.new_title or self.old_title or ""


@dataclass(frozen=True)
class RuleChange:
    """A change in how a rule is mapped to clauses or applied."""

    code: str
    kind: Literal["added", "removed", "changed"]
    details: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    """A change in the document itself: its title, owner, version, review date, a section."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class EditionDiff:
    clauses: tuple[ClauseChange, ...] = ()
    rules: tuple[RuleChange, ...] = ()
    document: tuple[FieldChange, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.clauses or self.rules or self.document)


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def word_diff(old: str, new: str) -> tuple[WordRun, ...]:
    """The words of ``old`` and ``new`` as runs that are the same, removed or added."""
    a, b = old.split(), new.split()
    runs: list[WordRun] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(WordRun("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(WordRun("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(WordRun("added", " ".join(b[j1:j2])))
    return tuple(runs)


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _rule_details(old: RuleSetting, new: RuleSetting) -> list[str]:
    details: list[str] = []
    if old.enabled != new.enabled:
        details.append("turned on" if new.enabled else "turned off")
    if old.severity != new.severity:
        details.append(f"severity {old.severity} → {new.severity}")
    if old.clauses != new.clauses:
        details.append(f"clauses {', '.join(old.clauses)} → {', '.join(new.clauses)}")
    if old.threshold != new.threshold:
        details.append(f"threshold {_shown(old.threshold)} → {_shown(new.threshold)}")
    return details


def _describe_rule(setting: RuleSetting) -> str:
    state = "" if setting.enabled else ", turned off"
    return f"severity {setting.severity}, clauses {', '.join(setting.clauses)}{state}"


def diff_packs(old: PolicyPack, new: PolicyPack) -> EditionDiff:
    """Clause by clause, rule by rule: what ``new`` changes from ``old``."""
    before = {clause.id: clause for clause in old.clauses()}
    after = {clause.id: clause for clause in new.clauses()}
    changes: list[ClauseChange] = []
    for clause_id in sorted(set(before) | set(after), key=clause_sort_key):
        was, now = before.get(clause_id), after.get(clause_id)
        if was is None and now is not None:
            changes.append(
                ClauseChange(clause_id, "added", None, now.title, None, _squash(now.text))
            )
        elif now is None and was is not None:
            changes.append(
                ClauseChange(clause_id, "removed", was.title, None, _squash(was.text), None)
            )
        elif was is not None and now is not None:
            title_changed = _squash(was.title) != _squash(now.title)
            text_changed = _squash(was.text) != _squash(now.text)
            lead_changed = _squash(was.lead) != _squash(now.lead)
            if title_changed or text_changed or lead_changed:
                changes.append(
                    ClauseChange(
                        clause_id,
                        "changed",
                        was.title,
                        now.title,
                        _squash(was.text),
                        _squash(now.text),
                        title_changed=title_changed,
                        text_changed=text_changed,
                        lead_changed=lead_changed,
                        words=word_diff(was.text, now.text) if text_changed else (),
                    )
                )

    rules: list[RuleChange] = []
    for code in sorted(set(old.rules) | set(new.rules)):
        was_rule, now_rule = old.rules.get(code), new.rules.get(code)
        if was_rule is None and now_rule is not None:
            rules.append(RuleChange(code, "added", (_describe_rule(now_rule),)))
        elif now_rule is None and was_rule is not None:
            rules.append(RuleChange(code, "removed", ("no longer checked",)))
        elif was_rule is not None and now_rule is not None:
            details = _rule_details(was_rule, now_rule)
            if details:
                rules.append(RuleChange(code, "changed", tuple(details)))

    document: list[FieldChange] = []
    for name, a, b in (
        ("title", old.title, new.title),
        ("owner", old.owner, new.owner),
        ("version", old.version, new.version),
        ("review date", old.review_date, new.review_date),
        ("preamble", _squash(old.preamble) or None, _squash(new.preamble) or None),
        ("reporting threshold", old.thresholds.report, new.thresholds.report),
        ("certainty threshold", old.thresholds.certain, new.thresholds.certain),
    ):
        if a != b:
            document.append(FieldChange(name, _shown(a), _shown(b)))
    old_sections = {s.number: s.title for s in old.sections}
    new_sections = {s.number: s.title for s in new.sections}
    for number in sorted(set(old_sections) | set(new_sections)):
        a_title, b_title = old_sections.get(number), new_sections.get(number)
        if a_title != b_title:
            document.append(FieldChange(f"section {number}", _shown(a_title), _shown(b_title)))

    counts = {
        kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")
    }
    return EditionDiff(tuple(changes), tuple(rules), tuple(document), counts)


# -- the pack each school works to, cached --------------------------------------------------------


class SchoolPacks:
    """Parsed packs, cached by the sha256 of their text, shared between request threads.

    Which edition is a school's current one is read from the store on every call (one indexed
    query), so a publication takes effect at once in every worker process; parsing the YAML,
    the slow part, happens once per edition text. The same text always gives the same
    :class:`PolicyPack` object, which is what ``boundaries.screening.api.screen`` caches its
    compiled screeners on.
    """

    def __init__(self, base: PolicyPack, base_text: str, max_packs: int = 64) -> None:
        self.base = base
        self.base_text = normalise_text(base_text)
        self.base_sha256 = text_sha256(self.base_text)
        self._max = max_packs
        self._packs: OrderedDict[str, PolicyPack] = OrderedDict()
        self._lock = threading.Lock()

    def current_sha256(self, session: Session, school_id: int) -> str | None:
        return session.scalars(
            select(PolicyEdition.sha256)
            .where(PolicyEdition.school_id == school_id, PolicyEdition.published_at.is_not(None))
            .order_by(PolicyEdition.published_at.desc(), PolicyEdition.id.desc())
            .limit(1)
        ).first()

    def for_school(self, session: Session, school_id: int) -> PolicyPack:
        """The pack of the school's current edition (the base pack before it has one)."""
        digest = self.current_sha256(session, school_id)
        if digest is None or digest == self.base_sha256:
            return self.base
        with self._lock:
            pack = self._packs.get(digest)
            if pack is not None:
                self._packs.move_to_end(digest)
                return pack
        text = session.scalars(
            select(PolicyEdition.pack_yaml).where(
                PolicyEdition.school_id == school_id, PolicyEdition.sha256 == digest
            )
        ).first()
        if text is None:  # the edition went between the two queries: use what is there now
            return self.for_school(session, school_id)
        try:
            parsed = _parsed(text)
        except PolicyError:  # cannot happen for a validated upload; never leave a school without
            return self.base
        with self._lock:
            # Another thread may have parsed it meanwhile: keep the first, so identity holds.
            pack = self._packs.setdefault(digest, parsed)
            self._packs.move_to_end(digest)
            while len(self._packs) > self._max:
                self._packs.popitem(last=False)
        return pack

    def forget(self, sha256: str | None = None) -> None:
        """Drop one parsed pack, or all of them."""
        with self._lock:
            if sha256 is None:
                self._packs.clear()
            else:
                self._packs.pop(sha256, None)
