// Recovered metal above what the input can contain: per element, more than input mass x the element's ceiling for the battery's chemistry, or more metal in total than input mass.
// The input mass is the declared input_mass_kg, capped at the battery's known mass (from its production, or
// its original's for a second-life product) x (1 + mass_tolerance): a recycler cannot make a pack heavier by
// declaring it so. Chemistry class: the production event's chemistry (lfp / ternary by name), else the code's
// chemistry letter (B = LFP, E = ternary), else 'unknown'. ceilings: {class: {element: kg per kg of pack}}.
// Scope: $batteries null runs the whole store; a list returns only the findings of those batteries, starting from them
// (guarded UNION branches: the whole-store branch is cut by its guard before it scans, the listed one seeks).
// mode: read
// params: as_of: datetime, ceilings: map, mass_tolerance: float, province: str or null, company: str or null, batteries: list[str] or null, skip: int, limit: int
// returns: battery, since (recycling time), company (the recycler), company_name, province, evidence (recycling), missing, details {chemistry_class, input_mass_kg, known_mass_kg, basis_kg, excess, recovered_total_kg}
CALL () {
  WITH 1 AS whole
  WHERE $batteries IS NULL
  MATCH (rc:Event {type: 'recycled'})
  WHERE rc.occurred_at <= $as_of
  RETURN rc
  UNION ALL
  UNWIND $batteries AS code
  MATCH (:Battery {code: code})<-[:ABOUT {role: 'subject'}]-(rc:Event {type: 'recycled'})
  WHERE rc.occurred_at <= $as_of
  RETURN rc
}
WITH rc
WHERE COUNT { (rc)<-[:CORRECTS]-() } = 0
MATCH (rc)-[:ABOUT {role: 'subject'}]->(b:Battery)
OPTIONAL MATCH (b)-[:DERIVED_FROM]->(o:Battery)
WITH rc, b,
     coalesce(b.mass_kg, o.mass_kg) AS known,
     toLower(coalesce(b.chemistry, o.chemistry, '')) AS chem,
     coalesce(b.chemistry_letter, o.chemistry_letter) AS letter
WITH rc, b, known,
     CASE
       WHEN chem STARTS WITH 'lfp' OR chem STARTS WITH 'lifepo' OR chem = 'lmfp' THEN 'lfp'
       WHEN chem = 'ternary' OR chem STARTS WITH 'ncm' OR chem STARTS WITH 'nmc' OR chem STARTS WITH 'nca' THEN 'ternary'
       WHEN chem = '' AND letter = 'B' THEN 'lfp'
       WHEN chem = '' AND letter = 'E' THEN 'ternary'
       ELSE 'unknown'
     END AS chem_class
WITH rc, b, known, chem_class,
     CASE
       WHEN known IS NOT NULL AND rc.input_mass_kg > known * (1 + $mass_tolerance) THEN known * (1 + $mass_tolerance)
       ELSE rc.input_mass_kg
     END AS basis,
     coalesce($ceilings[chem_class], $ceilings['unknown'], {}) AS ceiling,
     coalesce(rc.recovered_elements, []) AS elements,
     coalesce(rc.recovered_kg, []) AS kgs
WITH rc, b, known, chem_class, basis,
     [k IN range(0, size(elements) - 1)
       WHERE ceiling[elements[k]] IS NOT NULL AND kgs[k] > basis * ceiling[elements[k]] + 1e-9
       | {element: elements[k], recovered_kg: kgs[k], ceiling_kg: basis * ceiling[elements[k]]}] AS excess,
     coalesce(rc.recovered_total_kg, 0.0) AS total
WHERE size(excess) > 0 OR total > basis + 1e-9
WITH b.code AS battery,
     rc.occurred_at AS since,
     rc.reporter AS company,
     [rc.event_id] AS evidence,
     CASE
       WHEN size(excess) > 0 THEN 'recovered ' + reduce(s = '', x IN excess | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(x.recovered_kg) + ' kg ' + x.element) + ' from ' + toString(basis) + ' kg of ' + chem_class + ' input, more than it can contain'
       ELSE 'recovered ' + toString(total) + ' kg of metal from ' + toString(basis) + ' kg of input'
     END AS missing,
     {chemistry_class: chem_class, input_mass_kg: rc.input_mass_kg, known_mass_kg: known, basis_kg: basis, excess: excess, recovered_total_kg: total} AS details,
     rc.province AS event_province
OPTIONAL MATCH (co:Company {uscc: company})
WITH battery, since, company, co.name AS company_name, coalesce(event_province, co.province) AS province, evidence, missing, details
WHERE ($province IS NULL OR province = $province)
  AND ($company IS NULL OR company = $company)
  AND ($batteries IS NULL OR battery IN $batteries)
RETURN battery, since, company, company_name, province, evidence, missing, details
ORDER BY since, battery, company, head(evidence)
SKIP $skip
LIMIT $limit
