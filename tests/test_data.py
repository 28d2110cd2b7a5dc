"""Tests for nnlib.data: IDX reading, the find/verify/download logic, and batching.

No test touches the internet: downloads come from a local http.server on 127.0.0.1,
and an autouse fixture makes any other URL fail the test.
"""

import gzip
import hashlib
import http.server
import os
import tempfile
import threading
import time
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import pytest

from nnlib import data

TEST_IMAGES, TEST_LABELS = data.TEST_FILES
TRAIN_IMAGES, TRAIN_LABELS = data.TRAIN_FILES


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def write_idx(path, array, gz=True):
    """Write a uint8 array in the IDX format: magic, one big-endian uint32 per dim, bytes."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    raw = header + array.tobytes()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(raw, mtime=0) if gz else raw)
    return path


def make_mnist(folder, n, names, seed=0):
    """Write n random 28x28 digits and labels as IDX .gz files; register their MD5s."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    write_idx(Path(folder) / names[0], images)
    write_idx(Path(folder) / names[1], labels)
    for name in names:
        data.MD5[name] = md5(Path(folder) / name)
    return images, labels


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No user folders, no bundled data, empty tables, and only loopback URLs allowed."""
    monkeypatch.delenv("NNLIB_DATA", raising=False)
    monkeypatch.delenv("NNLIB_OFFLINE", raising=False)
    monkeypatch.setattr(data, "BUNDLED_DIR", tmp_path / "no-bundled-data")
    monkeypatch.setattr(data, "MD5", {})
    monkeypatch.setattr(data, "SHA256", {})
    monkeypatch.setattr(data, "MNIST_MIRRORS", [])
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [])
    monkeypatch.setattr(data, "TIMEOUT", 5)
    monkeypatch.setattr(data, "_TIMED_OUT", set())
    real_urlopen = urllib.request.urlopen

    def loopback_only(url, *args, **kwargs):
        assert url.startswith("http://127.0.0.1:"), f"test tried to reach {url}"
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", loopback_only)
    data._decode_mnist.cache_clear()


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves files under server.root; paths under /dies/ stop after half the bytes,
    paths under /stalls/ answer only after 1.5 s (a network that silently drops packets),
    and paths under /nolength/ send no Content-Length (the body ends when the connection does)."""

    def do_GET(self):
        self.server.requests.append(self.path)
        dies = self.path.startswith("/dies/")
        if self.path.startswith("/stalls/"):
            time.sleep(1.5)
            return
        nolength = self.path.startswith("/nolength/")
        name = self.path.removeprefix("/dies/").removeprefix("/nolength/").lstrip("/")
        path = self.server.root / name
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        if not nolength:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if dies else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """A thread serving tmp_path/www at http://127.0.0.1:PORT/ ; yields (base url, server)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.root, httpd.requests = tmp_path / "www", []
    httpd.root.mkdir()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", httpd
    httpd.shutdown()
    httpd.server_close()


def leftovers(folder):
    return sorted(p.name for p in Path(folder).rglob("*") if p.is_file())


# IDX reading


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_round_trip(tmp_path, gz):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7, dtype=np.uint8)
    got = data.read_idx(write_idx(tmp_path / "images", images, gz), data.IMAGES_MAGIC)
    assert got.dtype == np.uint8 and got.shape == (7, 28, 28)
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(data.read_idx(write_idx(tmp_path / "labels", labels, gz)), labels)


def test_read_idx_truncated_data_names_the_file(tmp_path):
    path = write_idx(tmp_path / "short-images", np.zeros((5, 28, 28)), gz=False)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(
        ValueError, match=r"short-images.*\(5, 28, 28\) needs 3920 bytes, found 3820"
    ):
        data.read_idx(path)


def test_read_idx_truncated_gzip_names_the_file(tmp_path):
    path = write_idx(tmp_path / "cut.gz", np.zeros((50, 28, 28)))
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(ValueError, match=r"cut\.gz: damaged or truncated gzip"):
        data.read_idx(path)


def test_read_idx_wrong_magic(tmp_path):
    foreign = tmp_path / "foreign.gz"
    foreign.write_bytes(gzip.compress(b"PK\x03\x04 not an IDX file at all"))
    with pytest.raises(ValueError, match=r"foreign\.gz: wrong magic number 0x504b0304"):
        data.read_idx(foreign)
    labels = write_idx(tmp_path / "labels", np.arange(10))
    with pytest.raises(ValueError, match=r"labels: wrong magic .*0x00000801, expected 0x00000803"):
        data.read_idx(labels, data.IMAGES_MAGIC)


# finding and verifying files


def test_user_file_with_wrong_checksum_raises_and_is_kept(tmp_path, monkeypatch):
    user = tmp_path / "user"
    make_mnist(user / "mnist", 20, data.TEST_FILES)
    data.MD5[TEST_IMAGES] = "0" * 32
    monkeypatch.setenv("NNLIB_DATA", str(user))
    actual = md5(user / "mnist" / TEST_IMAGES)
    with pytest.raises(ValueError, match=rf"{TEST_IMAGES}.*expected 0{{32}}, got {actual}"):
        data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert (user / "mnist" / TEST_IMAGES).is_file()


def test_wrong_checksum_says_what_to_do(tmp_path, monkeypatch):
    user = tmp_path / "user"
    (user / "tinyshakespeare").mkdir(parents=True)
    (user / "tinyshakespeare" / "input.txt").write_text("To be, or not to bee")
    data.MD5["input.txt"] = "0" * 32
    monkeypatch.setenv("NNLIB_DATA", str(user))
    with pytest.raises(ValueError) as error:
        data.load_shakespeare(download=False, cache_dir=tmp_path / "cache")
    message = str(error.value)
    assert "Replace it with a good copy" in message
    assert f"remove input.txt from {user / 'tinyshakespeare'}" in message


@pytest.mark.parametrize("typo", ["does-not-exist", "~/no-such-nnlib-data-folder"])
def test_nnlib_data_folder_that_does_not_exist_is_an_error(tmp_path, monkeypatch, typo):
    make_mnist(tmp_path / "user", 20, data.TEST_FILES)
    missing = tmp_path / typo if not typo.startswith("~") else Path(typo).expanduser()
    monkeypatch.setenv("NNLIB_DATA", os.pathsep.join([str(tmp_path / "user"), str(missing)]))
    for load in (data.load_mnist, data.load_shakespeare):
        with pytest.raises(FileNotFoundError) as error:
            load(download=False, cache_dir=tmp_path / "cache")
        message = str(error.value)
        assert not isinstance(error.value, data.MissingDataError)  # not "go download it"
        assert f"NNLIB_DATA names the folder {missing}, which does not exist" in message
        assert "Fix the path in NNLIB_DATA, or unset NNLIB_DATA" in message


def test_nnlib_data_naming_a_file_is_an_error(tmp_path, monkeypatch):
    make_mnist(tmp_path / "user", 20, data.TEST_FILES)
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "user" / TEST_IMAGES))  # the file itself
    with pytest.raises(NotADirectoryError, match=rf"{TEST_IMAGES}, which is a file, not a folder"):
        data.load_mnist(download=False, cache_dir=tmp_path / "cache")


def test_nnlib_data_may_hold_empty_entries(tmp_path, monkeypatch):
    make_mnist(tmp_path / "user", 20, data.TEST_FILES)
    entries = ["", str(tmp_path / "user"), " ", ""]
    monkeypatch.setenv("NNLIB_DATA", os.pathsep.join(entries))
    with pytest.warns(data.OfflineMNISTWarning):
        mnist = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert mnist.X_test.shape == (4, 784)  # 20 digits found in the one real entry


def read_only(monkeypatch, folder):
    """Make `folder` behave as on a read-only disk: no file in it can be deleted or created.

    Patched rather than chmod-ed, so that the test means the same when run as root.
    """
    folder = Path(folder).resolve()
    real_unlink, real_mkstemp = Path.unlink, tempfile.mkstemp

    def unlink(self, *args, **kwargs):
        if folder in self.resolve().parents:
            raise PermissionError(13, "Read-only file system", str(self))
        return real_unlink(self, *args, **kwargs)

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and folder in (Path(dir).resolve(), *Path(dir).resolve().parents):
            raise PermissionError(13, "Read-only file system", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_corrupt_file_in_read_only_cache_is_skipped_with_a_warning(tmp_path, monkeypatch):
    bundled = tmp_path / "repo-data"
    monkeypatch.setattr(data, "BUNDLED_DIR", bundled)
    make_mnist(bundled / "mnist", 20, data.TEST_FILES)
    cache = tmp_path / "cache"
    make_mnist(cache / "mnist", 30, data.TRAIN_FILES, seed=1)
    data.MD5[TRAIN_IMAGES] = "0" * 32  # the cached copy no longer matches
    read_only(monkeypatch, cache)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mnist = data.load_mnist(download=False, cache_dir=cache)
    assert mnist.source == "test-split"  # went on as if the training files were absent
    messages = [str(w.message) for w in caught]
    assert any("could not delete" in m and TRAIN_IMAGES in m for m in messages), messages
    assert (cache / "mnist" / TRAIN_IMAGES).is_file()


def serve_shakespeare_beside_a_garbled_cache(tmp_path, monkeypatch, server):
    """The local server offers a good input.txt; the cache holds a damaged one. -> (httpd, path)"""
    base, httpd = server
    (httpd.root / "input.txt").write_text("Now is the winter of our discontent")
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + "input.txt"])
    cached = tmp_path / "cache" / "tinyshakespeare" / "input.txt"
    cached.parent.mkdir(parents=True)
    cached.write_text("garbled")
    return httpd, cached


def test_corrupt_file_in_read_only_cache_and_no_other_copy(tmp_path, monkeypatch, server):
    httpd, cached = serve_shakespeare_beside_a_garbled_cache(tmp_path, monkeypatch, server)
    read_only(monkeypatch, tmp_path / "cache")
    with pytest.warns(UserWarning, match="could not delete"):
        with pytest.raises(data.MissingDataError) as error:
            data.load_shakespeare(cache_dir=tmp_path / "cache")
    message = str(error.value)
    assert f"cannot write into the download cache {cached.parent}" in message
    assert "XDG_CACHE_HOME" in message and "cache_dir" in message
    assert httpd.requests == []  # nothing downloaded that could not be kept
    assert cached.read_text() == "garbled"


def test_undeletable_corrupt_cached_file_is_replaced_by_a_download(tmp_path, monkeypatch, server):
    httpd, cached = serve_shakespeare_beside_a_garbled_cache(tmp_path, monkeypatch, server)
    real_unlink = Path.unlink

    def unlink(self, *args, **kwargs):  # only this one file resists deletion
        if self == cached:
            raise PermissionError(13, "Operation not permitted", str(self))
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.warns(UserWarning, match="could not delete"):
        text = data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert text == "Now is the winter of our discontent" == cached.read_text()


def test_bundled_and_cache_folders_are_searched(tmp_path, monkeypatch):
    bundled = tmp_path / "repo-data"
    monkeypatch.setattr(data, "BUNDLED_DIR", bundled)
    make_mnist(bundled / "mnist", 20, data.TEST_FILES)
    make_mnist(tmp_path / "cache" / "mnist", 30, data.TRAIN_FILES, seed=1)
    mnist = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert mnist.source == "full" and mnist.X_train.shape == (30, 784)
    assert mnist.X_test.shape == (20, 784)


def test_uncompressed_files_are_accepted(tmp_path, monkeypatch):
    images, labels = make_mnist(tmp_path / "user", 20, data.TEST_FILES)
    (tmp_path / "elsewhere").mkdir()  # an NNLIB_DATA folder without the files is fine
    for name in data.TEST_FILES:  # replace each .gz by its uncompressed twin
        gz = tmp_path / "user" / name
        gz.with_suffix("").write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()
    monkeypatch.setenv(
        "NNLIB_DATA", os.pathsep.join([str(tmp_path / "elsewhere"), str(tmp_path / "user")])
    )
    with pytest.warns(data.OfflineMNISTWarning):
        mnist = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert np.isin(mnist.y_test, labels).all() and mnist.X_train.shape == (16, 784)


def test_offline_fallback_splits_test_set_with_one_warning(tmp_path, monkeypatch):
    images, labels = make_mnist(tmp_path / "user" / "mnist", 50, data.TEST_FILES)
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "user"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mnist = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert len(caught) == 1 and issubclass(caught[0].category, data.OfflineMNISTWarning)
    assert TRAIN_IMAGES in str(caught[0].message) and str(tmp_path / "cache") in str(
        caught[0].message
    )
    assert mnist.source == "test-split"
    assert mnist.X_train.shape == (40, 784) and mnist.X_test.shape == (10, 784)
    assert mnist.X_train.dtype == np.float32 and mnist.y_train.dtype == np.intp
    order = np.random.default_rng(0).permutation(50)  # the documented, fixed split
    X = images.reshape(50, 784).astype(np.float32) / 255
    np.testing.assert_array_equal(mnist.X_train, X[order[:40]])
    np.testing.assert_array_equal(mnist.y_test, labels[order[40:]])


def test_repeated_loads_are_equal_and_independent(tmp_path, monkeypatch):
    make_mnist(tmp_path / "user", 20, data.TEST_FILES)
    make_mnist(tmp_path / "user", 30, data.TRAIN_FILES, seed=1)
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "user"))
    first = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    first.X_train[:] = -1.0  # a caller scribbling on its arrays must not reach the cache
    first.y_test[:] = 99
    second = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert second.X_train.min() >= 0.0 and second.y_test.max() <= 9
    assert data._decode_mnist.cache_info().hits >= 2


def test_nothing_available_names_files_and_folders(tmp_path, monkeypatch):
    (tmp_path / "user").mkdir()  # it exists, but holds nothing
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "user"))
    with pytest.raises(data.MissingDataError) as error:
        data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert isinstance(error.value, FileNotFoundError)
    message = str(error.value)
    for name in data.TEST_FILES + data.TRAIN_FILES:
        assert name in message
    for folder in (tmp_path / "user", tmp_path / "user" / "mnist", tmp_path / "cache" / "mnist"):
        assert f"  {folder}  " in message
    assert "internet" in message
    with pytest.raises(FileNotFoundError, match="input.txt"):
        data.load_shakespeare(download=False, cache_dir=tmp_path / "cache")


def test_nnlib_offline_never_opens_a_url(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("urlopen called although NNLIB_OFFLINE=1")

    monkeypatch.setattr(urllib.request, "urlopen", fail)
    monkeypatch.setattr(data, "MNIST_MIRRORS", ["http://127.0.0.1:9/"])
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", ["http://127.0.0.1:9/input.txt"])
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    with pytest.raises(data.MissingDataError, match="Downloading is off"):
        data.load_mnist(cache_dir=tmp_path / "cache")
    with pytest.raises(data.MissingDataError, match="Downloading is off"):
        data.load_shakespeare(cache_dir=tmp_path / "cache")


# downloading from a local server


def test_download_with_failing_first_mirror(tmp_path, monkeypatch, server):
    base, httpd = server
    images, labels = make_mnist(httpd.root / "good", 30, data.TRAIN_FILES)
    make_mnist(httpd.root / "good", 20, data.TEST_FILES, seed=1)
    monkeypatch.setattr(data, "MNIST_MIRRORS", [base + "missing/", base + "good/"])
    mnist = data.load_mnist(cache_dir=tmp_path / "cache")
    assert mnist.source == "full"
    np.testing.assert_array_equal(mnist.y_train, labels)
    assert leftovers(tmp_path / "cache") == sorted(data.TEST_FILES + data.TRAIN_FILES)
    assert (
        f"/missing/{TRAIN_IMAGES}" in httpd.requests and f"/good/{TRAIN_IMAGES}" in httpd.requests
    )
    httpd.requests.clear()  # a second call finds everything in the cache
    data.load_mnist(cache_dir=tmp_path / "cache")
    assert httpd.requests == []


def test_a_mirror_that_times_out_is_not_tried_again_in_this_session(tmp_path, monkeypatch, server):
    """A silent network must not cost a timeout per mirror per file on every call."""
    base, httpd = server
    make_mnist(httpd.root / "good", 20, data.TEST_FILES, seed=1)  # no training files anywhere
    monkeypatch.setattr(data, "TIMEOUT", 0.3)
    monkeypatch.setattr(data, "MNIST_MIRRORS", [base + "stalls/", base + "good/"])
    with pytest.warns(data.OfflineMNISTWarning):
        assert data.load_mnist(cache_dir=tmp_path / "cache").source == "test-split"
    assert f"/stalls/{TRAIN_IMAGES}" in httpd.requests
    assert f"/good/{TRAIN_IMAGES}" in httpd.requests  # the next mirror is still tried
    httpd.requests.clear()
    with pytest.warns(data.OfflineMNISTWarning):
        data.load_mnist(cache_dir=tmp_path / "cache")
    assert not any(r.startswith("/stalls/") for r in httpd.requests)


def test_download_with_bad_checksum_is_deleted_and_next_mirror_used(tmp_path, monkeypatch, server):
    base, httpd = server
    (httpd.root / "good").mkdir()
    (httpd.root / "good" / "input.txt").write_text("To be, or not to be")
    (httpd.root / "bad").mkdir()
    (httpd.root / "bad" / "input.txt").write_text("To be, or not to bee")
    data.MD5["input.txt"] = md5(httpd.root / "good" / "input.txt")
    urls = [base + "bad/input.txt", base + "good/input.txt"]
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", urls)
    assert data.load_shakespeare(cache_dir=tmp_path / "cache") == "To be, or not to be"
    assert httpd.requests == ["/bad/input.txt", "/good/input.txt"]
    assert leftovers(tmp_path / "cache") == ["input.txt"]  # no trace of the bad download
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", urls[:1])  # only the bad mirror left
    (tmp_path / "cache" / "tinyshakespeare" / "input.txt").unlink()
    with pytest.raises(data.MissingDataError, match=r"bad/input.txt: MD5 \w+, expected"):
        data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert leftovers(tmp_path / "cache") == []


def test_download_checks_sha256_too(tmp_path, monkeypatch, server):
    base, httpd = server
    (httpd.root / "input.txt").write_text("Friends, Romans, countrymen")
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    data.SHA256["input.txt"] = "f" * 64
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + "input.txt"])
    with pytest.raises(data.MissingDataError, match="SHA-256"):
        data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert leftovers(tmp_path / "cache") == []


def test_corrupt_cached_file_is_deleted_with_warning_and_refetched(tmp_path, monkeypatch, server):
    base, httpd = server
    (httpd.root / "input.txt").write_text("Now is the winter of our discontent")
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    cached = tmp_path / "cache" / "tinyshakespeare" / "input.txt"
    cached.parent.mkdir(parents=True)
    cached.write_text("Now is the winter of our discontent, garbled")
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + "input.txt"])
    with pytest.warns(UserWarning, match="fails its MD5 check"):
        text = data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert text == "Now is the winter of our discontent" == cached.read_text()


def test_download_dying_midway_leaves_no_partial_file(tmp_path, monkeypatch, server):
    base, httpd = server
    (httpd.root / "input.txt").write_bytes(b"x" * 200_000)
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + "dies/input.txt"])
    with pytest.raises(data.MissingDataError, match="connection closed after 100000 of 200000"):
        data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert leftovers(tmp_path / "cache") == []  # neither input.txt nor a .part file


@pytest.mark.parametrize("prefix", ["", "nolength/"], ids=["announced", "streamed"])
def test_download_larger_than_the_limit_is_stopped(tmp_path, monkeypatch, server, prefix):
    base, httpd = server
    (httpd.root / "input.txt").write_bytes(b"x" * 200_000)
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    monkeypatch.setattr(data, "MAX_DOWNLOAD_BYTES", 100_000)
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + prefix + "input.txt"])
    with pytest.raises(data.MissingDataError, match="more than the 100,000 bytes"):
        data.load_shakespeare(cache_dir=tmp_path / "cache")
    assert leftovers(tmp_path / "cache") == []  # neither input.txt nor a .part file


def test_download_limit_is_generous_and_a_stream_below_it_is_kept(tmp_path, monkeypatch, server):
    assert data.MAX_DOWNLOAD_BYTES >= 10 * 9_912_422  # ten times the largest file, MNIST's
    base, httpd = server
    (httpd.root / "input.txt").write_bytes(b"y" * 50_000)
    data.MD5["input.txt"] = md5(httpd.root / "input.txt")
    monkeypatch.setattr(data, "MAX_DOWNLOAD_BYTES", 100_000)
    monkeypatch.setattr(data, "SHAKESPEARE_URLS", [base + "nolength/input.txt"])
    assert data.load_shakespeare(cache_dir=tmp_path / "cache") == "y" * 50_000


# the real data


def test_real_mnist_test_set_offline(tmp_path, monkeypatch):
    # The repository bundles these two files in nnlib/bundled/: the test reads them there.
    bundled = Path(data.__file__).resolve().parent / "bundled"
    assert (bundled / "mnist" / TEST_IMAGES).is_file(), "nnlib/bundled/mnist is missing"
    monkeypatch.setattr(data, "BUNDLED_DIR", bundled)
    monkeypatch.setattr(
        data,
        "MD5",
        {
            TEST_IMAGES: "9fb629c4189551a2d022fa330f9573f3",
            TEST_LABELS: "ec29112dd5afa0611ce80d1b7f02629c",
        },
    )
    with pytest.warns(data.OfflineMNISTWarning, match="8,000 for training and 2,000 for testing"):
        mnist = data.load_mnist(download=False, cache_dir=tmp_path / "cache")
    assert mnist.source == "test-split"
    assert mnist.X_train.shape == (8000, 784) and mnist.X_test.shape == (2000, 784)
    assert mnist.X_train.dtype == np.float32 and mnist.y_train.dtype == np.intp
    assert mnist.X_train.min() == 0.0 and mnist.X_train.max() == 1.0
    counts = np.bincount(np.concatenate([mnist.y_train, mnist.y_test]), minlength=10)
    assert counts.shape == (10,) and counts.sum() == 10_000 and counts.min() > 800


# batching


def test_minibatches_cover_every_row_once():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    batches = list(data.minibatches(X, y, 4, np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen) == list(range(10)) and not np.array_equal(seen, np.arange(10))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], 2 * yb)  # rows stay paired with labels
    kept = list(data.minibatches(X, y, 4, None, shuffle=False, drop_last=True))
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in kept]), np.arange(8))


def test_minibatches_length_mismatch():
    with pytest.raises(ValueError, match=r"X of shape \(10, 2\) and y of shape \(9,\)"):
        next(data.minibatches(np.zeros((10, 2)), np.zeros(9), 4, np.random.default_rng(0)))


def test_get_batch_windows_and_next_token_targets():
    tokens = np.arange(100, 200)
    x, y = data.get_batch(tokens, 8, 5, np.random.default_rng(0))
    assert x.shape == y.shape == (5, 8) and x.dtype == y.dtype == np.int64
    np.testing.assert_array_equal(y, x + 1)  # y is x shifted by one token
    np.testing.assert_array_equal(np.diff(x, axis=1), 1)  # each row is a contiguous window
    assert x.min() >= 100 and y.max() <= 199
    x2, _ = data.get_batch(tokens, 8, 5, np.random.default_rng(0))
    np.testing.assert_array_equal(x, x2)
    x, y = data.get_batch(np.arange(9), 8, 3, np.random.default_rng(1))  # exactly T + 1 tokens
    np.testing.assert_array_equal(x, np.tile(np.arange(8), (3, 1)))


def test_get_batch_errors():
    with pytest.raises(ValueError, match="at least block_size \\+ 1 = 9 tokens, got 8"):
        data.get_batch(np.arange(8), 8, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"1-D token array, got shape \(2, 50\)"):
        data.get_batch(np.zeros((2, 50), dtype=int), 8, 2, np.random.default_rng(0))


@pytest.mark.parametrize("bad", [0, -3, 2.5, "8", True, None])
def test_get_batch_sizes_must_be_whole_numbers(bad):
    tokens, rng = np.arange(100), np.random.default_rng(0)
    with pytest.raises(ValueError, match=rf"block_size must be a whole number >= 1, got {bad!r}"):
        data.get_batch(tokens, bad, 4, rng)
    with pytest.raises(ValueError, match=rf"batch_size must be a whole number >= 1, got {bad!r}"):
        data.get_batch(tokens, 8, bad, rng)


def test_get_batch_accepts_numpy_integers():
    x, y = data.get_batch(np.arange(100), np.int64(8), np.int32(3), np.random.default_rng(0))
    assert x.shape == y.shape == (3, 8)


def test_get_batch_needs_integer_token_ids():
    with pytest.raises(ValueError, match=r"integer token ids, got dtype float64.*tokenizer"):
        data.get_batch(np.linspace(0, 1, 50), 8, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"1-D token array.*encode the text"):
        data.get_batch("To be, or not to be", 4, 2, np.random.default_rng(0))


@pytest.mark.parametrize("rng", [0, None, np.random.RandomState(0)])
def test_get_batch_and_minibatches_need_a_generator(rng):
    with pytest.raises(TypeError, match=r"get_batch needs rng.*np\.random\.default_rng\(seed\)"):
        data.get_batch(np.arange(100), 8, 2, rng)
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(TypeError, match=r"minibatches needs rng.*np\.random\.default_rng"):
        data.minibatches(X, y, 4, rng)  # raised at the call, before the first batch


@pytest.mark.parametrize("bad", [0, -1, 2.5, "4", True])
def test_minibatches_batch_size_must_be_a_whole_number(bad):
    X, y, rng = np.zeros((10, 2)), np.zeros(10), np.random.default_rng(0)
    with pytest.raises(ValueError, match=rf"batch_size must be a whole number >= 1, got {bad!r}"):
        data.minibatches(X, y, bad, rng)


def test_train_val_split():
    train, val = data.train_val_split(np.arange(1000))
    np.testing.assert_array_equal(train, np.arange(900))
    np.testing.assert_array_equal(val, np.arange(900, 1000))
    with pytest.raises(ValueError, match="val_fraction"):
        data.train_val_split(np.arange(10), 1.0)
