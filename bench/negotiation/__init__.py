"""Negotiation chat benchmark (issue 5): `python -m bench.negotiation.run --help`.

Layout:
- `seed`: the benchmark's own database (created, migrated, filled through the services,
  dropped);
- `wire`: the chat frames and the send-time stamp carried in each `client_msg_id`;
- `loadgen`: the load-generator process holding both sides of every negotiation;
- `results`: step records and tables;
- `run`: the runner (TradeHall and the bare-stack ceiling in one invocation).

It reuses bench/ws (client connections, process control, CPU meters, percentiles, the
ceiling server) and bench/catalog (CPU of PostgreSQL backends). Results and method:
docs/benchmarks.md, "Negotiation chat".
"""
