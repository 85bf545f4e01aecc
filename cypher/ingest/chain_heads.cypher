// Lock the batteries and read the heads of their event hash chains (tamper evidence).
// The SET takes each battery's write lock, so concurrent batches extend one chain in turn.
// mode: write
// params: codes: list[str]
// returns: code (str), head (str or null), length (int)
UNWIND $codes AS code
MATCH (b:Battery {code: code})
SET b.chain_length = coalesce(b.chain_length, 0)
RETURN b.code AS code, b.chain_head AS head, b.chain_length AS length
