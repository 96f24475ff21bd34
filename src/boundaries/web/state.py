"""What the running app holds: settings, database, policy packs, caches, mail, sign-on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from boundaries.accounts.limits import SignInLimits
from boundaries.accounts.sessions import SessionLimits
from boundaries.mail import Mailer
from boundaries.policy import PolicyPack
from boundaries.registers.editions import SchoolPacks, base_pack_text
from boundaries.roster.screening_context import SchoolContexts
from boundaries.web.oidc import OidcClient
from boundaries.web.settings import WebSettings


@dataclass
class AppState:
    """One per app; reached from a request as ``request.app.state.boundaries``."""

    settings: WebSettings
    engine: Engine
    sessions: sessionmaker[Session]
    pack: PolicyPack
    signing_key: bytes
    mailer: Mailer
    contexts: SchoolContexts = field(default_factory=SchoolContexts)
    oidc: dict[str, OidcClient] = field(default_factory=dict)
    # Each school's current edition of the pack, parsed once per edition text.
    packs: SchoolPacks = field(init=False)

    def __post_init__(self) -> None:
        self.packs = SchoolPacks(self.pack, base_pack_text(self.settings.policy_file))

    def pack_for(self, session: Session, school_id: int) -> PolicyPack:
        """The pack of the school's current edition: ``pack`` until it publishes its own."""
        return self.packs.for_school(session, school_id)

    @property
    def session_limits(self) -> SessionLimits:
        return SessionLimits(
            lifetime=timedelta(hours=self.settings.session_hours),
            idle=timedelta(minutes=self.settings.session_idle_minutes),
        )

    @property
    def sign_in_limits(self) -> SignInLimits:
        return SignInLimits(
            window=timedelta(minutes=self.settings.sign_in_window_minutes),
            per_account=self.settings.sign_in_failures_per_account,
            per_client=self.settings.sign_in_failures_per_client,
        )


def app_state(request: Request) -> AppState:
    """The app's state, from any request."""
    state: AppState = request.app.state.boundaries
    return state
