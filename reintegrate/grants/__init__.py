"""reintegrate."""
