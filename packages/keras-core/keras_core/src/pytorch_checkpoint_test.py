# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
import os
import pickle
import zipfile

import numpy as np
import pytest

from keras_core.src.pytorch_checkpoint import load_pytorch_checkpoint
from keras_core.src.pytorch_checkpoint import read_pytorch_shapes
from keras_core.src.pytorch_checkpoint import save_pytorch_checkpoint


def _write_archive(path, payload, storages=None):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", payload)
        archive.writestr("archive/byteorder", "little")
        for key, raw in (storages or {}).items():
            archive.writestr(f"archive/data/{key}", raw)


def _tensor_pickle(strided=False):
    """Hand-built pickle of {'w': tensor} in torch.save's layout."""
    # GLOBAL opcodes are written directly, as torch.save emits them.
    out = bytearray(b"\x80\x02}q\x00(X\x01\x00\x00\x00w")
    out += b"ctorch._utils\n_rebuild_tensor_v2\n("
    out += b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQ"
    if strided:
        out += b"K\x00K\x03K\x02\x86K\x01K\x03\x86"  # offset 0, size (3, 2), stride (1, 3): a transpose
    else:
        out += (
            b"K\x00K\x02K\x03\x86K\x03K\x01\x86"  # offset 0, size (2, 3), stride (3, 1)
        )
    out += b"\x89" + b"ccollections\nOrderedDict\n)R" + b"tR"
    out += b"u."
    return bytes(out)


def test_rebuilds_strided_tensors(tmp_path):
    raw = np.arange(6, dtype="<f4").tobytes()
    path = tmp_path / "plain.bin"
    _write_archive(path, _tensor_pickle(), {"0": raw})
    np.testing.assert_array_equal(
        load_pytorch_checkpoint(path)["w"], np.arange(6).reshape(2, 3)
    )
    path = tmp_path / "strided.bin"
    _write_archive(path, _tensor_pickle(strided=True), {"0": raw})
    np.testing.assert_array_equal(
        load_pytorch_checkpoint(path)["w"], np.arange(6).reshape(2, 3).T
    )


def test_refuses_code_in_the_pickle(tmp_path):
    marker = tmp_path / "executed"
    payload = (
        b"\x80\x02cos\nsystem\nX"
        + len(f"touch {marker}").to_bytes(4, "little")
        + f"touch {marker}".encode()
        + b"\x85R."
    )
    path = tmp_path / "evil.bin"
    _write_archive(path, payload)
    with pytest.raises(
        ValueError, match=r"refers to 'os.system'.*does not execute pickled code"
    ):
        load_pytorch_checkpoint(path)
    assert not marker.exists()


def test_refuses_legacy_and_non_tensor_files(tmp_path):
    legacy = tmp_path / "legacy.bin"
    legacy.write_bytes(pickle.dumps({"w": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="not a zip-format PyTorch checkpoint"):
        load_pytorch_checkpoint(legacy)
    listing = tmp_path / "list.bin"
    _write_archive(listing, pickle.dumps({"step": 3}, protocol=2))
    with pytest.raises(ValueError, match="'step' is a int, not a tensor"):
        load_pytorch_checkpoint(listing)


LEGACY = os.path.join(os.path.dirname(__file__), "testdata", "legacy_state_dict.pth")


def test_reads_the_legacy_format():
    # Written by torch.save(..., _use_new_zipfile_serialization=False), the
    # format of PyTorch < 1.6 (testdata/make_legacy_checkpoint.py).
    state = load_pytorch_checkpoint(LEGACY)
    assert list(state) == [
        "conv.weight",
        "bn.num_batches_tracked",
        "half",
        "transposed",
        "base",
    ]
    np.testing.assert_array_equal(
        state["conv.weight"],
        np.arange(24, dtype="float32").reshape(2, 3, 2, 2) / np.float32(10),
    )
    assert state["bn.num_batches_tracked"].dtype == np.int64
    assert state["bn.num_batches_tracked"].shape == ()
    assert int(state["bn.num_batches_tracked"]) == 7
    np.testing.assert_array_equal(state["half"], np.arange(5) / 4)
    base = np.arange(12, dtype="float32").reshape(3, 4)
    np.testing.assert_array_equal(state["base"], base)
    np.testing.assert_array_equal(state["transposed"], base.T)  # shared storage
    assert read_pytorch_shapes(LEGACY)["transposed"] == (4, 3)


def test_truncated_legacy_file_is_reported(tmp_path):
    data = open(LEGACY, "rb").read()
    cut = tmp_path / "cut.pth"
    cut.write_bytes(data[:-4])  # inside the last storage's values
    with pytest.raises(ValueError, match="cut.pth is truncated: its storages need"):
        load_pytorch_checkpoint(cut)
    cut.write_bytes(data[:-30])  # inside the last storage's header
    with pytest.raises(ValueError, match="cut.pth: the storage '.*' is missing"):
        read_pytorch_shapes(cut)
    cut.write_bytes(data[:60])
    with pytest.raises(ValueError, match="nor a legacy .*truncated or corrupt"):
        load_pytorch_checkpoint(cut)


def test_refuses_code_in_a_legacy_file(tmp_path):
    marker = tmp_path / "executed"
    command = f"touch {marker}".encode()
    evil = (
        b"\x80\x02cos\nsystem\nX"
        + len(command).to_bytes(4, "little")
        + command
        + b"\x85R."
    )
    path = tmp_path / "evil.pth"
    path.write_bytes(
        pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
        + pickle.dumps(1001, protocol=2)
        + pickle.dumps({"little_endian": True}, protocol=2)
        + evil
    )
    with pytest.raises(ValueError, match="refers to 'os.system'"):
        load_pytorch_checkpoint(path)
    assert not marker.exists()


def test_written_checkpoints_read_back_exactly(tmp_path):
    rng = np.random.default_rng(0)
    state = {
        "conv.weight": rng.normal(size=(4, 3, 2, 2)).astype("float32"),
        "half": rng.normal(size=(5,)).astype("float16"),
        "double": rng.normal(size=(2, 3)),
        "steps": np.array(7, dtype="int64"),  # 0-d, as num_batches_tracked
        "ids": np.arange(6, dtype="int32").reshape(2, 3),
        "transposed": np.arange(12, dtype="float32").reshape(3, 4).T,  # strided
        "empty": np.zeros((0, 3), "float32"),
    }
    path = tmp_path / "state.pth"
    assert save_pytorch_checkpoint(state, path) == path
    loaded = load_pytorch_checkpoint(path)
    assert list(loaded) == list(state)
    for name, value in state.items():
        assert loaded[name].dtype == value.dtype, name
        assert loaded[name].shape == value.shape, name
        np.testing.assert_array_equal(loaded[name], value)
    assert read_pytorch_shapes(path) == {k: v.shape for k, v in state.items()}


def test_a_file_torch_wrote_survives_a_write_and_read():
    # legacy_state_dict.pth was written by torch.save itself.
    original = load_pytorch_checkpoint(LEGACY)
    import tempfile

    path = os.path.join(tempfile.mkdtemp(), "copy.pth")
    save_pytorch_checkpoint(original, path)
    copy = load_pytorch_checkpoint(path)
    assert list(copy) == list(original)
    for name in original:
        np.testing.assert_array_equal(copy[name], original[name])


def test_writer_rejects_what_a_checkpoint_cannot_hold(tmp_path):
    path = tmp_path / "bad.pth"
    with pytest.raises(ValueError, match="'flags' has dtype bool.*astype"):
        save_pytorch_checkpoint({"flags": np.array([True])}, path)
    with pytest.raises(TypeError, match="names must be strings.*Received: 3"):
        save_pytorch_checkpoint({3: np.zeros(2)}, path)
    with pytest.raises(TypeError, match="must be a mapping.*Received: list"):
        save_pytorch_checkpoint([np.zeros(2)], path)
