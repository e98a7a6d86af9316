"""Reconciliation: what providers report against what the programme paid."""
