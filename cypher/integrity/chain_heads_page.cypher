// Every battery's chain length and head, in code order after a cursor (for checkpoints).
// mode: read
// params: after: str, limit: int
// returns: code, length, head
MATCH (b:Battery)
WHERE b.code > $after
  AND b.chain_length > 0
RETURN b.code AS code, b.chain_length AS length, b.chain_head AS head
ORDER BY code
LIMIT $limit
