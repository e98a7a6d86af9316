"""Matching a large statement in bulk with numpy: the same `Reconciliation` as
`reintegrate.reconcile.matching.match`, column by column (`engine`)."""
