"""Livestream room benchmark (issue 7): `python -m bench.livestream.run --help`.

Layout:
- `seed`: the benchmark's database: one live show and its viewers with tokens (bulk);
- `wire`: the chat and like frames, the send-time stamp in each chat line's body, and how a
  receiver finds every stamp in a frame (single or batched events) without decoding it;
- `loadgen`: the load-generator process holding every viewer's socket, chatting and liking;
- `results`: step records, the summary over repeats and the tables;
- `run`: the runner (the ceiling and TradeHall on one and two nodes in one invocation).

It reuses bench/ws (client connections, process control, CPU meters, percentiles, private
Redis, the ceiling server, which gained likes, stats and batching for this), bench/negotiation
(the throw-away database, the host's seeding, the run's conditions) and bench/catalog (CPU of
PostgreSQL backends, waiting for an idle server). Results and method: docs/benchmarks.md,
"Livestream room".
"""
