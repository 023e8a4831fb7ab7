"""Persistence: typed ORM models, engine and sessions, Alembic migrations."""
