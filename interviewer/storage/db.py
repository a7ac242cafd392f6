"""Opening the database: an engine for any SQLAlchemy URL, SQLite tuned for safety, the schema migrated to head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from interviewer import paths
from interviewer.errors import StorageError  # defined with the other user errors (the surfaces catch it)

HEAD = "0003"
"""The newest migration; a test checks it against the migration scripts."""
KNOWN_REVISIONS = ("0001", "0002", "0003")
"""Every schema revision this version of the program can read (in order)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (below), so that DDL is transactional and every transaction takes the write
    # lock up front: a deferred transaction that reads, then writes after another process wrote, fails at once
    # with "database is locked" (SQLITE_BUSY_SNAPSHOT in WAL mode) instead of waiting its turn.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is created and WAL, foreign keys and a busy timeout are on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"not a database URL: {url!r}",
            hint="use e.g. sqlite:///path/to/file.db or postgresql+psycopg://user@host/db",
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _sqlite_folder(Path(parsed.database).expanduser().parent)
        kwargs["connect_args"] = {"timeout": 10, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ImportError, SQLAlchemyError) as exc:
        raise StorageError(
            f"cannot open {parsed.render_as_string(hide_password=True)}: {exc}",
            hint="for PostgreSQL install the driver: pip install 'interviewer[postgres]'",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_folder(folder: Path) -> None:
    """The folder of a SQLite file: the data folder is created when missing; a folder named by ``--db`` must exist
    (a typo must not create folders all over the disk)."""
    if folder.is_dir():
        return
    ours = folder.resolve() == paths.data_dir().expanduser().resolve()
    if not ours:
        raise StorageError(
            f"the folder {folder} does not exist",
            hint="create it first, or give --db a file in a folder that exists",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the data folder {folder}: {exc.strerror or exc}",
            hint="set INTERVIEWER_HOME to a writable folder, or give --db a database you can write",
        ) from None


def _sqlite_begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


_MIGRATION_LOCK = 7_262_026
"""PostgreSQL advisory lock key: processes starting at once on a fresh database migrate one at a time."""


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic), skipping Alembic entirely when it already is.

    Several processes may start on a fresh database at once: on PostgreSQL they queue on an advisory lock; on
    SQLite the loser of the race finds the schema made by the winner and carries on."""
    try:
        found = current_revision(engine)
        if found == HEAD:
            return
        if found is not None and found not in KNOWN_REVISIONS:
            _newer_schema(engine, found)
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            if _revision(conn) == HEAD:
                return
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as exc:
        if _safe_revision(engine) == HEAD:
            return  # another process migrated first
        raise StorageError(
            f"cannot prepare the database: {exc.orig}",
            hint=f"check that {engine.url.render_as_string(hide_password=True)} is reachable and writable",
        ) from None


def _newer_schema(engine: Engine, revision: str) -> None:
    """A database written by a newer version of the program: say which, and stop before touching it."""
    from interviewer import __version__

    written_by = None
    try:
        with engine.connect() as conn:
            if inspect(conn).has_table("meta"):
                row = conn.execute(text("SELECT value FROM meta WHERE key = 'written_by'")).first()
                written_by = str(row[0]) if row else None
    except DBAPIError:
        written_by = None
    by = f", last written by interviewer {written_by}" if written_by else ""
    raise StorageError(
        f"the database has schema revision {revision}{by}, newer than this interviewer ({__version__}) knows",
        hint="upgrade interviewer (pip install -U interviewer), or give --db another database",
    )


def record_writer(engine: Engine) -> None:
    """Note in the database which version of the program opened it to write (named if an older one meets it)."""
    from interviewer import __version__

    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM meta WHERE key = 'written_by'"))
            conn.execute(text("INSERT INTO meta (key, value) VALUES ('written_by', :v)"), {"v": __version__})
    except DBAPIError:
        return  # a read-only database is still readable


def _safe_revision(engine: Engine) -> str | None:
    try:
        return current_revision(engine)
    except DBAPIError:
        return None


def open_database(url: str) -> Engine:
    """An engine on a migrated database."""
    engine = make_engine(url)
    migrate(engine)
    return engine
