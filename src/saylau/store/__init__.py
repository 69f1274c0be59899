"""Storage of the results service: SQLAlchemy 2 tables, engines, the unit of work and Alembic migrations.

SQLite in a data folder is the embedded default (WAL, foreign keys on); a PostgreSQL URL uses a server. The
service (`saylau.service`) talks to the database only through `UnitOfWork`.
"""

from saylau.store.database import Database, database_url, open_database
from saylau.store.tables import metadata

__all__ = ["Database", "database_url", "metadata", "open_database"]
