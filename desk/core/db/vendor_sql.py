"""Migrations whose SQL differs by database: the statements of each vendor, run forward or back."""


def vendor_sql(forward, backward, what):
    """RunPython callables for `{vendor: [statements]}` both ways; a vendor without statements refuses."""

    def run_forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = forward.get(vendor)
        if statements is None:
            raise RuntimeError(f"No {what} for the {vendor} database")
        for statement in statements:
            schema_editor.execute(statement)

    def run_backward(apps, schema_editor):
        for statement in backward.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run_forward, run_backward
