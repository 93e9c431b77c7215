"""Where uploaded files live: a small interface, and a local-disk implementation of it.

Keys are made by the media service from random tokens (never from a client's file name);
the disk implementation still refuses any key that could leave its directory.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

import anyio

from app.config import Settings

_KEY = re.compile(r"^(?:[a-z]{2,20}/)?[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{8,100}\.[a-z0-9]{2,5}$")


class StoredFileMissing(LookupError):
    """The key is not (or no longer) in the storage."""


class Storage(Protocol):
    async def save(self, key: str, data: bytes) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str | None:
        """A public URL serving the file directly (a CDN, a bucket), or None: the app serves it."""
        ...


def new_key(suffix: str, extension: str, *, prefix: str = "") -> str:
    """A random, unguessable key, sharded by its first two characters to keep folders small.

    A ``prefix`` (lowercase letters) keeps one kind of file apart from the public media, e.g.
    private negotiation attachments, so a bucket or a backup can treat it differently.
    """
    token = secrets.token_urlsafe(24)
    return f"{prefix + '/' if prefix else ''}{token[:2]}/{token}{suffix}.{extension}"


class LocalStorage:
    """Files under one directory on the local disk (the embedded, one-machine setup)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a reader never sees half a file, even if the process dies.
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
        partial.write_bytes(data)
        os.replace(partial, path)

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StoredFileMissing(key) from exc

    def _delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    async def save(self, key: str, data: bytes) -> None:
        await anyio.to_thread.run_sync(self._write, key, data)

    async def read(self, key: str) -> bytes:
        return await anyio.to_thread.run_sync(self._read, key)

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(self._delete, key)

    def url(self, key: str) -> str | None:  # noqa: ARG002 - the app serves local files
        return None


def storage_for(settings: Settings) -> Storage:
    return LocalStorage(settings.effective_upload_dir)
