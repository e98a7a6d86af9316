"""Core statements compiled once per dialect and run straight on the driver's cursor.

A command runs some fifteen statements. Through `Connection.execute` each costs about 0.1 ms
of Python (compiled-cache look-up, events, execution context, result set-up) where the
driver itself needs a tenth of that: on SQLite that overhead was most of a command's time.
Here a statement is compiled on first use, for the connection's dialect and the parameter
names given, and later runs as its SQL text on the DBAPI cursor of the same connection,
inside the same transaction.

Only statements that need nothing else from SQLAlchemy at run time take this path: their
bind processors are applied here, and a statement with result processors, Python-side
defaults or an expanding IN is not taken. Any other statement is run by
`Connection.execute` as before, so the path is an optimisation, never a change of meaning.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeEngine

Params = Mapping[str, Any]


class Compiled(NamedTuple):
    """A statement as the driver takes it, or None to leave it to SQLAlchemy."""

    sql: str
    pick: Callable[[Params], tuple[Any, ...]] | None
    """The parameters in placeholder order (positional paramstyles), None: by name."""
    defaults: dict[str, Any]
    """Values bound in the statement itself (a LIMIT), merged under the given ones."""
    processors: dict[str, Callable[[Any], Any]]
    """The dialect's conversions of some parameters (bytes for a BLOB on SQLite)."""


_COMPILED: dict[tuple[int, str, tuple[str, ...]], tuple[Executable, Compiled | None]] = {}
_ROWS: dict[tuple[str, ...], type] = {}


def _compile(statement: Executable, dialect: Dialect, keys: tuple[str, ...]) -> Compiled | None:
    assert isinstance(statement, ClauseElement)
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    processed = any(
        type_.dialect_impl(dialect).result_processor(dialect, None) is not None
        for type_ in _result_types(statement)
    )
    if (
        getattr(compiled, "insert_prefetch", None)
        or getattr(compiled, "update_prefetch", None)
        or getattr(compiled, "postfetch", None)
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or processed
    ):
        return None
    defaults = {k: v for k, v in compiled.construct_params(_check=False).items() if v is not None}
    order = tuple(compiled.positiontup or ()) if compiled.positional else None
    processors = {
        name: processor
        for name, bind in compiled.binds.items()
        if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    return Compiled(compiled.string, _picker(order), defaults, processors)  # type: ignore[arg-type]


def _result_types(statement: ClauseElement) -> list[TypeEngine[Any]]:
    """The types of what `statement` gives back: its columns, or what it returns."""
    selected = getattr(statement, "selected_columns", None)
    if selected is not None:
        return [column.type for column in selected]
    returned = getattr(statement, "returning_column_descriptions", None) or []
    return [description["type"] for description in returned]


def _picker(order: tuple[str, ...] | None) -> Callable[[Params], tuple[Any, ...]] | None:
    if order is None:
        return None
    if len(order) == 1:
        only = order[0]
        return lambda params: (params[only],)
    return itemgetter(*order)


def compiled_for(statement: Executable, dialect: Dialect, keys: tuple[str, ...]) -> Compiled | None:
    """`statement` compiled for `dialect` and parameters `keys`, once per process."""
    index = (id(statement), dialect.name, keys)
    found = _COMPILED.get(index)
    if found is None or found[0] is not statement:
        found = (statement, _compile(statement, dialect, keys))  # keeps `statement` alive
        _COMPILED[index] = found
    return found[1]


class Rows:
    """What a statement gave back: rows with attribute access, and the row count. Rows are
    the driver's tuples until a caller wants them by column name (most want one value)."""

    def __init__(self, rows: list[Any], rowcount: int, names: Any = None) -> None:
        self.rows, self.rowcount, self.names = rows, rowcount, names
        """`names`: the cursor's description, None when `rows` have names already."""

    def _named(self, rows: list[Any]) -> list[Any]:
        if self.names is None:
            return rows
        make = _row_type(tuple(d[0] for d in self.names))._make
        return [make(row) for row in rows]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._named(self.rows))

    def first(self) -> Any:
        return self._named(self.rows[:1])[0] if self.rows else None

    def scalars(self) -> list[Any]:
        return [row[0] for row in self.rows]

    def scalar_one_or_none(self) -> Any:
        if len(self.rows) > 1:
            raise LookupError("more than one row where at most one was expected")
        return self.rows[0][0] if self.rows else None


def _row_type(names: tuple[str, ...]) -> Any:
    found = _ROWS.get(names)
    if found is None:
        found = _ROWS[names] = namedtuple("Row", names, rename=True)
    return found


class FastStatements:
    """Runs statements on `connection`'s driver cursor, in its current transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self._cursor: Any = None
        self._waiting: list[tuple[Executable, list[Params], bool]] = []
        """Deferred writes (`defer`), as runs of one statement, in the order to send them."""
        self._last_run: dict[str, tuple[Executable, list[Params], bool]] = {}
        """The last run of `_waiting` that writes each table."""

    def defer(
        self, statement: Executable, params: Params, table: str, *, one_row: bool = False
    ) -> None:
        """Run `statement`, a write of one row of `table`, with `params` later: with the
        writes after it by the same statement to the same table, as one executemany, before
        any other statement this object runs and at `flush`. The writes of one table are
        sent in the order they were made; those of different tables may be sent in another,
        which changes nothing as no table's rows refer to another's (no foreign keys, no
        triggers). `one_row`: `statement` changes a row that must be there (an UPDATE by
        key), and a run that changes fewer rows than it has writes raises `LookupError`."""
        run = self._last_run.get(table)
        if run is not None and run[0] is statement:
            run[1].append(params)
        else:
            run = self._last_run[table] = (statement, [params], one_row)
            self._waiting.append(run)

    def flush(self) -> None:
        """Send the deferred writes, if any."""
        if self._waiting:
            waiting, self._waiting, self._last_run = self._waiting, [], {}
            for statement, sets, one_row in waiting:
                changed = self._execute_many(statement, sets).rowcount
                if one_row and changed != len(sets):
                    raise LookupError(
                        f"{len(sets)} rows to update by key, {changed} found: {statement}"
                    )

    def execute(
        self, statement: Executable, params: dict[str, Any] | Sequence[Params] | None = None
    ) -> Any:
        """Like `Connection.execute`: parameters as a dict, or a list of dicts for one
        executemany. Deferred writes are sent first."""
        self.flush()
        if params is not None and not isinstance(params, dict):
            return self._execute_many(statement, params)
        given = params or {}
        compiled = compiled_for(statement, self.dialect, tuple(given))
        if compiled is None:
            return self.connection.execute(statement, given)
        cursor = self._driver_cursor()
        cursor.execute(compiled.sql, _values(compiled, given))
        return _fetched(cursor)

    def _execute_many(self, statement: Executable, sets: Sequence[Params]) -> Any:
        if not sets:
            return Rows([], 0)
        compiled = compiled_for(statement, self.dialect, tuple(sets[0]))
        if compiled is None:
            return self.connection.execute(statement, list(sets))
        cursor = self._driver_cursor()
        cursor.executemany(compiled.sql, [_values(compiled, p) for p in sets])
        return Rows([], cursor.rowcount)

    def script(self, sql: str) -> Rows:
        """Run `sql`, several statements without parameters, in one round trip; give what
        the last one gave. On PostgreSQL each statement of such a query takes its own
        snapshot, so a statement that follows a lock sees every commit made before the lock
        was granted."""
        self.flush()
        cursor = self._driver_cursor()
        cursor.execute(sql)
        while cursor.nextset():
            pass
        return _fetched(cursor)

    def close(self) -> None:
        """Close the driver cursor, when the unit of work ends. A cursor left to the collector
        kept its SQLite connection open after the pool closed it (Python closes a connection
        with a statement still held as a zombie), and the database file without the pages
        still in its write-ahead log."""
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()

    def _driver_cursor(self) -> Any:
        if self._cursor is None:
            driver = self.connection.connection.dbapi_connection
            assert driver is not None, "the connection is open: its unit of work is running"
            self._cursor = driver.cursor()
        return self._cursor


def _values(compiled: Compiled, params: Params) -> Any:
    """The driver's parameters: run once per row of an executemany, so copied at most once."""
    processors = compiled.processors
    if not compiled.defaults and not processors:
        return params if compiled.pick is None else compiled.pick(params)
    given = {**compiled.defaults, **params}
    for name, process in processors.items():
        value = given.get(name)
        if value is not None:
            given[name] = process(value)
    return given if compiled.pick is None else compiled.pick(given)


def _fetched(cursor: Any) -> Rows:
    if cursor.description is None:
        return Rows([], cursor.rowcount)
    return Rows(cursor.fetchall(), cursor.rowcount, cursor.description)


IN_CHUNK = 512
"""Values per IN list of `in_lists`: under SQLite's least limit on bound parameters (999)."""


def in_lists(values: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """`values` as the parameters k0, k1... of IN lists of at most `IN_CHUNK`, each padded
    with its last value to a power of two (a value named twice is found once): a statement
    per length, so that only a few are compiled."""
    for start in range(0, len(values), IN_CHUNK):
        part = values[start : start + IN_CHUNK]
        size = 1 << (len(part) - 1).bit_length()
        yield {f"k{i}": part[min(i, len(part) - 1)] for i in range(size)}


def read_once(engine: Engine, statement: Executable, params: Params) -> Any:
    """One SELECT on a pooled driver connection, without SQLAlchemy's BEGIN and ROLLBACK
    around it: a single statement is consistent on its own (on SQLite it is its own read
    transaction), and for a read as small as a token look-up they were most of its cost."""
    compiled = compiled_for(statement, engine.dialect, tuple(params))
    if compiled is None:
        with engine.connect() as conn:
            return Rows(list(conn.execute(statement, params)), -1)
    driver = engine.raw_connection()
    try:
        cursor = driver.cursor()
        cursor.execute(compiled.sql, _values(compiled, params))
        return _fetched(cursor)
    finally:
        driver.close()


class HeldReader:
    """Single-statement reads on one driver connection kept open, for one thread only (the
    API's event loop reads bearer tokens with it).

    `read_once` checks a connection out of the pool and back in for every read, and that
    cost about as much as a token look-up itself. Each read ends its transaction, so the
    next one sees every commit made before it and the connection never idles in a
    transaction (on SQLite the engine's connect hook leaves the driver in autocommit, and
    ending it costs nothing)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._driver: Any = None

    def read(self, statement: Executable, params: Params) -> Any:
        compiled = compiled_for(statement, self.engine.dialect, tuple(params))
        if compiled is None:
            return read_once(self.engine, statement, params)
        if self._driver is None:
            self._driver = self.engine.raw_connection()
        try:
            cursor = self._driver.cursor()
            cursor.execute(compiled.sql, _values(compiled, params))
            rows = _fetched(cursor)
            self._driver.rollback()
            return rows
        except Exception:
            self.close()  # a fresh connection for the next read
            raise

    def close(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.close()
