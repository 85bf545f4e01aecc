// Claim the next sweep for one process: with several API processes, only the one holding the claim
// (until $until, or until its sweep is recorded) runs the rules, so their work is not done twice.
// mode: write
// params: at: datetime, until: datetime
// returns: claimed (bool)
MERGE (f:FindingFeed {id: 'findings'})
  ON CREATE SET f.seq = 0
WITH f, f.sweep_claim IS NOT NULL AND f.sweep_claim > $at AS taken
SET f.sweep_claim = CASE WHEN taken THEN f.sweep_claim ELSE $until END
RETURN NOT taken AS claimed
