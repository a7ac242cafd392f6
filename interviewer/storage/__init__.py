"""Storage: SQLAlchemy 2 rows (kept apart from the domain values), migrations, and the repository."""
