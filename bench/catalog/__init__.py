"""Catalog search benchmark: `python -m bench.catalog.run --help`.

Layout:
- `vocab`: the seafood trade vocabulary products are combined from;
- `data`: the generator and bulk loader (100,000 products of 4,000 suppliers by default);
- `queries`: the query mixes each scenario sends;
- `ceiling`: the bare FastAPI app returning a fixed JSON list (the stack's ceiling);
- `wrk.lua`: the load generator's script (varying queries, latency percentiles as JSON);
- `run`: the runner (prepares databases, starts and stops every server, drives wrk).
"""
