"""Alembic environment: runs on the connection the application hands over (never reads alembic.ini)."""

from __future__ import annotations

from alembic import context

from interviewer.storage.orm import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
