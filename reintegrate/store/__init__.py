"""Storage: an in-memory store and a SQL store (SQLite by default, PostgreSQL)."""
