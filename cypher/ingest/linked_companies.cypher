// Which (battery, company) pairs the stored record links: the company reported an effective event about
// the battery, or was named as its sender or addressee; a health measurement is accepted only from such a company.
// mode: read
// params: pairs: list[{code, uscc}]
// returns: code (str), uscc (str)
UNWIND $pairs AS pair
MATCH (b:Battery {code: pair.code})
WHERE EXISTS {
  MATCH (b)<-[a:ABOUT]-(e:Event)
  WHERE a.role <> 'correction'
    AND (e.reporter = pair.uscc OR e.to_company = pair.uscc OR e.from_company = pair.uscc)
    AND NOT EXISTS { (e)<-[:CORRECTS]-(:Event) }
}
RETURN pair.code AS code, pair.uscc AS uscc
