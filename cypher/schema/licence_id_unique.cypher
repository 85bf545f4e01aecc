// Licences are keyed by company, scope and start date.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT licence_id_unique IF NOT EXISTS FOR (l:Licence) REQUIRE l.id IS UNIQUE
