"""Faults (issue 5, item 8): the server is killed (SIGKILL) in the middle of an evidence upload.
No partial evidence may be recorded as complete, no partial file may sit at a content address,
the audit chain must still verify, and the same upload must succeed once the server is back.

The real app runs in a subprocess (``boundaries serve``) on a free port against a file SQLite
database and against PostgreSQL; the upload is a slow chunked body sent over a raw socket.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from boundaries.accounts.passwords import set_password
from boundaries.cases.vault import LocalVault
from boundaries.cases.verify import verify_cases
from boundaries.store import Evidence, Membership, Person, SchoolRole
from tests.case_evidence_support import (
    Store,
    database_fixture,
    make_store,
    new_case,
    screenshot_png,
)

PASSWORD = "correct horse battery staple"
BIN = Path(sys.executable).parent
BOUNDARY = "----BoundariesFaultTest7d1f"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``boundaries serve`` in a subprocess, started and killed on demand."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "BOUNDARIES_DATABASE_URL": self.url,
            "BOUNDARIES_SECRET_KEY": "fault-test-secret-" + "f" * 32,
            "BOUNDARIES_BASE_URL": f"http://127.0.0.1:{self.port}",
            "BOUNDARIES_EVIDENCE_DIR": str(self.folder / "evidence"),
        }
        self.process = subprocess.Popen(
            [str(BIN / "boundaries"), "serve", "--port", str(self.port)],
            cwd=self.folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Start-up loads the screening word lists: seconds alone, minutes on a busy machine.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start within 240 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)  # no clean-up of any kind
            self.process.wait(10)
        self.process = None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    yield from database_fixture(request, tmp_path_factory)


@pytest.fixture
def handler(database: tuple[str, Engine]) -> tuple[Store, str]:
    """A school whose case handler (its DSL) can sign in; returns the e-mail too."""
    store = make_store(*database)
    with store.session() as session:
        person = session.get(Person, store.handler_id)
        assert person is not None
        session.add(Membership(person_id=person.id, school_id=store.school_id, role=SchoolRole.DSL))
        set_password(session, person, PASSWORD)
        session.commit()
        return store, person.email


def _sign_in(base: str, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token
    sent = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert sent.status_code in (200, 303), sent.text
    home = client.get("/", follow_redirects=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', home.text)
    assert token, "not signed in"
    return client, token.group(1)


def _multipart(token: str, name: str) -> bytes:
    """The upload form's body up to the file's bytes (the rest never arrives)."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{token}\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="place"\r\n\r\n'
        "Instagram, @westvale_gossip_2026\r\n"
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_killing_the_server_mid_upload_leaves_nothing_partial_and_the_retry_succeeds(
    handler: tuple[Store, str], tmp_path: Path
) -> None:
    store, email = handler
    with store.session() as session:
        case = new_case(session, store)
    server = Server(store.url, tmp_path)
    vault = LocalVault(tmp_path / "evidence")
    # A big screenshot, distinct per run: its full SHA-256 is the address a partial must not use.
    data = screenshot_png(f"fault test {tmp_path.name}", size=1400) + os.urandom(1_500_000)
    sha256 = hashlib.sha256(data).hexdigest()
    path = f"/schools/{store.school_id}/cases/{case.id}/evidence"
    server.start()
    try:
        client, token = _sign_in(server.base, email)
        head = _multipart(token, "IMG_2041.PNG")
        cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
            raw.sendall(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                    f"Cookie: {cookies}\r\n"
                    f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"
                ).encode()
            )
            raw.sendall(_chunk(head))
            sent = 0
            while sent < len(data) // 2:  # slowly, half the file
                raw.sendall(_chunk(data[sent : sent + 64 * 1024]))
                sent += 64 * 1024
                time.sleep(0.02)
            time.sleep(0.5)  # let the server take in what was sent
            server.kill()
        client.close()

        with store.session() as session:
            rows = session.scalars(select(Evidence).where(Evidence.case_id == case.id)).all()
            assert [row for row in rows if row.complete] == []
            report = verify_cases(session, vault, store.school_id)
            assert report.ok, report.lines()
        assert not vault.exists(sha256)
        # Nothing at all was stored at any content address (only temporary files may remain).
        stored = [p for p in vault.root.rglob("*") if p.is_file()]
        assert [p for p in stored if vault.INCOMING not in p.parts] == []

        server.start()
        client, token = _sign_in(server.base, email)
        retried = client.post(
            path,
            data={"csrf_token": token, "place": "Instagram, @westvale_gossip_2026"},
            files={"file": ("IMG_2041.PNG", data, "image/png")},
        )
        client.close()
        assert retried.status_code == 303, retried.text
    finally:
        server.kill()
    with store.session() as session:
        rows = session.scalars(select(Evidence).where(Evidence.case_id == case.id)).all()
        assert [(row.sha256, row.complete) for row in rows] == [(sha256, True)]
        assert verify_cases(session, vault, store.school_id).ok
    assert vault.verify(sha256).ok


_WRITER = """
import sys, time
from pathlib import Path
from boundaries.cases.vault import LocalVault

def slow():
    for i in range(200):
        yield bytes([i % 251]) * 65536
        print(i, flush=True)
        time.sleep(0.01)

LocalVault(Path(sys.argv[1])).put_stream(slow(), max_size=10**9)
"""


def test_a_vault_write_killed_half_way_leaves_no_blob_at_a_content_address(
    tmp_path: Path,
) -> None:
    root = tmp_path / "evidence"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    for _ in range(50):  # 50 of 200 chunks written
        writer.stdout.readline()
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(10)
    vault = LocalVault(root)
    blobs = [p for p in root.rglob("*") if p.is_file() and vault.INCOMING not in p.parts]
    assert blobs == []
    assert len(vault.abandoned_uploads()) == 1  # the temporary file, outside every address
    assert vault.sweep_abandoned() == 0  # not yet a day old: it might still be written to
    assert vault.sweep_abandoned(older_than_seconds=-1) == 1 and vault.abandoned_uploads() == []
    full = b"".join(bytes([i % 251]) * 65536 for i in range(200))
    stored = vault.put_stream([full], max_size=10**9)
    assert stored.new and vault.verify(stored.sha256).ok
