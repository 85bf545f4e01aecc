// Remove every tally before they are counted again from the findings (the caller holds the feed's lock).
// mode: write
// params: none
// returns: removed (int)
MATCH (t:FindingTally)
DELETE t
RETURN count(*) AS removed
