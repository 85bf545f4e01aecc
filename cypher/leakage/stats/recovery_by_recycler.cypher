// What each recycler (its registered province) recovered in a period, per chemistry class: packs, input mass and recovered metal per
// element, for the report against the minimum recovery rates (app/services/leakage/recovery.py).
// Input: the declared input_mass_kg capped at the battery's known mass x (1 + mass_tolerance), as in
// implausible_recovery. Chemistry class as there: the production's chemistry, else the code's letter.
// mode: read
// params: since: datetime, until: datetime, mass_tolerance: float, provinces: list[str] or null
// returns: company, company_name, province, chem_class, packs (int), input_kg (float), li, ni, co, mn (float: kg recovered)
MATCH (rc:Event {type: 'recycled'})
WHERE rc.occurred_at >= $since AND rc.occurred_at <= $until
  AND COUNT { (rc)<-[:CORRECTS]-() } = 0
MATCH (rc)-[:ABOUT {role: 'subject'}]->(b:Battery)
OPTIONAL MATCH (b)-[:DERIVED_FROM]->(o:Battery)
WITH rc,
     coalesce(b.mass_kg, o.mass_kg) AS known,
     toLower(coalesce(b.chemistry, o.chemistry, '')) AS chem,
     coalesce(b.chemistry_letter, o.chemistry_letter) AS letter
WITH rc,
     CASE
       WHEN chem STARTS WITH 'lfp' OR chem STARTS WITH 'lifepo' OR chem = 'lmfp' THEN 'lfp'
       WHEN chem = 'ternary' OR chem STARTS WITH 'ncm' OR chem STARTS WITH 'nmc' OR chem STARTS WITH 'nca' THEN 'ternary'
       WHEN chem = '' AND letter = 'B' THEN 'lfp'
       WHEN chem = '' AND letter = 'E' THEN 'ternary'
       ELSE 'unknown'
     END AS chem_class,
     CASE
       WHEN known IS NOT NULL AND rc.input_mass_kg > known * (1 + $mass_tolerance) THEN known * (1 + $mass_tolerance)
       ELSE rc.input_mass_kg
     END AS basis,
     coalesce(rc.recovered_elements, []) AS elements,
     coalesce(rc.recovered_kg, []) AS kgs
WITH rc, chem_class, basis,
     [e IN ['li', 'ni', 'co', 'mn'] |
       reduce(s = 0.0, k IN range(0, size(elements) - 1) | s + CASE WHEN elements[k] = e THEN kgs[k] ELSE 0.0 END)] AS per
WITH rc.reporter AS company, chem_class,
     count(*) AS packs, sum(coalesce(basis, 0.0)) AS input_kg,
     sum(per[0]) AS li, sum(per[1]) AS ni, sum(per[2]) AS co, sum(per[3]) AS mn
OPTIONAL MATCH (r:Company {uscc: company})
WITH company, r.name AS company_name, r.province AS province, chem_class, packs, input_kg, li, ni, co, mn
WHERE $provinces IS NULL OR province IN $provinces
RETURN company, company_name, province, chem_class, packs, input_kg, li, ni, co, mn
ORDER BY company, chem_class
