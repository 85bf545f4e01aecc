"""Ground-truth evaluations: do the rules and analyses find what the generator planted?

Each loads a synthetic world (``loaders.synth``) into a Neo4j of its own and compares the
answers with the world's ``ground_truth.jsonl``; ``batterytrace eval leakage|analytics`` runs them.
"""
