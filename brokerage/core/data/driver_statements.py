"""A statement on a hot read path, compiled once per database and handed to the driver as it is.

SQLAlchemy compiles a statement built once only once, but each time it runs it still passes over
every one of its parameters: it builds the parameter set, applies each bind type's processor and
orders the values for the driver. The directory search's place index fills about 840
placeholders from about 270 values, and that pass cost more than SQLite took to run the search.
`DriverStatement` keeps, per dialect, the compiled SQL, the order of its placeholders, the values
the statement itself holds (limits, constants) and the processors of the few parameters that need
one (dates and times), and runs the SQL with `Connection.exec_driver_sql`, SQLAlchemy's own way of
handing the driver SQL it has already compiled (connection events, and so statement counts, still
see it). The columns that need converting back (dates and times; booleans on SQLite) are
converted by their types' own result processors.

Floats are handed over as they are: every place value is a Python number computed by the search
(the Float type's processor only coerces to float)."""

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Float
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None  # the placeholders' names in order; None for named placeholders
    constants: dict[str, Any]
    required: frozenset[str]
    bind_processors: tuple[tuple[str, Callable], ...]
    row: type


class DriverStatement:
    """`DriverStatement(select(...)).rows(connection, values)`: the statement's rows, as named
    tuples with their columns' Python values, for values keyed by the bind parameters' names."""

    def __init__(self, statement: Select):
        self.statement = statement
        self._compiled: dict[Dialect, _Compiled] = {}
        self._results: dict[Dialect, tuple[tuple[int, Callable], ...]] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        names = set(compiled.bind_names.values())
        binds = {name: bind for name, bind in compiled.binds.items() if name in names}
        processors = []
        for name, bind in binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None and not isinstance(bind.type, Float):
                processors.append((name, processor))
        columns = list(self.statement.selected_columns)
        return _Compiled(
            sql=compiled.string,
            positions=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
            constants={name: bind.effective_value for name, bind in binds.items() if not bind.required},
            required=frozenset(name for name, bind in binds.items() if bind.required),
            bind_processors=tuple(processors),
            row=namedtuple("Row", [column.key for column in columns]),  # type: ignore[misc]
        )

    def _result_processors(self, dialect: Dialect, description) -> tuple[tuple[int, Callable], ...]:
        """Each column's type's processor for what the driver said it returns (`description`,
        known once the statement first runs): the same the ORM would apply."""
        processors = self._results.get(dialect)
        if processors is None:
            found = []
            for position, (column, described) in enumerate(
                zip(self.statement.selected_columns, description, strict=True)
            ):
                processor = column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                if processor is not None:
                    found.append((position, processor))
            processors = self._results[dialect] = tuple(found)
        return processors

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect)
        if compiled is None:
            compiled = self._compiled[dialect] = self._compile(dialect)
        return compiled

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        compiled = self._for(connection.dialect)
        missing = compiled.required - values.keys()
        if missing:
            raise KeyError(f"no value for {', '.join(sorted(missing))}")
        merged = {**compiled.constants, **values}
        for name, process in compiled.bind_processors:
            merged[name] = process(merged[name])
        parameters = merged if compiled.positions is None else tuple(map(merged.__getitem__, compiled.positions))
        result = connection.exec_driver_sql(compiled.sql, parameters)
        processors = self._result_processors(connection.dialect, result.cursor.description)
        found = result.all()
        if not processors:
            return [compiled.row(*row) for row in found]
        converted = []
        for row in found:
            fields = list(row)
            for position, process in processors:
                fields[position] = process(fields[position])
            converted.append(compiled.row(*fields))
        return converted
