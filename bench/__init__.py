"""Benchmarks for TradeHall. Not shipped with the app; run with `python -m bench.<name>.run`."""
