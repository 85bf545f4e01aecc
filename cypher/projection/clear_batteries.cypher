// Drop the projection relationships a battery owns, before they are rebuilt from its events.
// mode: write
// params: codes: list[str]
// returns: nothing
UNWIND $codes AS code
MATCH (b:Battery {code: code})-[r:INSTALLED_IN|HELD_BY|SWAPPED_AT|RECYCLED_BY|PART_OF|DERIVED_FROM]->()
DELETE r
