"""Community-based reintegration projects (not built yet)."""
