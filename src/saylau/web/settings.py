"""The one typed configuration of `saylau serve`: where the election and the database are, how to listen."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from saylau.store import database_url


class Settings(BaseModel):
    """Everything the service is configured with; the command line and tests build one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: Path | None = None
    """The election folder to import on first start (and compare on later starts)."""
    data: Path | None = None
    """The folder of the embedded SQLite database (default ./saylau-data)."""
    database: str | None = None
    """A database URL (postgresql+psycopg://user@host:port/db) instead of SQLite in `data`."""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    admin_password: str | None = Field(default=None, repr=False)
    """The first administrator's password (SAYLAU_ADMIN_PASSWORD); generated and printed once when unset."""
    session_idle: int = Field(default=2 * 3600, ge=60, le=7 * 86400)
    """Seconds a session lasts without a request (`saylau serve --session-idle`); each request renews it."""
    secure_cookies: bool = True
    """Session cookies are Secure, HttpOnly and SameSite=Strict (browsers accept Secure on 127.0.0.1)."""
    public_only: bool = False
    """Serve only the public pages and downloads (`saylau serve --public-only`): the public's readers in their
    own processes, off the operators' path, behind a load balancer that sends them there (docs/service.md)."""
    air_gap: tuple[str, ...] = ()
    """Outside addresses (HOST:PORT) whose answer refuses data entry (`saylau.service.airgap`); empty: no check."""
    air_gap_interval: float = Field(default=10.0, ge=0)
    """Seconds an answer of the air-gap check is kept (0: a probe for every write)."""
    air_gap_timeout: float = Field(default=1.0, gt=0)

    @property
    def url(self) -> str:
        """The database URL these settings name."""
        return database_url(self.data, self.database)
