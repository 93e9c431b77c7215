"""The one Settings class. Nothing else in the project reads ``os.environ``."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused in prod
MIN_PROD_SECRET_LENGTH = 32


class InsecureSettingsError(ValueError):
    """Raised when production mode is asked to run with settings that are not safe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEHALL_", extra="ignore")

    environment: Literal["dev", "prod"] = "dev"
    data_dir: Path = Path("var")
    # Default (None): a SQLite file under data_dir, so a fresh machine needs no database server.
    database_url: str | None = None
    # Default (None): the in-process broker and in-memory counters (one process).
    redis_url: str | None = None
    # Every Redis key and channel starts with this, so several deployments (or test runs)
    # can share one Redis without seeing each other.
    redis_prefix: str = "tradehall:"
    secret_key: str = DEFAULT_SECRET_KEY
    base_url: str = "http://127.0.0.1:8000"
    # Origins allowed for cross-site checks (WebSocket Origin, form posts); comma separated.
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    upload_dir: Path | None = None

    session_ttl_hours: int = Field(default=24 * 14, gt=0)
    api_token_ttl_days: int = Field(default=30, gt=0)
    invitation_ttl_hours: int = Field(default=72, gt=0)
    # Failed logins allowed per account within the window before answering 429.
    login_max_failures_per_account: int = Field(default=5, gt=0)
    # Failed logins allowed per client address within the window (several people share NATs).
    login_max_failures_per_address: int = Field(default=30, gt=0)
    login_failure_window_seconds: int = Field(default=60, gt=0)

    # Realtime (/ws): see docs/realtime.md for what each limit protects against.
    realtime_max_frame_bytes: int = Field(default=64 * 1024, gt=0)
    realtime_send_queue: int = Field(default=1024, ge=16)  # frames queued per connection
    realtime_rate_per_second: float = Field(default=20.0, gt=0)  # frames a client may send
    realtime_rate_burst: int = Field(default=60, gt=0)
    realtime_max_strikes: int = Field(default=40, gt=0)  # rate-limited frames before close
    realtime_idle_timeout_seconds: float = Field(default=75.0, gt=0)
    realtime_retention_days: int = Field(default=90, gt=0)
    # Actions in flight per process before ``server_busy`` (app/realtime/admission.py);
    # default: the database pool's size + overflow (app/db.py).
    realtime_max_db_actions: int | None = Field(default=None, gt=0)
    # How long one more action may wait for a place before ``server_busy`` (0: at once).
    realtime_admission_wait_seconds: float = Field(default=1.0, ge=0)
    # uvicorn's WebSocket keepalive: a pong is only read once the connection's current
    # action is done, so the timeout must outlast a slow action (docs/realtime.md).
    realtime_ws_ping_interval_seconds: float = Field(default=20.0, gt=0)
    realtime_ws_ping_timeout_seconds: float = Field(default=60.0, gt=0)
    # The diag:/pulse: topics behind /realtime/diagnostics (and the benchmarks);
    # default: on in dev, off in prod.
    realtime_diagnostics: bool | None = None

    # Product search: encoded result pages kept per process until the catalog changes
    # (app/search/cache.py); 0 turns the cache off. The TTL bounds staleness if an
    # invalidation is lost (e.g. Redis unreachable when a product was saved).
    search_cache_entries: int = Field(default=1000, ge=0)
    search_cache_ttl_seconds: float = Field(default=60.0, gt=0)

    # Matchmaking scheduling jobs (app/matchmaking/jobs.py): a running job refreshes its
    # heartbeat this often; one whose heartbeat is older than the stale limit is taken for
    # dead (its process stopped) and failed, so the session can be scheduled again.
    matchmaking_heartbeat_seconds: float = Field(default=5.0, gt=0)
    matchmaking_stale_job_seconds: float = Field(default=30.0, gt=0)
    # CP-SAT polish after the flow-based schedule (0: off).
    matchmaking_polish_seconds: float = Field(default=0.0, ge=0)
    # Where jobs solve: a worker process keeps the event loop responsive (why, and the
    # measurement: app/matchmaking/solver.py, docs/architecture.md); "thread" stays here.
    matchmaking_solver: Literal["process", "thread"] = "process"
    # The live matchmaking day (app/matchmaking/live*.py): a party not checked in this long
    # after its slot starts is a no-show; check-in opens this long before the slot; each
    # node looks for sessions that went live elsewhere this often (slot boundaries are
    # timed exactly, this only bounds how late a node notices a new live session).
    matchmaking_grace_minutes: int = Field(default=5, ge=0, le=60)
    matchmaking_check_in_opens_minutes: int = Field(default=10, ge=0, le=240)
    matchmaking_live_poll_seconds: float = Field(default=15.0, gt=0)
    # Livestream rooms (app/livestreams/room_driver.py): how often each node writes a room's
    # likes and new viewers and sends its viewers/likes figures to its own sockets.
    livestream_stats_seconds: float = Field(default=1.0, gt=0, le=60)
    # WebRTC ICE servers for meeting video, as RTCIceServer objects in JSON, e.g.
    # [{"urls": "stun:stun.example.org:3478"}]. Empty: host candidates only (same LAN).
    matchmaking_ice_servers: list[dict[str, str | list[str]]] = Field(default_factory=list)

    # Proforma PDFs (app/web/proforma_pdf.py): a TTF/OTF/TTC font with Chinese glyphs. Unset:
    # the usual font folders are searched (Debian's fonts-wqy-microhei, fonts-noto-cjk...);
    # without one, PDFs are in English with a Latin font.
    pdf_font_path: Path | None = None

    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, data: object) -> object:
        if isinstance(data, dict):
            origins = data.get("allowed_origins")
            if isinstance(origins, str):
                data["allowed_origins"] = [o.strip() for o in origins.split(",") if o.strip()]
        return data

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment == "prod":
            if self.secret_key == DEFAULT_SECRET_KEY:
                raise InsecureSettingsError(
                    "TRADEHALL_SECRET_KEY is the built-in development key; production mode "
                    "refuses to start with it. Set TRADEHALL_SECRET_KEY to a random value of at "
                    f"least {MIN_PROD_SECRET_LENGTH} characters (for example: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))')."
                )
            if len(self.secret_key) < MIN_PROD_SECRET_LENGTH:
                raise InsecureSettingsError(
                    f"TRADEHALL_SECRET_KEY is {len(self.secret_key)} characters long; production "
                    f"mode needs at least {MIN_PROD_SECRET_LENGTH} random characters."
                )
        return self

    @cached_property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tradehall.db').as_posix()}"

    @cached_property
    def effective_upload_dir(self) -> Path:
        return self.upload_dir if self.upload_dir is not None else self.data_dir / "uploads"

    @property
    def diagnostics_enabled(self) -> bool:
        return self.is_dev if self.realtime_diagnostics is None else self.realtime_diagnostics

    @property
    def is_dev(self) -> bool:
        return self.environment == "dev"

    @property
    def cookies_secure(self) -> bool:
        return self.base_url.startswith("https://")
