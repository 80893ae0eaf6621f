# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Tampered, linked, foreign and half-written presets (issue 20)."""

import json
import os
import pathlib
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_core.src import presets


def _lookup_model():
    lookup = keras.layers.StringLookup()
    lookup.adapt(["cat", "cat", "dog", "fish"])
    inputs = keras.Input((1,), dtype="string")
    return keras.Model(inputs, lookup(inputs))


def _dense(scale=1.0):
    layer = keras.layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    if scale != 1.0:
        layer.kernel.assign(layer.kernel * scale)
    return layer


@pytest.fixture(scope="module")
def lookup_preset(tmp_path_factory):
    path = tmp_path_factory.mktemp("original") / "lookup"
    presets.save_to_preset(_lookup_model(), path)
    return path


def _copy(preset, tmp_path, name="preset"):
    target = tmp_path / name
    shutil.copytree(preset, target, symlinks=True)
    return target


def _asset_name(path):
    (vocabulary,) = [
        n
        for n in json.loads((path / "metadata.json").read_text())["files"]
        if n.startswith("assets/")
    ]
    return vocabulary


def _rehash(path, names=None):
    metadata = json.loads((path / "metadata.json").read_text())
    for name in names if names is not None else list(metadata["files"]):
        metadata["files"][name] = presets._sha256(path / name)
    (path / "metadata.json").write_text(json.dumps(metadata))


def _list(path, name):
    metadata = json.loads((path / "metadata.json").read_text())
    metadata["files"][name] = presets._sha256(path / name)
    (path / "metadata.json").write_text(json.dumps(metadata))


# --- symbolic links -----------------------------------------------------------


def test_listed_symlink_to_a_vocabulary_outside_is_refused(lookup_preset, tmp_path):
    path = _copy(lookup_preset, tmp_path)
    vocabulary = _asset_name(path)
    outside = tmp_path / "elsewhere.txt"
    shutil.copy(path / vocabulary, outside)  # same bytes: the hash still matches
    (path / vocabulary).unlink()
    os.symlink(outside, path / vocabulary)
    with pytest.raises(ValueError) as info:
        presets.from_preset(path)
    message = str(info.value)
    assert vocabulary in message and "outside the preset directory" in message
    assert str(outside) in message


@pytest.mark.parametrize(
    "link, target",
    [
        ("config.json", "../outside/config.json"),  # relative, leaving
        ("metadata.json", "../outside/metadata.json"),
        ("model.weights.h5", "/dev/zero"),  # would never finish hashing
        ("assets", "../outside/assets"),  # a linked directory
    ],
)
def test_every_link_that_leaves_the_preset_is_refused(
    lookup_preset, tmp_path, link, target
):
    path = _copy(lookup_preset, tmp_path)
    shutil.copytree(lookup_preset, tmp_path / "outside")
    if (path / link).is_dir():
        shutil.rmtree(path / link)
    else:
        (path / link).unlink()
    os.symlink(target, path / link)
    with pytest.raises(ValueError, match="outside the preset directory") as info:
        presets.load_preset_metadata(path)
    assert link in str(info.value)


def test_link_to_a_file_inside_the_preset_is_accepted(lookup_preset, tmp_path):
    path = _copy(lookup_preset, tmp_path)
    vocabulary = _asset_name(path)
    (path / "assets" / "real.txt").write_bytes((path / vocabulary).read_bytes())
    (path / vocabulary).unlink()
    os.symlink(
        os.path.relpath(path / "assets" / "real.txt", (path / vocabulary).parent),
        path / vocabulary,
    )
    _list(path, "assets/real.txt")
    restored = presets.from_preset(path)
    np.testing.assert_array_equal(restored(np.array([["cat"], ["x"]])), [[1], [0]])


@pytest.mark.parametrize("content", [b"", b"notes\n"])
def test_an_extra_asset_listed_with_its_hash_loads_unchanged(
    lookup_preset, tmp_path, content
):
    # Listing a file with its correct sha256 re-signs the preset; the loader
    # accepts it, and since the config never reads it the model is unchanged.
    path = _copy(lookup_preset, tmp_path)
    (path / "assets" / "y.txt").write_bytes(content)
    _list(path, "assets/y.txt")
    restored = presets.from_preset(path)
    np.testing.assert_array_equal(restored(np.array([["cat"], ["x"]])), [[1], [0]])


def test_the_preset_directory_itself_may_be_a_link(lookup_preset, tmp_path):
    os.symlink(lookup_preset, tmp_path / "alias")
    restored = presets.from_preset(tmp_path / "alias")
    np.testing.assert_array_equal(restored(np.array([["cat"]])), [[1]])


def test_fifo_is_refused_without_blocking(lookup_preset, tmp_path):
    path = _copy(lookup_preset, tmp_path)
    os.mkfifo(path / "assets" / "pipe.txt")
    with pytest.raises(ValueError, match="pipe.txt' is not a regular file"):
        presets.load_preset_metadata(path)


# --- file types the loader never reads ----------------------------------------


@pytest.mark.parametrize(
    "name", ["model.pkl", "assets/tokenizer.pickle", "assets/weights.npy", "run.py"]
)
def test_listed_file_of_an_unread_type_is_refused(lookup_preset, tmp_path, name):
    path = _copy(lookup_preset, tmp_path)
    (path / name).write_bytes(pickle.dumps({"a": 1}))
    _list(path, name)
    with pytest.raises(ValueError, match="the loader never reads such a file") as info:
        presets.from_preset(path)
    assert repr(name) in str(info.value)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_pickle_disguised_as_a_vocabulary_is_refused(lookup_preset, tmp_path, protocol):
    path = _copy(lookup_preset, tmp_path)
    vocabulary = _asset_name(path)
    (path / vocabulary).write_bytes(pickle.dumps(["cat"], protocol=protocol))
    _rehash(path, [vocabulary])
    with pytest.raises(ValueError, match="is a Python pickle") as info:
        presets.from_preset(path)
    assert vocabulary in str(info.value)


def test_weights_that_are_not_hdf5_are_refused(lookup_preset, tmp_path):
    path = _copy(lookup_preset, tmp_path)
    (path / "model.weights.h5").write_bytes(pickle.dumps(np.zeros(3)))
    _rehash(path, ["model.weights.h5"])
    with pytest.raises(ValueError, match="model.weights.h5' is not an HDF5 file"):
        presets.from_preset(path)


@pytest.mark.parametrize(
    "name", ["../outside.txt", "/etc/hostname", "assets/../config.json", "", "./x"]
)
def test_listed_names_that_are_not_plain_paths_are_refused(
    lookup_preset, tmp_path, name
):
    path = _copy(lookup_preset, tmp_path)
    metadata = json.loads((path / "metadata.json").read_text())
    metadata["files"][name] = "0" * 64
    (path / "metadata.json").write_text(json.dumps(metadata))
    with pytest.raises(ValueError, match="not a plain relative path inside"):
        presets.load_preset_metadata(path)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda m: m.update(files=["config.json"]), "must map file names"),
        (lambda m: m["files"].update({"config.json": 5}), "not 64 lowercase hex"),
        (lambda m: m.pop("files"), "no 'files' entry"),
        (lambda m: m["files"].pop("config.json"), "does not list config.json"),
    ],
)
def test_malformed_metadata_is_named(lookup_preset, tmp_path, edit, message):
    path = _copy(lookup_preset, tmp_path)
    metadata = json.loads((path / "metadata.json").read_text())
    edit(metadata)
    if "config.json" not in metadata.get("files", {"config.json": 0}):
        (path / "config.json").unlink()
    (path / "metadata.json").write_text(json.dumps(metadata))
    with pytest.raises(ValueError, match=message) as info:
        presets.from_preset(path)
    assert "metadata.json" in str(info.value)


def test_metadata_that_is_a_list_is_named(lookup_preset, tmp_path):
    path = _copy(lookup_preset, tmp_path)
    (path / "metadata.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="metadata.json' is corrupt .*JSON object"):
        presets.from_preset(path)


def test_truncated_weights_with_a_matching_hash_name_the_file(lookup_preset, tmp_path):
    layer = _dense()
    path = tmp_path / "dense"
    presets.save_to_preset(layer, path)
    data = (path / "model.weights.h5").read_bytes()
    (path / "model.weights.h5").write_bytes(data[: len(data) // 3])
    _rehash(path, ["model.weights.h5"])
    with pytest.raises(ValueError, match="model.weights.h5' could not be read"):
        presets.from_preset(path)


@pytest.mark.parametrize("content", [b'{"class_name": ', b"\xff\xfe{}", b"[]", b"7"])
def test_garbled_config_with_a_matching_hash_names_the_file(
    lookup_preset, tmp_path, content
):
    path = _copy(lookup_preset, tmp_path)
    (path / "config.json").write_bytes(content)
    _rehash(path, ["config.json"])
    with pytest.raises(ValueError, match="config.json' is not"):
        presets.from_preset(path)


def test_saving_an_asset_of_an_unread_type_is_refused(tmp_path):
    class PickleAsset(keras.layers.Layer):
        def save_assets(self, dir_path):
            pathlib.Path(dir_path, "state.pkl").write_bytes(pickle.dumps(1))

    layer = PickleAsset()
    layer.build(None)
    with pytest.raises(ValueError, match="wrote the asset 'assets/state.pkl'"):
        presets.save_to_preset(layer, tmp_path / "p")
    assert os.listdir(tmp_path) == []


@keras.saving.register_keras_serializable(package="keras_core_test")
class NpzAsset(keras.layers.Layer):
    """Keeps an array in an `.npz` asset (as the adapted lookups do)."""

    table = None

    def build(self, input_shape):
        self.built = True

    def call(self, x):
        return x

    def save_assets(self, dir_path):
        np.savez(os.path.join(dir_path, "table.npz"), table=np.arange(5))

    def load_assets(self, dir_path):
        with np.load(os.path.join(dir_path, "table.npz"), allow_pickle=False) as f:
            self.table = f["table"]


def test_npz_assets_round_trip_and_other_archives_are_refused(tmp_path):
    layer = NpzAsset()
    layer.build(None)
    path = tmp_path / "npz"
    presets.save_to_preset(layer, path)
    np.testing.assert_array_equal(presets.from_preset(path).table, np.arange(5))
    # A zip archive under any other suffix (e.g. a PyTorch checkpoint) is refused.
    archive = path / "assets" / "table.npz"
    (path / "assets" / "model.json").write_bytes(archive.read_bytes())
    _list(path, "assets/model.json")
    with pytest.raises(ValueError, match="model.json' is a zip archive"):
        presets.from_preset(path)
    (path / "assets" / "model.json").unlink()
    metadata = json.loads((path / "metadata.json").read_text())
    del metadata["files"]["assets/model.json"]
    (path / "metadata.json").write_text(json.dumps(metadata))
    archive.write_bytes(pickle.dumps(np.arange(5)))
    _rehash(path, ["assets/table.npz"])
    with pytest.raises(ValueError, match="table.npz' is not a NumPy `.npz` archive"):
        presets.from_preset(path)


# --- nothing the user saved is lost -------------------------------------------


def test_a_preset_holding_user_files_is_not_overwritten(tmp_path):
    path = tmp_path / "preset"
    presets.save_to_preset(_dense(), path)
    (path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="also contains notes.txt"):
        presets.save_to_preset(_dense(), path)
    assert (path / "notes.txt").read_text() == "mine"


# --- staging folders of killed saves ------------------------------------------


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leftover(directory, pid=None, previous=False, **marker_changes):
    """A staging folder as a save killed at some point leaves it."""
    staging = presets._new_staging(directory)
    (staging / "preset").mkdir()
    (staging / "preset" / "config.json").write_bytes(os.urandom(1000))
    if previous:
        os.replace(directory, staging / "previous")
    marker = json.loads((staging / presets._STAGING_MARKER).read_text())
    if pid is not None:
        marker["pid"] = pid
        marker["process_start_time"] = None
        renamed = staging.with_name(
            staging.name.replace(f"-{os.getpid()}-", f"-{pid}-")
        )
        os.replace(staging, renamed)
        staging = renamed
    marker.update(marker_changes)
    (staging / presets._STAGING_MARKER).write_text(json.dumps(marker))
    return staging


def test_next_save_removes_staging_folders_of_dead_saves(tmp_path):
    path = tmp_path / "preset"
    leftovers = [_leftover(path, pid=_dead_pid()) for _ in range(3)]
    other = _leftover(tmp_path / "other", pid=_dead_pid())
    assert all(p.exists() for p in leftovers + [other])
    presets.save_to_preset(_dense(), path)
    assert sorted(os.listdir(tmp_path)) == ["preset"]


def test_staging_of_a_live_save_and_lookalikes_are_kept(tmp_path):
    path = tmp_path / "preset"
    live = _leftover(path)  # our own pid: a save in progress
    no_marker = tmp_path / f".preset.{presets._STAGING_TAG}-{_dead_pid()}-abc"
    no_marker.mkdir()
    (no_marker / "data.txt").write_text("not ours")
    wrong_pid = _leftover(path, pid=_dead_pid())
    marker = json.loads((wrong_pid / presets._STAGING_MARKER).read_text())
    marker["pid"] = marker["pid"] + 1  # marker and name disagree
    (wrong_pid / presets._STAGING_MARKER).write_text(json.dumps(marker))
    user_dir = tmp_path / "user"
    user_dir.mkdir()
    (user_dir / "keep.txt").write_text("keep")
    linked = tmp_path / f".preset.{presets._STAGING_TAG}-{_dead_pid()}-lnk"
    os.symlink(user_dir, linked)
    foreign_host = _leftover(path, pid=_dead_pid(), host="another-host")
    presets.save_to_preset(_dense(), path)
    for kept in (live, no_marker, wrong_pid, linked, foreign_host):
        assert os.path.lexists(kept), kept
    assert (user_dir / "keep.txt").read_text() == "keep"
    assert (no_marker / "data.txt").read_text() == "not ours"


def test_a_previous_preset_left_in_staging_is_put_back(tmp_path):
    path = tmp_path / "preset"
    presets.save_to_preset(_dense(scale=3.0), path)
    expected = presets.from_preset(path).kernel.numpy()
    _leftover(path, pid=_dead_pid(), previous=True)
    assert not path.exists()  # killed between the two renames
    presets.save_to_preset(_dense(), tmp_path / "unrelated")
    np.testing.assert_allclose(presets.from_preset(path).kernel.numpy(), expected)
    assert sorted(os.listdir(tmp_path)) == ["preset", "unrelated"]


_CHILD = textwrap.dedent(
    """
    import os, sys, time
    import keras, numpy as np
    from keras_core.src import presets

    path, stage = sys.argv[1], sys.argv[2]
    layer = keras.layers.Dense(512)
    layer(np.ones((1, 1024), "float32"))  # 2 MB of weights
    if stage == "write":
        real_write = presets._write_preset

        def write_then_hang(obj, config, staging):
            real_write(obj, config, staging)
            print("READY", flush=True)
            time.sleep(600)

        presets._write_preset = write_then_hang
    else:
        real_replace = os.replace

        def replace_then_hang(src, dst):
            real_replace(src, dst)
            if os.path.basename(dst) == "previous":
                print("READY", flush=True)
                time.sleep(600)

        os.replace = replace_then_hang
    presets.save_to_preset(layer, path)
    """
)


def _save_and_kill(path, stage):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), stage],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == b"READY", line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
    return child.pid


@pytest.mark.large  # a Keras import in a subprocess: 10-40 s on a loaded machine
def test_sigkilled_save_between_renames_loses_nothing(tmp_path):
    path = tmp_path / "preset"
    presets.save_to_preset(_dense(scale=5.0), path)
    expected = presets.from_preset(path).kernel.numpy()
    _save_and_kill(path, "swap")
    assert not path.exists()
    (leftover,) = os.listdir(tmp_path)
    assert presets._STAGING_TAG in leftover
    # The next save anywhere in the folder puts the old preset back and cleans up.
    presets.save_to_preset(_dense(), tmp_path / "second")
    np.testing.assert_allclose(presets.from_preset(path).kernel.numpy(), expected)
    assert sorted(os.listdir(tmp_path)) == ["preset", "second"]


@pytest.mark.large
def test_repeatedly_sigkilled_saves_leave_nothing_after_the_next_save(tmp_path):
    path = tmp_path / "preset"
    presets.save_to_preset(_dense(), path)
    for _ in range(3):
        pid = _save_and_kill(path, "write")
        # Each save removed the folder of the save killed before it: only
        # the newest one is left, next to the untouched preset.
        (leftover,) = set(os.listdir(tmp_path)) - {"preset"}
        assert leftover.startswith(f".preset.{presets._STAGING_TAG}-{pid}-")
        assert (
            tmp_path / leftover / "preset" / "model.weights.h5"
        ).stat().st_size > 2e6
    presets.save_to_preset(_dense(scale=2.0), path)
    assert sorted(os.listdir(tmp_path)) == ["preset"]
    presets.from_preset(path)


# --- property test: random corruption of a real preset ------------------------

_CORRUPTIONS = st.sampled_from(
    [
        "truncate",
        "garble",
        "replace",
        "delete",
        "extra_file",
        "link_outside",
        "link_inside",
        "wrong_hash",
        "foreign_module",
        "pickle_asset",
    ]
)


def _corrupt(path, outside, action, target, data):
    files = sorted(json.loads((path / "metadata.json").read_text())["files"])
    files.append("metadata.json")
    name = files[target % len(files)]
    file = path / name
    if action == "truncate":
        content = file.read_bytes()
        file.write_bytes(content[: data.draw(st.integers(0, max(0, len(content) - 1)))])
    elif action == "garble":
        content = bytearray(file.read_bytes())
        if not content:  # an earlier truncation emptied it: garble by adding
            content.append(data.draw(st.integers(0, 255)))
        for _ in range(data.draw(st.integers(1, 8))):
            position = data.draw(st.integers(0, len(content) - 1))
            content[position] = data.draw(st.integers(0, 255))
        file.write_bytes(bytes(content))
    elif action == "replace":
        file.write_bytes(data.draw(st.binary(max_size=64)))
    elif action == "delete":
        file.unlink()
    elif action == "extra_file":
        extra = data.draw(st.sampled_from(["x.pkl", "assets/y.txt", "assets/z.bin"]))
        (path / extra).write_bytes(data.draw(st.binary(max_size=32)))
        if data.draw(st.booleans()):
            _list(path, extra)
    elif action == "link_outside":
        shutil.copy(file, outside / "copy")
        file.unlink()
        os.symlink(outside / "copy", file)
    elif action == "link_inside":
        shutil.copy(file, path / "assets" / "copy.txt")
        file.unlink()
        os.symlink(os.path.relpath(path / "assets" / "copy.txt", file.parent), file)
    elif action == "wrong_hash":
        metadata = json.loads((path / "metadata.json").read_text())
        metadata["files"][name if name in metadata["files"] else "config.json"] = (
            data.draw(st.text("0123456789abcdef", min_size=64, max_size=64))
        )
        (path / "metadata.json").write_text(json.dumps(metadata))
    elif action == "foreign_module":
        config = json.loads((path / "config.json").read_text())
        config["module"] = "os"
        config["class_name"] = "system"
        config.pop("registered_name", None)
        (path / "config.json").write_text(json.dumps(config))
    elif action == "pickle_asset":
        (path / _asset_name(path)).write_bytes(pickle.dumps(["cat"]))
    return name


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    actions=st.lists(
        st.tuples(_CORRUPTIONS, st.integers(0, 10)), min_size=1, max_size=3
    ),
    rehash=st.booleans(),
    data=st.data(),
)
def test_random_corruption_fails_with_a_named_file_or_loads_intact(
    lookup_preset, tmp_path_factory, actions, rehash, data
):
    root = tmp_path_factory.mktemp("fuzz")
    path = _copy(lookup_preset, root)
    outside = root / "outside"
    outside.mkdir()
    original = {
        name: (lookup_preset / name).read_bytes()
        for name in presets._list_files(lookup_preset)
    }
    for action, target in actions:
        try:
            _corrupt(path, outside, action, target, data)
        except (OSError, ValueError, KeyError):
            pass  # the corruption itself needed a file an earlier one broke
    if rehash:
        try:
            _rehash(
                path,
                [
                    n
                    for n in original
                    if n != "metadata.json"
                    and (path / n).is_file()
                    and not (path / n).is_symlink()
                ],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # metadata.json is already broken
    has_links = any(p.is_symlink() for p in path.rglob("*"))
    current = {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in path.rglob("*")
        if p.is_file() and not p.is_symlink()
    }
    try:
        listed = set(json.loads((path / "metadata.json").read_text())["files"])
    except (OSError, ValueError, KeyError, TypeError):
        listed = set()
    # An extra file listed with its own correct hash is a consistent re-signing
    # of the preset (as `rehash` is), not a corruption: it may load, and the
    # model must then behave like the original, since nothing reads the file.
    added = {
        name
        for name in listed - set(original)
        if any(a == "extra_file" for a, _ in actions)
    }
    try:
        restored = presets.from_preset(path)
    except ValueError as error:
        message = str(error)
        assert str(path) in message or "metadata.json" in message, message
        return
    # Loaded: only a preset whose listed files are consistent may load, and
    # then it must behave like the original.
    unchanged = {n: c for n, c in current.items() if n not in added}
    if added:
        # The metadata may differ from the original only by the added entries.
        metadata = json.loads(unchanged["metadata.json"])
        for name in added:
            del metadata["files"][name]
        if metadata == json.loads(original["metadata.json"]):
            unchanged["metadata.json"] = original["metadata.json"]
    intact = unchanged == original and not has_links
    assert not any(a == "foreign_module" for a, _ in actions)
    assert intact or rehash or any(a == "link_inside" for a, _ in actions)
    out = restored(np.array([["cat"], ["bird"]]))
    if intact:
        np.testing.assert_array_equal(out, [[1], [0]])
