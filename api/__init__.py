"""The HTTP API over reintegrate (not built yet; the library and CLI work without it)."""
