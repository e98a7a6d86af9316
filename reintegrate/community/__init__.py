"""Community-based reintegration projects: returnees and members of their community together.

`projects` holds what a project is and the rules on who takes part and what it may be worth;
`drafting` the rules a project's content must meet; `lifecycle` approval, participants,
tranche payments, outcomes and the end; `evolve` the projection. Milestones, evidence and
the release gate are the mechanism of every grant paid in tranches (`reintegrate.tranches`).
"""
