"""The store: SQLAlchemy models, sessions and migrations; the only place that talks SQL."""

from boundaries.store.accounts import (
    ApiToken,
    Credential,
    ExternalIdentity,
    PasswordReset,
    SignInAttempt,
    WebSession,
)
from boundaries.store.database import (
    DATABASE_URL_ENV,
    DEFAULT_DATABASE_PATH,
    create_db_engine,
    database_url,
    session_factory,
)
from boundaries.store.drafts import SavedDraft
from boundaries.store.migrate import (
    NotMigratedError,
    current_revision,
    head_revision,
    is_up_to_date,
    require_migrated,
    upgrade,
)
from boundaries.store.models import (
    Base,
    Membership,
    Person,
    PersonKind,
    School,
    SchoolRole,
    Trust,
    TrustKind,
    TrustRole,
    TrustRoleKind,
)
from boundaries.store.pupils import ConfidentialTerm, Pupil
from boundaries.store.queries import people_in_school

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE_PATH",
    "ApiToken",
    "Base",
    "ConfidentialTerm",
    "Credential",
    "ExternalIdentity",
    "Membership",
    "NotMigratedError",
    "PasswordReset",
    "Person",
    "PersonKind",
    "Pupil",
    "SavedDraft",
    "School",
    "SchoolRole",
    "SignInAttempt",
    "Trust",
    "TrustKind",
    "TrustRole",
    "TrustRoleKind",
    "WebSession",
    "create_db_engine",
    "current_revision",
    "database_url",
    "head_revision",
    "is_up_to_date",
    "people_in_school",
    "require_migrated",
    "session_factory",
    "upgrade",
]
