from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import DEFAULT_SECRET_KEY, Settings


def test_dev_defaults_to_sqlite_file_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.effective_database_url.endswith("/tradehall.db")
    assert settings.redis_url is None
    assert settings.effective_upload_dir == tmp_path / "uploads"


def test_prod_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="TRADEHALL_SECRET_KEY"):
        Settings(environment="prod", secret_key=DEFAULT_SECRET_KEY)


def test_prod_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(environment="prod", secret_key="short-but-not-default")


def test_prod_accepts_a_long_random_secret() -> None:
    settings = Settings(environment="prod", secret_key="x" * 48)
    assert settings.environment == "prod"


def test_allowed_origins_from_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEHALL_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    assert Settings().allowed_origins == ["https://a.example", "https://b.example"]


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEHALL_")}
    env["TRADEHALL_DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def test_server_in_prod_mode_with_default_secret_refuses_to_start_and_says_why(
    tmp_path: Path,
) -> None:
    result = subprocess.run(  # noqa: S603 - our own console entry point
        [sys.executable, "-m", "app.cli", "serve", "--port", "0"],
        env=_clean_env(tmp_path, TRADEHALL_ENVIRONMENT="prod"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "refuses to start" in result.stderr
    assert "TRADEHALL_SECRET_KEY" in result.stderr
