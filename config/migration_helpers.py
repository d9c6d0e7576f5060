"""Helpers that migrations share: run them from RunPython, never from application code."""


def run_on_postgresql(statements: list[str]):
    """A RunPython function executing SQL on PostgreSQL only (search indexes SQLite has no use for)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
