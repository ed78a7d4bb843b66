"""A queryset compiled to SQL once per database and run again with other values."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import Col


class CompiledQuery:
    """The rows of the queryset `build(*values)` makes, its SQL compiled only once.

    Building and compiling a queryset costs several times what the database takes to answer a small
    query, and the queries of every request (authentication, a ticket read) paid that each time. The
    queryset is built once with sentinel values of the types given; each parameter a sentinel became
    is filled at run time with the real value, prepared as the lookup prepared the sentinel (as it is,
    or escaped for a case-insensitive match). Rows come back converted as the ORM converts them.
    """

    def __init__(self, build):
        self.build = build
        self._statements = {}

    def rows(self, *values, using=DEFAULT_DB_ALIAS):
        """The rows for these values, as lists in the queryset's column order (a `values_list`)."""
        connection = connections[using]
        return self._statement(values, connection).run(values, connection)

    def instances(self, *values, using=DEFAULT_DB_ALIAS):
        """The model instances for these values (a queryset of one model, without joins selected)."""
        connection = connections[using]
        statement = self._statement(values, connection)
        model, names = statement.model_columns()
        return [model.from_db(using, names, row) for row in statement.run(values, connection)]

    def _statement(self, values, connection):
        shape = (connection.alias, *(type(value) for value in values))
        statement = self._statements.get(shape)
        if statement is None:
            statement = self._statements[shape] = _Statement(self.build, shape[1:], connection)
        return statement


def _sentinel(index, kind):
    if kind is int:
        # Negative, as no id is, and within a 32-bit column's range: Django folds a value out of
        # range into an empty condition, which has no parameter to fill.
        return -987_654_000 - index
    # Characters a LIKE escape changes, so an escaped parameter is told apart from a plain one.
    return f"\\%_sentinel{index}_%\\"


class _Statement:
    """One database's SQL, parameter recipe and column converters for a CompiledQuery."""

    def __init__(self, build, kinds, connection):
        sentinels = [_sentinel(index, kind) for index, kind in enumerate(kinds)]
        queryset = build(*sentinels).using(connection.alias)
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.recipe = [self._ingredient(param, sentinels, connection) for param in params]
        self.columns = [column for column, _, _ in compiler.select]
        self.model = queryset.model
        self.converters = list(compiler.get_converters(self.columns).items())

    @staticmethod
    def _ingredient(param, sentinels, connection):
        """(value index, its preparation) for a sentinel's parameter; (None, the constant) otherwise."""
        preparations = [lambda value: value, connection.ops.prep_for_iexact_query]
        for index, sentinel in enumerate(sentinels):
            for prepare in preparations:
                if param == prepare(sentinel):
                    return index, prepare
        if isinstance(param, str) and "sentinel" in param:
            raise ValueError(f"A value reached the SQL in an unknown form: {param!r}")
        return None, param

    def model_columns(self):
        """The model and the attribute names of the columns, for rows that are whole instances."""
        if not all(isinstance(column, Col) and column.target.model is self.model for column in self.columns):
            raise ValueError("Only a queryset of one model's own columns becomes instances.")
        return self.model, [column.target.attname for column in self.columns]

    def run(self, values, connection):
        params = [fixed if index is None else fixed(values[index]) for index, fixed in self.recipe]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converted = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted
