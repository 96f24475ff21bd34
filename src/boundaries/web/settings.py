"""The web app's settings: a TOML file named by ``BOUNDARIES_CONFIG``, then the environment.

Environment variables win over the file (``BOUNDARIES_SECRET_KEY`` over ``secret_key = ...``),
so a deployment can keep secrets out of the file. Nested values use ``__``:
``BOUNDARIES_SMTP__HOST``. Without a secret key, one is made once and kept in the data folder
so that sessions survive a restart.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "BOUNDARIES_CONFIG"
SECRET_KEY_FILE = Path("data") / "secret.key"


class SmtpSettings(BaseModel):
    """Where e-mail goes (password resets, later reminders). No host: e-mail is not sent."""

    host: str | None = None
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "Boundaries <no-reply@boundaries.invalid>"
    timeout_seconds: float = 10.0


class OidcProvider(BaseModel):
    """One OpenID Connect provider (Microsoft Entra ID, Google Workspace) people may sign in with.

    ``allowed_domains`` limits sign-in to the school's own e-mail domains; a verified e-mail
    address from the provider must belong to a person already known to Boundaries.
    """

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    label: str
    server_metadata_url: str
    client_id: str
    client_secret: SecretStr
    scope: str = "openid email profile"
    allowed_domains: tuple[str, ...] = ()


class WebSettings(BaseSettings):
    """Everything the web app can be told; defaults suit the demo on a laptop."""

    model_config = SettingsConfigDict(
        env_prefix="BOUNDARIES_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    database_url: str | None = None
    secret_key: SecretStr | None = None
    base_url: str = "http://127.0.0.1:8000"
    # "auto": Secure over HTTPS (as seen after trusted proxy headers), not over plain HTTP
    # (the demo on 127.0.0.1); use "always" behind a TLS proxy whose headers are not trusted.
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    # Headers such as X-Forwarded-Proto are believed only from these addresses.
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    session_hours: float = 8.0
    session_idle_minutes: float = 60.0
    sign_in_window_minutes: float = 15.0
    sign_in_failures_per_account: int = 5
    sign_in_failures_per_client: int = 20
    password_reset_minutes: float = 60.0
    password_min_length: int = 12
    policy_file: Path | None = None
    # Files the app keeps: monitoring datasets under data_dir/monitoring, evidence under
    # data_dir/evidence (unless set otherwise).
    data_dir: Path = Path("data")
    # No request body may be larger, whatever the route: above every route's own cap (proxy
    # logs, 200 MB), so that nothing far bigger is spooled to disk before a route can refuse it.
    max_request_mb: int = 256
    smtp: SmtpSettings = SmtpSettings()
    oidc: tuple[OidcProvider, ...] = ()

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_path = os.environ.get(CONFIG_ENV, "").strip()
        if config_path:
            path = Path(config_path)
            if not path.is_file():
                raise FileNotFoundError(f"{CONFIG_ENV} names {path}, which is not a file")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def signing_key(self) -> bytes:
        """The key that signs CSRF tokens; made and kept in the data folder if not configured."""
        if self.secret_key is not None:
            value = self.secret_key.get_secret_value()
            if len(value) < 32:
                raise ValueError("the secret key must be at least 32 characters long")
            return value.encode()
        return _stored_secret_key()


def _stored_secret_key() -> bytes:
    path = Path.cwd() / SECRET_KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name (mode 0600), then linked into place: a worker
        # starting at the same moment sees no file or the whole key, never an empty one, and a
        # key already made is never overwritten.
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_urlsafe(48).encode())
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
        finally:
            os.unlink(temp)
    key = path.read_bytes().strip()
    if len(key) < 32:
        raise ValueError(f"{path} does not hold a usable secret key; delete it to make a new one")
    return key


def load_settings(**overrides: Any) -> WebSettings:
    """Settings from the TOML file and the environment, with ``overrides`` on top (for tests)."""
    return WebSettings(**overrides)
