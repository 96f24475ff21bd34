"""Evidence files in their real formats, and a small store to put them in, for the case
evidence, verify, bundle, retention and fault tests. Every person and message is invented."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from boundaries.cases.trail import Actor, record
from boundaries.cases.uploads import Provenance, add_evidence
from boundaries.cases.vault import Vault
from boundaries.store import (
    Case,
    Evidence,
    Person,
    PersonKind,
    School,
    Trust,
    TrustKind,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.store.cases import CaseCategory, CaseOutcome, CaseState
from tests.databases import empty_database


def screenshot_png(text: str = "You are pathetic, everyone knows it", size: int = 600) -> bytes:
    """A phone-shaped screenshot of a message, as PNG."""
    image = Image.new("RGB", (size, size * 2), "#f0f0f0")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, size - 20, 220), fill="#ffffff", outline="#cccccc")
    draw.text((40, 150), text, fill="#000000")
    draw.text((40, 40), "@westvale_gossip_2026 · 14:05", fill="#555555")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def photo_jpeg(seed: int = 0) -> bytes:
    image = Image.new("RGB", (800, 600), (40 + seed % 200, 90, 160))
    ImageDraw.Draw(image).ellipse((100, 100, 500, 400), fill=(230, 200, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def printed_pdf() -> bytes:
    """A one-page PDF as a browser's "print to PDF" makes (Pillow writes a real PDF)."""
    image = Image.new("RGB", (595, 842), "#ffffff")
    ImageDraw.Draw(image).text((50, 50), "Comment thread, printed 25/11/2026", fill="#000000")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=72)
    return out.getvalue()


SAVED_EMAIL = (
    b"Return-Path: <anon.sender.4471@mailbox.example.net>\r\n"
    b"Received: from mx.example.net (mx.example.net [192.0.2.10])\r\n"
    b"\tby mail.meadowbank.example.org with ESMTPS id 4Bx2; Wed, 25 Nov 2026 14:05:09 +0000\r\n"
    b"From: Anonymous <anon.sender.4471@mailbox.example.net>\r\n"
    b"To: Meadowbank Staff Teacher <staff.teacher@meadowbank.example.org>\r\n"
    b"Subject: you should be sacked\r\n"
    b"Date: Wed, 25 Nov 2026 14:05:02 +0000\r\n"
    b"Message-ID: <20261125140502.4471@mailbox.example.net>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: text/plain; charset="utf-8"\r\n'
    b"Content-Transfer-Encoding: 7bit\r\n"
    b"\r\n"
    b"Everyone at the gate is talking about you. Watch yourself.\r\n"
)

SAVED_MHTML = (
    b"From: <Saved by Blink>\r\n"
    b"Snapshot-Content-Location: https://www.example.com/westvale_gossip_2026/status/1\r\n"
    b"Subject: westvale_gossip_2026 on Example\r\n"
    b"Date: Wed, 25 Nov 2026 14:07:31 -0000\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/related;\r\n"
    b'\ttype="text/html";\r\n'
    b'\tboundary="----MultipartBoundary--q1w2e3r4t5----"\r\n'
    b"\r\n"
    b"\r\n"
    b"------MultipartBoundary--q1w2e3r4t5----\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-ID: <frame-1@mhtml.blink>\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"Content-Location: https://www.example.com/westvale_gossip_2026/status/1\r\n"
    b"\r\n"
    b'<!DOCTYPE html><html><head><meta charset=3D"utf-8"></head><body>'
    b"<p>Mrs T from Meadowbank should be sacked</p></body></html>\r\n"
    b"------MultipartBoundary--q1w2e3r4t5------\r\n"
)

SAVED_HTML = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    b"<title>westvale_gossip_2026</title></head>\n<body><article><p>Mrs T from Meadowbank "
    b'should be sacked</p><time datetime="2026-11-25T14:05">25 Nov</time></article></body>'
    b"</html>\n"
)

WHATSAPP_TXT = (
    "25/11/2026, 14:02 - Messages and calls are end-to-end encrypted. No one outside of this "
    "chat, not even WhatsApp, can read or listen to them.\n"
    "25/11/2026, 14:05 - +44 7700 900123: are you the teacher from meadowbank\n"
    "25/11/2026, 14:06 - +44 7700 900123: i know where you live lol 😂\n"
    "25/11/2026, 14:09 - Meadowbank Staff Teacher: Please stop contacting me.\n"
).encode()

MESSENGER_JSON = json.dumps(
    {
        "participants": [{"name": "Westvale Gossip"}, {"name": "Meadowbank Staff Teacher"}],
        "messages": [
            {
                "sender_name": "Westvale Gossip",
                "timestamp_ms": 1795615502000,
                "content": "everyone knows what you did",
            }
        ],
        "title": "Westvale Gossip",
        "is_still_participant": True,
        "thread_path": "inbox/westvalegossip_10159",
    },
    indent=2,
).encode()

MESSAGES_CSV = (
    b"Date,Time,From,To,Message\r\n"
    b"25/11/2026,14:05,+447700900123,Me,are you the teacher from meadowbank\r\n"
    b"25/11/2026,14:06,+447700900123,Me,i know where you live\r\n"
)


@dataclass
class Store:
    """A migrated database with one school, a reporter and a case handler."""

    url: str
    engine: Engine
    school_id: int
    reporter_id: int
    handler_id: int
    urn: str

    def session(self) -> Session:
        return session_factory(self.engine)()

    @property
    def reporter(self) -> Actor:
        return Actor(self.reporter_id, "Imogen Castellane")

    @property
    def handler(self) -> Actor:
        return Actor(self.handler_id, "Rupert Lanyon")


_urns = count(990001)


def migrated(url: str) -> Engine:
    """Migrate the database at ``url`` once (per test module) and return an engine on it."""
    upgrade(url)
    return create_db_engine(url)


def make_store(url: str, engine: Engine | None = None) -> Store:
    """A new school, with a reporter and a case handler (no passwords), in a migrated database.

    Each test gets its own school, hence its own audit chain, so tests can share a database."""
    engine = engine or migrated(url)
    urn = str(next(_urns))
    with session_factory(engine)() as session:
        trust = Trust(name=f"Fenbrook Trust {urn}", kind=TrustKind.ACADEMY_TRUST)
        school = School(trust=trust, name="Fenbrook Primary", urn=urn, local_authority="Fenbrook")
        reporter = Person(
            name="Imogen Castellane",
            email=f"i.castellane.{urn}@fenbrook.example.org",
            kind=PersonKind.STAFF,
        )
        handler = Person(
            name="Rupert Lanyon",
            email=f"r.lanyon.{urn}@fenbrook.example.org",
            kind=PersonKind.STAFF,
        )
        session.add_all([trust, school, reporter, handler])
        session.commit()
        return Store(url, engine, school.id, reporter.id, handler.id, urn)


def database_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    """Body of a module-scoped fixture: one migrated database of the parameter's kind."""
    folder = tmp_path_factory.mktemp(f"cases-{request.param}")
    for url in empty_database(request.param, folder, prefix="cases"):
        engine = migrated(url)
        try:
            yield url, engine
        finally:
            engine.dispose()


def new_case(
    session: Session,
    store: Store,
    *,
    state: CaseState = CaseState.REPORTED,
    outcome: CaseOutcome | None = None,
    created_at: datetime | None = None,
    closed_at: datetime | None = None,
    legal_hold: bool = False,
) -> Case:
    """A case as a report makes it, with its first chain entry."""
    created = created_at or datetime.now(UTC)
    case = Case(
        school_id=store.school_id,
        category=CaseCategory.CYBERBULLYING,
        state=state,
        outcome=outcome,
        reporter_id=store.reporter_id,
        summary="Messages from an anonymous account about me.",
        created_at=created,
        updated_at=created,
        closed_at=closed_at,
        legal_hold=legal_hold,
        legal_hold_reason="Employment tribunal claim pending" if legal_hold else "",
    )
    session.add(case)
    session.flush()
    record(session, case, store.reporter, "case.reported", {"category": case.category.value})
    session.commit()
    return case


def add(
    session: Session,
    vault: Vault,
    case: Case,
    actor: Actor,
    data: bytes,
    name: str,
    *,
    place: str = "Instagram, @westvale_gossip_2026",
) -> Evidence:
    return add_evidence(
        session,
        vault,
        case,
        actor,
        io.BytesIO(data),
        name,
        Provenance(datetime(2026, 11, 25, 14, 5, tzinfo=UTC), place, "Screenshot of the post"),
        max_size=5 * 1024 * 1024,
    )
