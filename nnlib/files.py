"""Safe file writing and checksums, shared by the data loaders and checkpoints.

Two promises the book makes about files:
- nothing is ever half-written: we write to a temporary file in the same
  folder, flush it to disk, and only then rename it over the target (a rename
  within one folder is atomic), so a crash leaves either the old file or the
  new one, never a torn one;
- nothing downloaded is used before its checksum is verified.
"""

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_write(path, mode="wb"):
    """Open a temporary file next to `path`; on success rename it to `path`.

    with atomic_write("model.npz") as f:
        f.write(data)

    If the block raises, the temporary file is removed and `path` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    # mkstemp makes the file readable by its owner only; give it the usual mode (0644 under
    # the common umask 022), as open() would have. The owner keeps read and write whatever the
    # umask says: the browser edition's file system reports 0o777, which would leave a file
    # nobody can read back.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, (0o666 & ~umask) | 0o600)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def file_digest(path, algorithm="md5"):
    """Hex digest of a file's bytes, read in 1 MiB chunks ('md5' or 'sha256')."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
