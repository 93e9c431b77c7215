"""Realtime (WebSocket) fan-out benchmark: `python -m bench.ws.run --help`.

Layout:
- `wire`: the message payload (send timestamp, step id, padding) and its cheap parser;
- `adapters`: the per-server protocol spoken on top of WebSocket (envelope, Socket.IO);
- `client`: one WebSocket client connection on the `websockets` sans-I/O protocol;
- `loadgen`: the load-generator process (many subscribers, JSON-lines control on stdio);
- `procs`: subprocess lifecycle, free ports, CPU/RSS from /proc;
- `servers`: the servers under test (each a tiny script) and how to start them;
- `tradehall`: how TradeHall itself, (d) and (e), is started and given credentials;
- `stats`, `results`: mergeable latency percentiles; result records, medians, tables;
- `run`: the runner (starts everything, steps the publish rate, prints and saves results);
- `report`: re-prints a saved results file.

Results and method: docs/benchmarks.md, "Realtime fan-out".
"""
