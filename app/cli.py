"""The ``tradehall`` command: serve, demo, db upgrade/downgrade, create-admin."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys

from pydantic import ValidationError

from app.config import Settings


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        print("TradeHall refuses to start:", file=sys.stderr)
        for error in exc.errors():
            print(f"  - {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        raise SystemExit(2) from None


def _serve(settings: Settings, args: argparse.Namespace, workers: int = 1) -> None:
    from app.server import serve, uvicorn_config

    serve(uvicorn_config(
        settings,
        host=args.host,
        port=args.port,
        workers=workers,
        proxy_headers=getattr(args, "proxy_headers", False),
        forwarded_allow_ips=getattr(args, "forwarded_allow_ips", None),
    ))


def _log_migrations() -> None:
    # Alembic reports each applied revision through logging; show it to the operator.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.INFO)


def cmd_serve(args: argparse.Namespace) -> None:
    settings = _load_settings()
    if args.migrate:
        from app import migrate

        _log_migrations()
        migrate.upgrade(settings.effective_database_url)
    _serve(settings, args, args.workers)


def cmd_demo(args: argparse.Namespace) -> None:
    settings = _load_settings()
    if not settings.is_dev:
        print("tradehall demo refuses to run in production mode: it creates accounts with a "
              "published password. Unset TRADEHALL_ENVIRONMENT (or set it to dev).",
              file=sys.stderr)
        raise SystemExit(2)
    from app import migrate
    from app.demo.seed import print_logins, seed_demo

    migrate.upgrade(settings.effective_database_url)
    summary = asyncio.run(seed_demo(settings))
    print_logins(summary, f"http://{args.host}:{args.port}")
    _serve(settings, args)


def cmd_db(args: argparse.Namespace) -> None:
    settings = _load_settings()
    from app import migrate

    _log_migrations()
    if args.action == "upgrade":
        migrate.upgrade(settings.effective_database_url, args.revision or "head")
    else:
        if not args.revision:
            print("tradehall db downgrade needs a revision, e.g. -1 or base", file=sys.stderr)
            raise SystemExit(2)
        migrate.downgrade(settings.effective_database_url, args.revision)


def cmd_create_admin(args: argparse.Namespace) -> None:
    settings = _load_settings()
    password = args.password or getpass.getpass("Password for the admin (10+ characters): ")
    if len(password) < 10:
        print("The password needs at least 10 characters.", file=sys.stderr)
        raise SystemExit(2)

    async def run() -> bool:
        from app.accounts import service as accounts
        from app.db import create_engine, create_sessionmaker

        engine = create_engine(settings.effective_database_url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                _user, created = await accounts.create_admin(
                    session, email=args.email, password=password, full_name=args.name
                )
                return created
        finally:
            await engine.dispose()

    created = asyncio.run(run())
    print(f"{'Created' if created else 'Promoted'} platform admin {args.email.lower()}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tradehall", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--migrate", action="store_true", help="upgrade the database first")
    serve.add_argument(
        "--proxy-headers", action="store_true", help="trust X-Forwarded-* from the proxy"
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        help="comma-separated proxy addresses to trust X-Forwarded-* from (default: "
        "$FORWARDED_ALLOW_IPS or 127.0.0.1)",
    )
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="migrate, seed the demo expo and serve it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade"])
    db.add_argument("revision", nargs="?", help="target revision (default for upgrade: head)")
    db.set_defaults(func=cmd_db)

    admin = sub.add_parser("create-admin", help="create or promote a platform admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Platform admin")
    admin.add_argument("--password", help="prompted for when omitted")
    admin.set_defaults(func=cmd_create_admin)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
