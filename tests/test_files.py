"""nnlib.files: atomic writes leave the old file or the new one, never half of one."""

import hashlib
import os
import stat

import pytest

from nnlib.files import atomic_write, file_digest


def test_atomic_write_replaces_the_file_with_the_usual_permissions(tmp_path):
    path = tmp_path / "sub" / "out.bin"
    with atomic_write(path) as f:
        f.write(b"hello")
    assert path.read_bytes() == b"hello"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    assert [p.name for p in path.parent.iterdir()] == ["out.bin"]


def test_a_failure_while_writing_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(path) as f:
        f.write(b"half of the new")
        raise RuntimeError("crash")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_file_digest_matches_hashlib(tmp_path):
    path = tmp_path / "data"
    data = bytes(range(256)) * 5000  # more than one 1 MiB chunk
    path.write_bytes(data)
    assert file_digest(path) == hashlib.md5(data).hexdigest()
    assert file_digest(path, "sha256") == hashlib.sha256(data).hexdigest()


def test_a_umask_that_forbids_everything_still_lets_the_owner_read_back(tmp_path, monkeypatch):
    """The browser edition's file system reports a umask of 0o777; a saved checkpoint must
    still be readable by the one who saved it."""
    monkeypatch.setattr(os, "umask", lambda mask: 0o777)  # reports it, changes nothing
    target = tmp_path / "model.npz"
    with atomic_write(target) as f:
        f.write(b"weights")
    assert stat.S_IMODE(target.stat().st_mode) & 0o600 == 0o600
    assert target.read_bytes() == b"weights"
