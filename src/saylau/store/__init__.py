"""Storage of the results service: SQLAlchemy 2 tables, engines, the unit of work and Alembic migrations.

SQLite in a data folder is the embedded default (WAL, foreign keys on); a PostgreSQL URL uses a server. Every
SQL statement of the service is here, one module per family, each returning records (docs/service.md):

    contests     the contest's definition, certification and certified bundle
    stations     the station register
    protocols    protocols with both entries and the definitive one
    users        users, sessions, failed logins
    audit        the audit log's rows and chain head
    decisions    recorded drawings of lots
    drafts       entries in progress and the receipts of finalised forms
    observers    observers' uploaded copies of the protocols
    summaries    summary protocols, imported bundles and keys (results up the tree)
    tallies      running tallies per district, commission and station
    certifications   districts certified by their district commission
    backup       every table to one JSON file and back
    arrays       rows as PostgreSQL array literals, for the writer's statements over `unnest`

The service (`saylau.service`) calls these inside one `Database.unit_of_work()`.
"""

from saylau.store.database import Database, database_url, open_database
from saylau.store.tables import metadata

__all__ = ["Database", "database_url", "metadata", "open_database"]
