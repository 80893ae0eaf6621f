# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Downloads against a real HTTP server on 127.0.0.1 (nothing mocked)."""

import hashlib
import io
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from keras_core.src import downloads
from keras_core.src import presets
from keras_core.src.testing.hub_server import LocalHubServer

CONTENT = bytes(range(256)) * 400  # 100 kB
SHA256 = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with LocalHubServer() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


def _gets(hub, fragment):
    return [r for r in hub.requests if r["method"] == "GET" and fragment in r["path"]]


# ----------------------------------------------------------------- https files


def test_url_first_download_then_cache_hit_without_request(server, tmp_path):
    url = server.add_url_file("w.h5", CONTENT)
    path = downloads.resolve_file(url, file_hash=SHA256)
    assert path == str(tmp_path / "keras_home" / "models" / "w.h5")
    assert open(path, "rb").read() == CONTENT
    before = len(server.requests)
    assert downloads.resolve_file(url, file_hash=SHA256) == path
    assert len(server.requests) == before  # no request at all


def test_url_md5_as_keras_applications_publishes_it(server):
    url = server.add_url_file("w.h5", CONTENT)
    path = downloads.resolve_file(url, file_hash=hashlib.md5(CONTENT).hexdigest())
    assert open(path, "rb").read() == CONTENT


def test_url_sha256_prefix_as_torchvision_names_its_files(server, tmp_path):
    url = server.add_url_file(f"model-{SHA256[:8]}.pth", CONTENT)
    path = downloads.resolve_file(url, file_hash=SHA256[:8])
    assert open(path, "rb").read() == CONTENT
    before = len(server.requests)
    assert downloads.resolve_file(url, file_hash=SHA256[:8]) == path
    assert len(server.requests) == before
    # A wrong prefix is a mismatch: nothing kept, actual full hash reported.
    other = server.add_url_file("other-00000000.pth", CONTENT)
    with pytest.raises(ValueError, match=f"its sha256 is {SHA256}, expected 00000000"):
        downloads.resolve_file(other, file_hash="00000000")
    assert not os.path.exists(tmp_path / "keras_home" / "models" / "other-00000000.pth")
    with pytest.raises(ValueError, match="prefix of at least 8 characters"):
        downloads.resolve_file(url, file_hash="eeacb3")


def test_url_hash_mismatch_names_file_expected_and_actual(server, tmp_path):
    url = server.add_url_file("w.h5", CONTENT)
    server.corrupt("/files/w.h5")
    with pytest.raises(ValueError) as info:
        downloads.resolve_file(url, file_hash=SHA256)
    message = str(info.value)
    altered = bytes([CONTENT[0] ^ 0xFF]) + CONTENT[1:]
    assert "'w.h5'" in message and SHA256 in message
    assert hashlib.sha256(altered).hexdigest() in message
    assert os.listdir(tmp_path / "keras_home" / "models") == [
        "w.h5.lock"
    ]  # no data kept


def test_interrupted_download_leaves_no_complete_looking_file_and_resumes(
    server, tmp_path
):
    url = server.add_url_file("w.h5", CONTENT)
    server.cut_after("/files/w.h5", 30000)
    with pytest.raises(ConnectionError, match="interrupted"):
        downloads.resolve_file(url, file_hash=SHA256)
    cache = tmp_path / "keras_home" / "models"
    assert sorted(os.listdir(cache)) == ["w.h5.lock", "w.h5.part"]
    assert (cache / "w.h5.part").stat().st_size == 30000
    path = downloads.resolve_file(url, file_hash=SHA256)
    assert open(path, "rb").read() == CONTENT
    assert _gets(server, "/files/w.h5")[-1]["headers"]["range"] == "bytes=30000-"
    assert sorted(os.listdir(cache)) == ["w.h5", "w.h5.lock"]


def test_resume_restarts_when_the_server_ignores_range(server):
    url = server.add_url_file("w.h5", CONTENT)
    server.cut_after("/files/w.h5", 1000)
    with pytest.raises(ConnectionError):
        downloads.resolve_file(url, file_hash=SHA256)
    server.ignore_range()
    path = downloads.resolve_file(url, file_hash=SHA256)
    assert open(path, "rb").read() == CONTENT


@pytest.mark.large  # a fresh interpreter imports TensorFlow (~20 s)
def test_killed_download_process_leaves_only_a_part_file(server, tmp_path):
    url = server.add_url_file("big.h5", CONTENT)
    server.stall_after("/files/big.h5", 30000)  # the process is killed mid-way
    script = textwrap.dedent(
        f"""
        import os, signal, threading
        from keras_core.src import downloads
        part = {str(tmp_path / "keras_home" / "models" / "big.h5.part")!r}
        def kill():
            while not (os.path.exists(part) and os.path.getsize(part) > 0):
                pass
            os.kill(os.getpid(), signal.SIGKILL)
        threading.Thread(target=kill, daemon=True).start()
        downloads.resolve_file({url!r})
        """
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run([sys.executable, "-c", script], env=env, timeout=60)
    assert result.returncode == -9
    assert sorted(os.listdir(tmp_path / "keras_home" / "models")) == [
        "big.h5.lock",
        "big.h5.part",
    ]


def test_concurrent_downloads_of_one_file_do_not_mix(server):
    import threading

    url = server.add_url_file("w.h5", CONTENT * 10)
    expected = hashlib.sha256(CONTENT * 10).hexdigest()
    results, errors = [], []

    def fetch():
        try:
            results.append(downloads.resolve_file(url, file_hash=expected))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert len(_gets(server, "/files/w.h5")) == 1


def test_url_missing_on_server_is_a_clear_error(server):
    with pytest.raises(ValueError, match=r"does not exist on the server \(HTTP 404\)"):
        downloads.resolve_file(server.url + "/files/nope.h5", file_hash=SHA256)


def test_url_offline_with_and_without_cache(server, tmp_path, monkeypatch):
    url = server.add_url_file("w.h5", CONTENT)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(FileNotFoundError) as info:
        downloads.resolve_file(url, file_hash=SHA256)
    target = str(tmp_path / "keras_home" / "models" / "w.h5")
    assert url in str(info.value) and target in str(info.value)
    assert SHA256 in str(info.value)
    os.makedirs(os.path.dirname(target))
    with open(target, "wb") as f:  # what the message asks for
        f.write(CONTENT)
    assert downloads.resolve_file(url, file_hash=SHA256) == target
    assert server.requests == []


def test_foreign_cached_file_with_wrong_hash_is_not_deleted(server, tmp_path):
    url = server.add_url_file("w.h5", CONTENT)
    target = tmp_path / "keras_home" / "models" / "w.h5"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's file")
    with pytest.raises(ValueError, match="delete it to download the file again"):
        downloads.resolve_file(url, file_hash=SHA256)
    assert target.read_bytes() == b"someone else's file"


def test_unreachable_server_says_where_to_put_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with LocalHubServer() as hub:
        url = hub.url + "/files/w.h5"
    with pytest.raises(ConnectionError, match="place it at .*w.h5"):
        downloads.resolve_file(url, file_hash=SHA256)


def test_progress_bar_on_a_terminal_only(server, monkeypatch, capsys):
    url = server.add_url_file("w.h5", CONTENT)
    downloads.resolve_file(url, file_hash=SHA256, cache_subdir="a")
    assert "Downloading" not in capsys.readouterr().out

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    downloads.resolve_file(url, file_hash=SHA256, cache_subdir="b")
    assert f"Downloading {url}" in terminal.getvalue()
    assert f"{len(CONTENT)}/{len(CONTENT)}" in terminal.getvalue()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"source": 3}, TypeError, "Received: 3 of type int"),
        ({"source": "ftp://x/y"}, ValueError, "Unsupported source 'ftp://x/y'"),
        (
            {"source": "https://h/w.h5", "file_hash": "abc"},
            ValueError,
            "file_hash='abc'",
        ),
        ({"source": "hf://org"}, ValueError, "Received: 'hf://org'"),
        ({"source": "hf://org/name@"}, ValueError, "hf://<org>/<name>@<revision>"),
        ({"source": "hf://org/name"}, ValueError, "Pass the `filename`"),
        ({"source": "hf://o/n", "filename": "../x"}, ValueError, "filename='../x'"),
        (
            {"source": "/no/such/dir", "filename": "x"},
            ValueError,
            "No file '/no/such/dir/x'",
        ),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        downloads.resolve_file(**kwargs)


# ------------------------------------------------------------------- hf:// files


def test_hub_file_download_cache_revision_and_token(server, monkeypatch):
    first = server.add_repo(
        "org/tiny", {"config.json": b'{"v": 1}', "w.safetensors": CONTENT}
    )
    server.add_tag("org/tiny", "v1", first)
    server.add_repo("org/tiny", {"config.json": b'{"v": 2}', "w.safetensors": CONTENT})
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    assert (
        open(downloads.resolve_file("hf://org/tiny", "config.json")).read()
        == '{"v": 2}'
    )
    pinned = downloads.resolve_file("hf://org/tiny@v1", "config.json")
    assert open(pinned).read() == '{"v": 1}' and first in pinned
    by_commit = downloads.resolve_file(f"hf://org/tiny@{first}", "config.json")
    assert by_commit == pinned
    weights = downloads.resolve_file("hf://org/tiny", "w.safetensors")
    assert open(weights, "rb").read() == CONTENT
    hub_requests = [r for r in server.requests if "/resolve/" in r["path"]]
    assert hub_requests
    assert all(
        r["headers"]["authorization"] == "Bearer hf_secret" for r in hub_requests
    )
    # The LFS file came from the CDN server, without the token.
    cdn = [r for r in server.requests if r["server"] == "cdn"]
    assert len(cdn) == 1 and "authorization" not in cdn[0]["headers"]
    downloads.resolve_file("hf://org/tiny", "w.safetensors")
    assert len([r for r in server.requests if r["server"] == "cdn"]) == 1  # cached


def test_hub_missing_file_revision_and_repo(server):
    server.add_repo("org/tiny", {"config.json": b"{}"})
    with pytest.raises(ValueError, match="hf://org/tiny has no file 'nope.bin'"):
        downloads.resolve_file("hf://org/tiny", "nope.bin")
    assert downloads.resolve_file("hf://org/tiny", "nope.bin", missing_ok=True) is None
    with pytest.raises(ValueError, match="no revision 'v9'"):
        downloads.resolve_file("hf://org/tiny@v9", "config.json")
    with pytest.raises(ValueError, match="repository 'org/other' not found.*HF_TOKEN"):
        downloads.resolve_file("hf://org/other", "config.json")


def test_hub_offline_with_and_without_cache(server, monkeypatch):
    server.add_repo("org/tiny", {"config.json": b"{}", "vocab.txt": b"a\n"})
    path = downloads.resolve_file("hf://org/tiny", "config.json")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    before = len(server.requests)
    assert downloads.resolve_file("hf://org/tiny", "config.json") == path
    with pytest.raises(FileNotFoundError) as info:
        downloads.resolve_file("hf://org/tiny", "vocab.txt")
    assert len(server.requests) == before
    message = str(info.value)
    assert "'vocab.txt' of hf://org/tiny is not in the HuggingFace cache" in message
    assert "hf download org/tiny" in message and "local folder" in message


def test_hub_offline_remembers_files_the_hub_lacks(server, monkeypatch):
    server.add_repo("org/tiny", {"config.json": b"{}"})
    assert downloads.resolve_file("hf://org/tiny", "x.bin", missing_ok=True) is None
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert downloads.resolve_file("hf://org/tiny", "x.bin", missing_ok=True) is None
    with pytest.raises(FileNotFoundError, match="'y.bin' of hf://org/tiny"):
        downloads.resolve_file("hf://org/tiny", "y.bin", missing_ok=True)


def test_hub_corrupted_download_is_named_and_removed(server):
    server.add_repo("org/tiny", {"w.safetensors": CONTENT, "config.json": b"{}"})
    server.corrupt("w.safetensors")
    with pytest.raises(ValueError) as info:
        downloads.resolve_file("hf://org/tiny", "w.safetensors")
    message = str(info.value)
    assert "'w.safetensors'" in message and SHA256 in message
    altered = bytes([CONTENT[0] ^ 0xFF]) + CONTENT[1:]
    assert hashlib.sha256(altered).hexdigest() in message
    server.corrupt("config.json")
    with pytest.raises(ValueError, match="git blob hash"):
        downloads.resolve_file("hf://org/tiny", "config.json")
    server._corrupt.clear()
    path = downloads.resolve_file("hf://org/tiny", "w.safetensors")
    assert open(path, "rb").read() == CONTENT


def test_hub_interrupted_download_recovers(server):
    server.add_repo("org/tiny", {"w.safetensors": CONTENT})
    server.cut_after("w.safetensors", 5000)
    try:  # huggingface_hub may resume on its own within the call
        downloads.resolve_file("hf://org/tiny", "w.safetensors")
    except Exception:
        pass
    path = downloads.resolve_file("hf://org/tiny", "w.safetensors")
    assert open(path, "rb").read() == CONTENT


def test_missing_huggingface_hub_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # as if not installed
    with pytest.raises(
        ImportError, match=r'keras-core\[hub\]. extra: pip install "keras-core\[hub\]"'
    ):
        downloads.resolve_file("hf://org/name", "config.json")


# ----------------------------------------------------------------- hf:// presets


def _preset(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = tmp_path / "local_preset"
    presets.save_to_preset(model, path)
    return model, path


def test_hub_preset_loads_verified_and_pinned(server, tmp_path, monkeypatch):
    model, path = _preset(tmp_path)
    commit = server.add_repo("org/dense", path)
    server.add_repo("org/dense", {"README.md": b"moved"})  # main moves on
    x = np.ones((1, 3), "float32")
    restored = presets.from_preset(f"hf://org/dense@{commit}")
    np.testing.assert_allclose(restored(x), model(x))
    cached = downloads.resolve_preset(f"hf://org/dense@{commit}")
    assert cached.endswith(os.path.join("presets", "hf", "org--dense", commit))
    assert not any(os.path.islink(os.path.join(cached, f)) for f in os.listdir(cached))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    before = len(server.requests)
    np.testing.assert_allclose(
        presets.from_preset(f"hf://org/dense@{commit}")(x), model(x)
    )
    assert len(server.requests) == before
    with pytest.raises(FileNotFoundError, match="hf download org/never-downloaded"):
        presets.from_preset("hf://org/never-downloaded")


def test_hub_preset_tampered_in_the_cache_is_refused(server, tmp_path):
    _, path = _preset(tmp_path)
    server.add_repo("org/dense", path)
    cached = downloads.resolve_preset("hf://org/dense")
    with open(os.path.join(cached, "config.json"), "a") as f:
        f.write(" ")
    with pytest.raises(ValueError, match="corrupt or was modified"):
        presets.from_preset("hf://org/dense")


def test_hub_repo_that_is_not_a_preset(server):
    server.add_repo("org/bert", {"config.json": b"{}", "model.safetensors": CONTENT})
    with pytest.raises(ValueError, match="holds no metadata.json.*keras_nlp"):
        presets.from_preset("hf://org/bert")


def test_hub_preset_with_escaping_file_names_is_refused(server):
    metadata = b'{"format_version": 1, "files": {"../../evil": "00"}}'
    server.add_repo("org/evil", {"metadata.json": metadata})
    with pytest.raises(ValueError, match="not a relative path inside the preset"):
        presets.from_preset("hf://org/evil")


def test_upload_preset_round_trip(server, tmp_path):
    model, path = _preset(tmp_path)
    source = downloads.upload_preset(path, "org/uploaded")
    assert source.startswith("hf://org/uploaded@")
    files = server.repo_files("org/uploaded")
    listed = presets.load_preset_metadata(path)["files"]
    assert sorted(files) == sorted([*listed, "metadata.json"])
    x = np.ones((1, 3), "float32")
    np.testing.assert_allclose(presets.from_preset("hf://org/uploaded")(x), model(x))
    np.testing.assert_allclose(presets.from_preset(source)(x), model(x))


def test_upload_refuses_a_broken_preset(server, tmp_path):
    _, path = _preset(tmp_path)
    (path / "config.json").write_text("{}")
    with pytest.raises(ValueError, match="corrupt or was modified"):
        downloads.upload_preset(path, "org/uploaded")
    assert not any(
        "/api/" in r["path"] and r["method"] == "POST" for r in server.requests
    )
