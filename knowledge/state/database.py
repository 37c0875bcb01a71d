"""The database: the engine and its settings, read sessions, write transactions, migrations and the start-up lock.

Nothing here knows a table. Every other module of knowledge.state takes a session from here: a read session
holds one connection for all its statements; a write transaction takes SQLite's write lock first and is tried
again, whole, when it meets a lock anyway.
"""

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # Windows: there the immediate transactions alone keep starting processes apart
    fcntl = None

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent.parent / "migrations"
UPGRADE_LOCK = 7215_2026  # a PostgreSQL advisory lock id: workers starting together upgrade one at a time
BUSY_TIMEOUT_MS = 15_000  # how long an SQLite write waits for another writer before "database is locked"
WRITE_ATTEMPTS = 4  # a write that still meets a lock (or a PostgreSQL serialization failure) is tried again
T = TypeVar("T")


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    On SQLite a transaction opens with a deferred BEGIN (readers never wait under WAL), unless the connection
    has the execution option writes=True (writing(), Store.session(write=True)): then BEGIN IMMEDIATE
    takes the write lock first. A deferred transaction that reads and then writes fails at once with
    "database is locked" when another connection committed in between, and busy_timeout never applies."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database and sa_url.database != ":memory:":
        Path(sa_url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=sa_url.get_backend_name() == "postgresql")
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            # The driver's own transaction handling commits before DDL; turn it off and BEGIN ourselves
            # (below), so that a migration or an ingest is all or nothing, DDL included.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if sa_url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                # With WAL, NORMAL never corrupts and loses nothing when a process dies; only a power cut can
                # drop the last commits. It makes each follow, quota and ingest commit several times cheaper.
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writes") else "BEGIN")

    return engine


def is_transient(error: DBAPIError) -> bool:
    """A lock or serialization failure that the same write can get past by trying again."""
    code = getattr(error.orig, "sqlstate", None) or getattr(getattr(error.orig, "diag", None), "sqlstate", None)
    message = str(error.orig).lower()
    return code in ("40001", "40P01", "55P03") or "database is locked" in message or "database is busy" in message


def retrying(write: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
    """Run a write; when it meets a lock anyway (busy_timeout ran out, a PostgreSQL deadlock), try it again
    after a growing, jittered pause, at most `attempts` times."""
    for attempt in range(attempts):
        try:
            return write()
        except DBAPIError as error:
            if attempt == attempts - 1 or not is_transient(error):
                raise
            time.sleep(0.05 * 2**attempt * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(writes=True).begin() as conn:
        tables = inspect(conn).get_table_names()
        stamped = "alembic_version" in tables and conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        config.attributes["connection"] = conn
        if "finding" in tables and not stamped:
            # Made before migrations existed: the core tables are there; 0002 on adds only what is missing.
            command.stamp(config, "0001")
        command.upgrade(config, revision)


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Processes starting together on one database upgrade and load reference data in turn: a PostgreSQL
    advisory lock, or on SQLite an exclusive lock on a file beside the database (taken before the first
    connection, so that switching a new file to WAL is not raced either)."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:" or fcntl is None:
            yield
            return
        with open(Path(database).expanduser().with_name(Path(database).name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": UPGRADE_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": UPGRADE_LOCK})
            conn.commit()


def session(engine: Engine, *, write: bool = False) -> Session:
    """A session; write=True for one that will write (on SQLite its transaction takes the write lock first)."""
    return Session(engine.execution_options(writes=True) if write else engine, expire_on_commit=False)


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction (BEGIN IMMEDIATE on SQLite): committed when the block ends, rolled back if it raises.

    On SQLite, the threads of one process take their turns at a lock of their own first: a thread that meets
    SQLite's write lock sleeps in its busy handler for up to tens of milliseconds however soon the lock is free,
    and the bot's threads write twice a question (the quota, the chat's context). Other processes still meet
    SQLite's lock, and its busy timeout; a thread that waits longer than that goes on to meet it too."""
    turn = _turns(engine)
    taken = turn.acquire(timeout=BUSY_TIMEOUT_MS / 1000) if turn else False
    try:
        with session(engine, write=True) as write_session, write_session.begin():
            yield write_session
    finally:
        if taken:
            turn.release()


_TURNS: dict[int, "threading.Lock"] = {}
_TURNS_LOCK = threading.Lock()


def _turns(engine: Engine) -> "threading.Lock | None":
    """The in-process write lock of an SQLite engine's database file (None for other databases)."""
    if engine.dialect.name != "sqlite":
        return None
    with _TURNS_LOCK:
        return _TURNS.setdefault(id(engine.pool), threading.Lock())


def write(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work` in one write transaction, trying the whole transaction again when it meets a lock (retrying)."""

    def attempt() -> T:
        with writing(engine) as write_session:
            return work(write_session)

    return retrying(attempt)


def on_sqlite(session: Session) -> bool:
    """Whether the session's database is SQLite (the SQL differs: FTS5, JSON arrays, placeholders)."""
    return session.get_bind().dialect.name == "sqlite"


def insert_into(session: Session, table: type) -> Any:
    """An INSERT into `table` for the session's database, which takes ON CONFLICT clauses (upserts, inserts that
    leave a row already there alone)."""
    return (sqlite_insert if on_sqlite(session) else postgresql_insert)(table)


def naive_utc(now: dt.datetime | None = None) -> dt.datetime:
    """`now` (or the present) as naive UTC: how the tables written with plain SQL store times."""
    return (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
