"""The store: SQLAlchemy models, sessions and migrations; the only place that talks SQL."""

from boundaries.store.database import (
    DATABASE_URL_ENV,
    DEFAULT_DATABASE_PATH,
    create_db_engine,
    database_url,
    session_factory,
)
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
from boundaries.store.queries import people_in_school

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE_PATH",
    "Base",
    "Membership",
    "NotMigratedError",
    "Person",
    "PersonKind",
    "School",
    "SchoolRole",
    "Trust",
    "TrustKind",
    "TrustRole",
    "TrustRoleKind",
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
