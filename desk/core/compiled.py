"""A queryset compiled to SQL once per database and run again with other values."""

from django.db import DEFAULT_DB_ALIAS, connections


class CompiledValues:
    """The `values_list` rows of the queryset `build(*values)` makes, its SQL compiled only once.

    Building and compiling a queryset costs several times what the database takes to answer it, and
    a query on every request (authentication) paid that each time. The queryset is built once with
    sentinel values; each parameter a sentinel became is filled at run time with the real value,
    prepared as the lookup prepared the sentinel (as it is, or escaped for a case-insensitive match).
    Rows come back converted as `values_list` converts them.
    """

    def __init__(self, build):
        self.build = build
        self._statements = {}

    def rows(self, *values, using=DEFAULT_DB_ALIAS):
        """The rows for these values, as lists in the queryset's column order."""
        connection = connections[using]
        statement = self._statements.get(using)
        if statement is None:
            statement = self._statements[using] = _Statement(self.build, len(values), connection)
        return statement.run(values, connection)


def _sentinel(index):
    # Characters a LIKE escape changes, so an escaped parameter is told apart from a plain one.
    return f"\\%_sentinel{index}_%\\"


class _Statement:
    """One database's SQL, parameter recipe and column converters for a CompiledValues."""

    def __init__(self, build, arity, connection):
        queryset = build(*(_sentinel(index) for index in range(arity))).using(connection.alias)
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.recipe = [self._ingredient(param, arity, connection) for param in params]
        self.converters = list(compiler.get_converters([column for column, _, _ in compiler.select]).items())

    @staticmethod
    def _ingredient(param, arity, connection):
        """(value index, its preparation) for a sentinel's parameter; (None, the constant) otherwise."""
        preparations = [lambda value: value, connection.ops.prep_for_iexact_query]
        for index in range(arity):
            for prepare in preparations:
                if param == prepare(_sentinel(index)):
                    return index, prepare
        if isinstance(param, str) and "sentinel" in param:
            raise ValueError(f"A value reached the SQL in an unknown form: {param!r}")
        return None, param

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
