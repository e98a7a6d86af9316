"""Milestone-gated tranches: one mechanism for every grant paid in tranches.

A business plan (`reintegrate.business`) and a community project (`reintegrate.community`)
are both paid in tranches. Each tranche is unlocked by one milestone, which lists the
evidence it requires (receipt, photo, certificate, monitoring report...):

- `milestones`: evidence is submitted, then a second person verifies the milestone or
  rejects its evidence with a reason (four eyes: never whoever submitted that evidence);
- `release`: a tranche is paid only once its milestone is verified and receipts justify
  enough of what was already released; a tranche paid to several owners is split by what
  each is still owed;
- `grant`: what a grant shows this mechanism (`TrancheGrant`), and the commands that record
  evidence, verification and rejection for any grant, as one set of events keyed by the grant;
- `drafting`: the rules a grant's budget, milestones and tranches meet when drafted;
- `evidence`: which files are accepted as evidence, and the hash that names them.
"""
