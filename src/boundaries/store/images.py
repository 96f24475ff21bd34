"""What a school tells Boundaries so that photos identifying it are caught (6.1, 6.2, 6.15):
its badge or logo, and where it is.

Nothing a member of staff checks is kept here: these are the school's own settings, set by the
people who manage its policy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, utc_now


class SchoolLocation(Base):
    """Where the school is: a photo whose GPS position falls within ``radius_m`` is a finding."""

    __tablename__ = "school_location"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    latitude: Mapped[float] = mapped_column(Float())
    longitude: Mapped[float] = mapped_column(Float())
    radius_m: Mapped[float] = mapped_column(Float())
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class SchoolBadge(Base):
    """One image of the school's badge or logo, as the school uploaded it (size-limited)."""

    __tablename__ = "school_badge"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer())
    height: Mapped[int] = mapped_column(Integer())
    data: Mapped[bytes] = mapped_column(LargeBinary())
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
