# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Reads PyTorch `.bin` checkpoints into NumPy without running pickled code.

`torch.save` writes a zip archive: `<name>/data.pkl` is a pickle that
describes the tensors, and `<name>/data/<key>` holds the raw bytes of each
storage. Unpickling with the standard `pickle` module would import and call
whatever the pickle names, which lets a malicious checkpoint run arbitrary
code. This reader uses an unpickler that resolves only the handful of names
a tensor state dict needs (tensor rebuilding, storage types,
`OrderedDict`), maps them to NumPy-based stand-ins, and refuses everything
else. PyTorch itself is never imported.
"""

import collections
import io
import pickle
import zipfile

import numpy as np

# torch storage type name -> NumPy dtype (bfloat16 is widened to float32).
_STORAGE_DTYPES = {
    "DoubleStorage": np.float64,
    "FloatStorage": np.float32,
    "HalfStorage": np.float16,
    "BFloat16Storage": "bfloat16",
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name):
        self.name = name
        self.dtype = _STORAGE_DTYPES[name]


def _rebuild_tensor_v2(
    storage,
    storage_offset,
    size,
    stride,
    requires_grad=False,
    backward_hooks=None,
    metadata=None,
):
    del requires_grad, backward_hooks, metadata
    size, stride = tuple(size), tuple(stride)
    if not size:
        return storage[storage_offset].copy()
    needed = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if any(n == 0 for n in size):
        return np.zeros(size, storage.dtype)
    if needed > storage.size:
        raise ValueError(
            f"A tensor of shape {size} at offset {storage_offset} does not fit in "
            f"its storage of {storage.size} elements: the checkpoint is corrupt."
        )
    view = np.lib.stride_tricks.as_strided(
        storage[storage_offset:],
        shape=size,
        strides=tuple(s * storage.itemsize for s in stride),
        writeable=False,
    )
    return np.array(view)


def _rebuild_parameter(data, requires_grad=False, backward_hooks=None):
    del requires_grad, backward_hooks
    return data


_ALLOWED_GLOBALS = {
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("collections", "OrderedDict"): collections.OrderedDict,
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, data, archive, prefix, path, big_endian):
        super().__init__(io.BytesIO(data))
        self._archive = archive
        self._prefix = prefix
        self._path = path
        self._big_endian = big_endian
        self._storages = {}

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return _ALLOWED_GLOBALS[(module, name)]
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        raise pickle.UnpicklingError(
            f"{self._path} refers to '{module}.{name}', which is not part of a plain "
            "tensor state dict. keras-nlp does not execute pickled code; re-save "
            "the checkpoint as a state dict of tensors, or as model.safetensors "
            "(`model.save_pretrained(directory, safe_serialization=True)`)."
        )

    def persistent_load(self, pid):
        if not isinstance(pid, tuple) or not pid or pid[0] != "storage" or len(pid) < 5:
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported persistent id {pid!r}."
            )
        storage_type, key, _location, numel = pid[1:5]
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported storage type {storage_type!r}."
            )
        if key not in self._storages:
            raw = self._archive.read(f"{self._prefix}data/{key}")
            self._storages[key] = _decode(
                raw, storage_type.dtype, numel, self._big_endian
            )
        return self._storages[key]


def _decode(raw, dtype, numel, big_endian):
    if dtype == "bfloat16":
        bits = np.frombuffer(raw, dtype=">u2" if big_endian else "<u2", count=numel)
        return (bits.astype(np.uint32) << 16).view(np.float32)
    dtype = np.dtype(dtype)
    if big_endian and dtype.itemsize > 1:
        dtype = dtype.newbyteorder(">")
    return np.frombuffer(raw, dtype=dtype, count=numel).astype(dtype.newbyteorder("="))


def load_pytorch_checkpoint(path):
    """Reads a zip-format `torch.save` state dict into NumPy arrays.

    Args:
        path: path of a `pytorch_model.bin` (or any `torch.save` file of a
            dict of tensors, in the zip format PyTorch uses since 1.6).

    Returns:
        A dict from tensor name to `np.ndarray` (bfloat16 becomes float32).

    Raises:
        ValueError: the file is not a zip-format checkpoint, is corrupt, or
            contains anything besides tensors.
    """
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"{path} is not a zip-format PyTorch checkpoint. Files from PyTorch "
            "before 1.6 (legacy format) are not supported because they can only "
            "be read by running their pickled code; convert the checkpoint to "
            "model.safetensors first."
        )
    with zipfile.ZipFile(path) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("data.pkl")]
        if len(pickles) != 1:
            raise ValueError(
                f"{path}: expected one data.pkl in the archive, found {len(pickles)}."
            )
        prefix = pickles[0][: -len("data.pkl")]
        byteorder_name = f"{prefix}byteorder"
        big_endian = (
            byteorder_name in archive.namelist()
            and archive.read(byteorder_name).decode().strip() == "big"
        )
        unpickler = _RestrictedUnpickler(
            archive.read(pickles[0]), archive, prefix, path, big_endian
        )
        try:
            state = unpickler.load()
        except pickle.UnpicklingError as error:
            raise ValueError(str(error)) from None
    if not isinstance(state, dict):
        raise ValueError(
            f"{path} holds a {type(state).__name__}, not a dict of tensors (a state dict)."
        )
    tensors = {}
    for name, value in state.items():
        if not isinstance(value, np.ndarray):
            raise ValueError(
                f"{path}: entry {name!r} is a {type(value).__name__}, not a tensor. "
                "Save `model.state_dict()`, not a training checkpoint."
            )
        tensors[name] = value
    return tensors
