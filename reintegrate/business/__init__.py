"""Microbusiness grants paid in tranches against verified milestones (not built yet)."""
