// API keys are looked up by their public id; only a hash of the secret part is stored.
// mode: schema
// params: none
// returns: nothing
CREATE CONSTRAINT api_key_id_unique IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE
