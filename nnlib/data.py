"""Data for the book: MNIST digits, tiny Shakespeare, and the batching helpers.

Where files are looked for, in order (the first copy found is used):
1. each folder named in the environment variable NNLIB_DATA (several are separated
   by os.pathsep: ":" on Linux and macOS, ";" on Windows), either directly in it or
   in its subfolder mnist/ or tinyshakespeare/, the layout of the shared data folder;
2. nnlib/bundled/, inside the package (so a checkout and an installed wheel both have
   it), which ships the 10,000 MNIST test digits and tiny Shakespeare so that the book
   works offline;
3. the download cache: $XDG_CACHE_HOME/nnlib wherever XDG_CACHE_HOME is set, else
   ~/.cache/nnlib on Linux, ~/Library/Caches/nnlib on macOS, %LOCALAPPDATA%\\nnlib on
   Windows (or the cache_dir argument of the loaders).
A folder named in NNLIB_DATA must exist: a typo there raises FileNotFoundError
rather than quietly leaving the book on other data. Empty entries are skipped.
A file found nowhere is downloaded into the cache, trying each mirror in turn, and no
download may exceed MAX_DOWNLOAD_BYTES.
Every file must match its published MD5 checksum before it is used. A download
that fails the check is thrown away and the next mirror tried; a cached copy that
fails is deleted (with a warning) and fetched again, or, if it cannot be deleted (a
read-only cache), skipped as if it were absent; a file in your own folders or in
nnlib/bundled/ that fails raises ValueError and is never touched. NNLIB_OFFLINE=1, or
download=False, forbids downloading altogether.

Without the 60,000 MNIST training images (offline, with only the bundled test
set), load_mnist() splits the 10,000 real test digits 8,000 for training and
2,000 for testing, and says so with an OfflineMNISTWarning.
"""

import functools
import gzip
import hashlib
import http.client
import os
import sys
import tempfile
import urllib.request
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnlib.checks import check_rng, check_size
from nnlib.files import atomic_write, file_digest

MNIST_MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]
SHAKESPEARE_URLS = [
    "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
]
MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    "input.txt": "6fb458f1232090904fb40fe944165e91",
}
# SHA-256 where known; downloads are checked against it as well.
SHA256 = {
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    "input.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
}
TRAIN_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"  # in a checkout and in a wheel
TIMEOUT = 15  # seconds a mirror may stay silent before we try the next one
# The largest file we download, MNIST's training images, has 9,912,422 bytes. A mirror that
# sends ten times more is sending something else, so the download stops there.
MAX_DOWNLOAD_BYTES = 100_000_000
# URLs that timed out in this process. A silent network (a classroom behind a firewall
# that drops packets) would otherwise cost TIMEOUT per mirror per file on every call.
_TIMED_OUT = set()
IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801


class OfflineMNISTWarning(UserWarning):
    """load_mnist() fell back to splitting the 10,000 test digits 8,000 / 2,000."""


class MissingDataError(FileNotFoundError):
    """A data set is neither on disk nor downloadable; the message says where to put it."""


@dataclass(repr=False)
class MNIST:
    """Images as rows X (N, 784) float32 in [0, 1], labels y (N,) np.intp in 0..9.

    source: "full" (60,000 / 10,000) or "test-split" (the test digits split 8,000 / 2,000).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str = "full"

    def __repr__(self):  # shapes, not thousands of pixel values
        shapes = ", ".join(f"{k} {getattr(self, k).shape}" for k in ("X_train", "X_test"))
        return f"MNIST(source={self.source!r}, {shapes})"


def default_cache_dir():
    """The per-user download cache folder: $XDG_CACHE_HOME/nnlib if set, else the OS's own."""
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "nnlib"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "nnlib"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "nnlib"
    return Path.home() / ".cache" / "nnlib"


def offline():
    """True when the environment variable NNLIB_OFFLINE forbids downloads (1, true, yes)."""
    return os.environ.get("NNLIB_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def search_folders(subdir, cache_dir=None):
    """The folders searched for a data set's files, in order, as (folder, kind) pairs.

    kind is "NNLIB_DATA", "bundled" (nnlib/bundled/) or "cache".
    Raises FileNotFoundError if NNLIB_DATA names a folder that does not exist, and
    NotADirectoryError if it names a file: silently skipping a misspelt folder would leave
    the reader on other data without knowing it.
    """
    folders = []
    value = os.environ.get("NNLIB_DATA", "")
    for entry in value.split(os.pathsep):
        if not entry.strip():
            continue  # "a::b" or a trailing separator: nothing to search
        folder = Path(entry.strip()).expanduser()
        if folder.is_file():
            raise NotADirectoryError(
                f"NNLIB_DATA names {folder}, which is a file, not a folder "
                f"(NNLIB_DATA={value!r}). Set NNLIB_DATA to the folder that holds the data "
                "files, or unset NNLIB_DATA to use the bundled data and the download cache."
            )
        if not folder.is_dir():
            raise FileNotFoundError(
                f"NNLIB_DATA names the folder {folder}, which does not exist "
                f"(NNLIB_DATA={value!r}). Fix the path in NNLIB_DATA, or unset NNLIB_DATA "
                "to use the bundled data and the download cache."
            )
        folders += [(folder, "NNLIB_DATA"), (folder / subdir, "NNLIB_DATA")]
    if BUNDLED_DIR.is_dir():
        folders.append((BUNDLED_DIR / subdir, "bundled"))
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folders.append((cache / subdir, "cache"))
    return folders


def find_file(name, subdir, urls, cache_dir=None, download=True, problems=None):
    """Path of a verified copy of file `name`, downloading it if allowed; None if not found.

    A .gz file may also sit uncompressed (name without .gz); that copy has no published
    checksum, so only read_idx's format checks guard it. Why downloads failed is
    appended to the list `problems`, if given. A damaged cached copy that cannot be
    deleted is skipped with a warning, as if it were absent.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    for folder, kind in search_folders(subdir, cache):
        path = folder / name
        if not path.is_file():
            if name.endswith(".gz") and (folder / name[:-3]).is_file():
                return folder / name[:-3]
            continue
        expected, actual = MD5[name], file_digest(path, "md5")
        if actual == expected:
            return path
        problem = f"{path} fails its MD5 check: expected {expected}, got {actual}"
        if kind != "cache":  # the user's file or the repository's: report, never delete
            raise ValueError(
                f"{problem}. The file is damaged or not the published one. Replace it with a "
                f"good copy (nnlib/bundled/README.md lists the checksums), or remove {name} "
                f"from {folder} so that nnlib looks for it elsewhere or downloads it."
            )
        try:
            path.unlink()
        except OSError as error:  # a read-only cache: go on as if the file were absent
            warnings.warn(
                f"{problem}, and nnlib could not delete the cached copy ({error}); ignoring it.",
                stacklevel=3,
            )
            continue
        warnings.warn(f"{problem}; deleted the cached copy to fetch it again.", stacklevel=3)
    if not download or offline():
        return None
    return _download(urls, cache / subdir / name, [] if problems is None else problems)


def _download(urls, target, problems):
    """Fetch target.name from the first of `urls` that delivers bytes with the right checksums.

    The bytes stream into atomic_write's temporary file and are hashed on the way, so a
    failed check, a dropped connection or a file larger than MAX_DOWNLOAD_BYTES removes
    the temporary file: the target never exists half-written or unverified. A cache
    folder we cannot write into is reported before any mirror is asked.
    """
    from tqdm.auto import tqdm  # imported here: inside Jupyter, tqdm.auto loads ipywidgets

    name = target.name
    try:  # can we keep what we download? Create and remove one empty file to find out.
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=".probe")
        os.close(fd)
        os.remove(probe)
    except OSError as error:
        problems.append(
            f"cannot write into the download cache {target.parent} ({error}); set "
            "XDG_CACHE_HOME, or pass cache_dir=, to a folder you can write"
        )
        return None
    too_large = f"more than the {MAX_DOWNLOAD_BYTES:,} bytes nnlib accepts for one file"
    for url in urls:
        if url in _TIMED_OUT:
            problems.append(f"{url}: timed out earlier in this session; not tried again")
            continue
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                if total is not None and total > MAX_DOWNLOAD_BYTES:
                    raise ValueError(f"the server announces {total:,} bytes, {too_large}")
                md5, sha256, n_bytes = hashlib.new("md5"), hashlib.new("sha256"), 0
                with (
                    atomic_write(target) as f,
                    tqdm(total=total, unit="B", unit_scale=True, desc=name, leave=False) as bar,
                ):
                    while chunk := response.read(1 << 16):
                        n_bytes += len(chunk)
                        if n_bytes > MAX_DOWNLOAD_BYTES:
                            raise ValueError(f"stopped after {n_bytes:,} bytes, {too_large}")
                        f.write(chunk)
                        md5.update(chunk)
                        sha256.update(chunk)
                        bar.update(len(chunk))
                    if total is not None and n_bytes != total:
                        raise ValueError(f"connection closed after {n_bytes} of {total} bytes")
                    if md5.hexdigest() != MD5[name]:
                        raise ValueError(f"MD5 {md5.hexdigest()}, expected {MD5[name]}")
                    if name in SHA256 and sha256.hexdigest() != SHA256[name]:
                        raise ValueError(f"SHA-256 {sha256.hexdigest()}, expected {SHA256[name]}")
            return target
        except (OSError, http.client.HTTPException, ValueError) as error:
            if isinstance(error, TimeoutError) or isinstance(
                getattr(error, "reason", None), TimeoutError
            ):
                _TIMED_OUT.add(url)
            problems.append(f"{url}: {error}")
    return None


def read_idx(path, magic=None):
    """Read an IDX file of unsigned bytes (gzip-compressed or not) into a uint8 array.

    Layout, big-endian: magic (0x00000803 images, 0x00000801 labels; the last byte
    is the number of dimensions), one uint32 size per dimension, then the bytes.
    magic: the value required, or None for either. Raises ValueError naming the
    file if the magic, the header or the number of bytes is wrong.
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # the gzip signature
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"{path}: damaged or truncated gzip file ({error})") from error
    if len(raw) < 4:
        raise ValueError(f"{path}: only {len(raw)} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    allowed = (IMAGES_MAGIC, LABELS_MAGIC) if magic is None else (magic,)
    if found not in allowed:
        wanted = " or ".join(f"0x{m:08x}" for m in allowed)
        raise ValueError(f"{path}: wrong magic number 0x{found:08x}, expected {wanted}")
    ndim = found & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated header ({len(raw)} bytes, need {header})")
    shape = tuple(int(n) for n in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        found = len(raw) - header
        raise ValueError(f"{path}: shape {shape} needs {expected} bytes, found {found}")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape).copy()


@functools.lru_cache(maxsize=4)
def _decode_mnist(images_path, labels_path, stamp):
    """Decoded (X, y) as read-only arrays, cached per process; stamp = file mtimes and sizes."""
    images = read_idx(images_path, IMAGES_MAGIC)  # (N, rows, cols) uint8
    labels = read_idx(labels_path, LABELS_MAGIC)  # (N,) uint8
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError(
            f"expected images (N, rows, cols) and labels (N,), got {images.shape} "
            f"in {images_path} and {labels.shape} in {labels_path}"
        )
    X = images.reshape(len(images), -1).astype(np.float32) / 255.0  # (N, 784) in [0, 1]
    y = labels.astype(np.intp)  # (N,) numpy's index type, so np.bincount takes it anywhere
    X.flags.writeable = y.flags.writeable = False
    return X, y


def _stamp(*paths):
    """Modification times and sizes: a changed file misses the in-memory cache."""
    return tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


def load_mnist(download=True, cache_dir=None):
    """Load MNIST as an MNIST record: X_train (N, 784) float32 in [0, 1], y_train (N,) np.intp, ...

    Searches NNLIB_DATA, the bundled data/ and the cache (see the module docstring),
    then downloads what is missing unless download=False or NNLIB_OFFLINE=1.
    With only the 10,000 test digits available, splits them 8,000 train / 2,000 test
    (a fixed permutation, np.random.default_rng(0)) and warns with OfflineMNISTWarning.
    The arrays are fresh copies: changing them does not change the next call's result.
    """
    problems, folders = [], search_folders("mnist", cache_dir)
    urls = {n: [mirror + n for mirror in MNIST_MIRRORS] for n in TEST_FILES + TRAIN_FILES}
    test = [find_file(n, "mnist", urls[n], cache_dir, download, problems) for n in TEST_FILES]
    train = [find_file(n, "mnist", urls[n], cache_dir, download, problems) for n in TRAIN_FILES]
    if None not in train and None not in test:
        X_train, y_train = _decode_mnist(*map(str, train), _stamp(*train))
        X_test, y_test = _decode_mnist(*map(str, test), _stamp(*test))
        return MNIST(X_train.copy(), y_train.copy(), X_test.copy(), y_test.copy(), "full")
    if None in test:
        hint = " The two t10k files alone suffice for the offline 8,000 / 2,000 split."
        raise MissingDataError(
            _missing(folders, download, problems, TEST_FILES + TRAIN_FILES, hint)
        )
    X, y = _decode_mnist(*map(str, test), _stamp(*test))
    order = np.random.default_rng(0).permutation(len(X))  # fixed seed: same split everywhere
    n_train = int(0.8 * len(X))  # 8,000 of the 10,000 test digits
    i_train, i_test = order[:n_train], order[n_train:]
    message = (
        f"MNIST training images unavailable, so load_mnist() split the {len(X):,} real "
        f"test digits into {n_train:,} for training and {len(X) - n_train:,} for testing. "
        f"For the full 60,000, put {' and '.join(TRAIN_FILES)} into {folders[-1][0]} "
        "(or a folder named by NNLIB_DATA), or connect to the internet and run again."
    )
    warnings.warn(message, OfflineMNISTWarning, stacklevel=2)
    return MNIST(X[i_train], y[i_train], X[i_test], y[i_test], "test-split")


def _missing(folders, download, problems, names, hint=""):
    """The MissingDataError message: which files, into which folders, or go online."""
    searched = "\n".join(f"  {folder}  ({kind})" for folder, kind in folders)
    if not download or offline():
        how = "Downloading is off (download=False or NNLIB_OFFLINE=1)."
    else:
        how = "Downloading failed:\n" + "\n".join(f"  {p}" for p in problems[-6:])
    return (
        f"Data files not found. Searched these folders, in order:\n{searched}\n{how}\n"
        f"Put {', '.join(names)} into one of them (for example {folders[-1][0]}), or set "
        f"NNLIB_DATA to the folder that holds them, or connect to the internet.{hint}"
    )


def load_shakespeare(download=True, cache_dir=None):
    """The tiny Shakespeare text (1,115,394 characters) as one str.

    Same search, download and checksum rules as load_mnist.
    """
    problems, folders = [], search_folders("tinyshakespeare", cache_dir)
    path = find_file(
        "input.txt", "tinyshakespeare", SHAKESPEARE_URLS, cache_dir, download, problems
    )
    if path is None:
        raise MissingDataError(_missing(folders, download, problems, ["input.txt"]))
    return path.read_text(encoding="utf-8")


def minibatches(X, y, batch_size, rng, shuffle=True, drop_last=False):
    """Yield (X_batch, y_batch) pairs that together cover one epoch of (X, y).

    X: (N, ...), y: (N, ...) -> batches of batch_size rows (the last may be smaller
    unless drop_last). With shuffle, rng (a np.random.Generator) permutes the rows
    afresh each epoch, so each step sees a different random sample, as SGD assumes.
    The arguments are checked at the call, not at the first batch, so a mistake shows
    on the line that made it.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            f"minibatches expects X and y with the same number of rows, "
            f"got X of shape {X.shape} and y of shape {y.shape}"
        )
    check_size(batch_size, "batch_size", "minibatches")
    if shuffle:
        check_rng(rng, "minibatches")
    return _batches(X, y, batch_size, rng if shuffle else None, drop_last)


def _batches(X, y, batch_size, rng, drop_last):
    """The generator behind minibatches; rng None keeps the rows in order."""
    order = rng.permutation(len(X)) if rng is not None else np.arange(len(X))  # (N,)
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]  # (batch_size,)
        yield X[idx], y[idx]


def get_batch(data, block_size, batch_size, rng):
    """Random training windows of a token sequence, as nanoGPT draws them.

    x[b] = data[i : i + T] and y[b] = data[i + 1 : i + T + 1] for a random start i,
    so y[b, t] is the next token after x[b, t]: the target the model must predict.
    data: (N,) ints -> x, y: (B, T) int64 with B = batch_size, T = block_size.
    Raises ValueError for sizes that are not whole numbers >= 1 and for data that is not
    a 1-D array of integer ids, TypeError if rng is not a np.random.Generator.
    """
    check_size(block_size, "block_size", "get_batch")
    check_size(batch_size, "batch_size", "get_batch")
    check_rng(rng, "get_batch")
    hint = "; encode the text first, ids = tokenizer.encode(text)" if isinstance(data, str) else ""
    data = np.asarray(data)
    if data.ndim != 1:
        raise ValueError(f"get_batch expects a 1-D token array, got shape {data.shape}{hint}")
    if len(data) < block_size + 1:
        raise ValueError(
            f"get_batch needs at least block_size + 1 = {block_size + 1} tokens, got {len(data)}"
        )
    if data.dtype.kind not in "iu":  # astype(int64) below would silently truncate floats
        raise ValueError(
            f"get_batch expects integer token ids, got dtype {data.dtype}: "
            "make them with a tokenizer, ids = tokenizer.encode(text)"
        )
    i = rng.integers(0, len(data) - block_size, size=batch_size)  # (B,) window starts
    idx = i[:, None] + np.arange(block_size)  # (B, 1) + (T,) -> (B, T)
    return data[idx].astype(np.int64), data[idx + 1].astype(np.int64)


def train_val_split(data, val_fraction=0.1):
    """Split a sequence in time: the first 1 - val_fraction for training, the rest for validation.

    No shuffling: for text, a contiguous held-out tail tests the model on passages it never saw.
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must lie strictly between 0 and 1, got {val_fraction}")
    n = int(len(data) * (1 - val_fraction))
    return data[:n], data[n:]
