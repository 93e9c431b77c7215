"""The stack's ceiling: a bare FastAPI app answering a fixed JSON list, the size and shape of
a search page (20 items), through FastAPI's usual response path (no database, no middleware).

    uvicorn bench.catalog.ceiling:app
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

ITEMS: list[dict[str, Any]] = [
    {
        "id": 1000 + n,
        "name": f"Frozen Vannamei White Shrimp PD IQF {n}1/{n}5",
        "name_zh": "冷冻南美白对虾去壳去肠线 单冻",
        "category": "frozen_shrimp",
        "supplier": {"id": 200 + n, "name": f"Fuqing Ocean No. {n} Aquatic Products Co., Ltd."},
        "booth_id": 300 + n,
        "hall_id": 1,
        "price_from": "6.5000",
        "currency": "USD",
        "unit": "kg",
        "moq": "1000.000",
        "incoterms": ["FOB", "CFR", "CIF"],
        "certifications": ["HACCP", "BRC", "ASC"],
        "origin_country": "CN",
        "origin_region": "Fuqing, Fujian",
        "image_id": 5000 + n,
    }
    for n in range(20)
]
PAGE: dict[str, Any] = {"items": ITEMS, "next_cursor": "WyJyZWxldmFuY2UiLDEuNSwxMDIwXQ",
                        "total": 1234}

app = FastAPI()


@app.get("/api/v1/events/{event_id}/products")
async def products(event_id: int) -> dict[str, Any]:
    del event_id
    return PAGE


def main() -> None:
    """Serve `app` exactly as TradeHall serves itself (app.server: same uvicorn settings,
    same multi-worker socket), so that the only difference is the application."""
    import argparse

    import uvicorn

    from app.server import serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve(uvicorn.Config("bench.catalog.ceiling:app", host=args.host, port=args.port,
                         workers=args.workers, log_level="warning", access_log=False))


if __name__ == "__main__":
    main()
