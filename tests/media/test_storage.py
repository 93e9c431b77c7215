from __future__ import annotations

from pathlib import Path

import pytest

from app.media.storage import LocalStorage, StoredFileMissing, new_key


async def test_local_storage_saves_reads_and_deletes(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = new_key("-thumb", "webp")
    await storage.save(key, b"pixels")
    assert await storage.read(key) == b"pixels"
    assert storage.url(key) is None  # served by the app
    await storage.delete(key)
    with pytest.raises(StoredFileMissing):
        await storage.read(key)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_keys_are_random_and_sharded() -> None:
    keys = {new_key("", "webp") for _ in range(100)}
    assert len(keys) == 100
    assert all(k[:2] == k[3:5] and k.endswith(".webp") for k in keys)


@pytest.mark.parametrize("key", ["../x.webp", "ab/../../etc.webp", "/etc/passwd", "ab/c.webp",
                                 "ab/" + "x" * 20 + ".webp/..", ""])
async def test_keys_that_could_leave_the_directory_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="invalid storage key"):
        await LocalStorage(tmp_path).save(key, b"x")
