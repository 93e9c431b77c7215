"""What-if server for the report: TradeHall with facet counts memoised per query.

Not a feature: it answers "how fast would search be if facet counts (and the total) came
from a cache?" by wrapping `app.search.repository.facet_counts` in an unbounded in-process
memo (never invalidated: fine for a read-only benchmark, wrong for a live catalog). The page
of results is still computed for every request.

    uvicorn bench.catalog.whatif:create_app --factory
"""

from __future__ import annotations

import argparse
from typing import Any

from fastapi import FastAPI


def create_app() -> FastAPI:
    from app.main import create_app as create_tradehall
    from app.search import repository

    original = repository.facet_counts
    memo: dict[Any, Any] = {}

    async def memoised(session: Any, criteria: repository.Criteria) -> Any:
        if criteria not in memo:
            memo[criteria] = await original(session, criteria)
        return memo[criteria]

    repository.facet_counts = memoised
    return create_tradehall()


def main() -> None:
    import uvicorn

    from app.server import serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve(uvicorn.Config("bench.catalog.whatif:create_app", factory=True, host=args.host,
                         port=args.port, workers=args.workers, log_level="warning",
                         access_log=False))


if __name__ == "__main__":
    main()
