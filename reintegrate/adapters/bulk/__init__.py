"""Matching a large statement in bulk with numpy: the same `Reconciliation` as
`reintegrate.reconcile.matching.match`, column by column (`engine`)."""

BULK_FROM_BYTES = 1 << 20
"""From this size (about 15,000 lines) a CSV statement is worth reconciling in bulk; below
it, either way takes milliseconds. Here, apart from `engine`, so that a command knows it
without importing numpy."""
