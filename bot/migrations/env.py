"""Alembic environment: migrations run on the connection coop hands over, at start-up."""

from __future__ import annotations

from alembic import context

from bot.store.schema import is_managed_table, metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("coop applies migrations itself at start; run `coop seed` or `coop run`")

context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, include_name=is_managed_table
)
with context.begin_transaction():
    context.run_migrations()
