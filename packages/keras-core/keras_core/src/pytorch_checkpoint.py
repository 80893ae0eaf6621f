# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Reads PyTorch checkpoints into NumPy without running pickled code.

Shared by every domain package that converts PyTorch weights (keras-nlp's
transformers checkpoints, keras-cv's torchvision detectors).

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
import collections.abc
import io
import pickle
import struct
import zipfile
import zlib

import numpy as np

from keras_core.src.api_export import api_export

# The RFC that made the reader a keras-core API (moved from keras-nlp).
_RFC = "20261207-keras-core-pytorch-checkpoint-reader"

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


# A checkpoint tensor larger than this is refused before anything is
# allocated (BERT-large's largest tensor has about 31M elements).
MAX_TENSOR_ELEMENTS = 2**31


class TensorRef:
    """A tensor described by the pickle, not yet read from its storage.

    Unpickling only collects these; `load_pytorch_checkpoint` checks each
    one against its storage (`check`) before reading any data, so a pickle
    claiming a huge shape over a tiny storage allocates nothing.
    """

    def __init__(self, storage, storage_offset, size, stride):
        self.storage = storage
        self.storage_offset = storage_offset
        self.size = size
        self.stride = stride

    @property
    def shape(self):
        return tuple(self.size)

    def check(self, name, path):
        """Raises a ValueError naming `name` and `path` unless it fits."""
        storage = self.storage

        def bad(reason):
            return ValueError(
                f"{path}: tensor {name!r} {reason}. The checkpoint is corrupt "
                "or was crafted; re-save it from the original model."
            )

        values = (self.storage_offset,) + tuple(self.size) + tuple(self.stride)
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values
        ):
            raise bad(
                f"has an invalid shape {self.size!r}, stride {self.stride!r} or "
                f"offset {self.storage_offset!r} (non-negative ints expected)"
            )
        if len(self.size) != len(self.stride):
            raise bad(f"has shape {self.size} but strides {self.stride}")
        elements = int(np.prod(self.size, dtype=object)) if self.size else 1
        if elements > MAX_TENSOR_ELEMENTS:
            raise bad(
                f"claims shape {self.shape} ({elements} elements, more than the "
                f"{MAX_TENSOR_ELEMENTS} allowed)"
            )
        if elements == 0:
            return
        needed = (
            self.storage_offset
            + sum((n - 1) * s for n, s in zip(self.size, self.stride))
            + 1
        )
        if needed > storage.numel:
            raise bad(
                f"of shape {self.shape} at offset {self.storage_offset} with "
                f"strides {self.stride} does not fit in its storage of "
                f"{storage.numel} elements"
            )
        if elements > storage.numel:
            # Only broadcast views (stride 0 over a dimension longer than 1)
            # hold more elements than their storage; a saved state dict never
            # needs them, and expanding them can exhaust memory.
            raise bad(
                f"of shape {self.shape} expands a storage of {storage.numel} "
                f"elements through zero strides {self.stride}"
            )

    def read(self):
        values = self.storage.values()
        if not self.size:
            return values[self.storage_offset].copy()
        if any(n == 0 for n in self.size):
            return np.zeros(self.size, values.dtype)
        view = np.lib.stride_tricks.as_strided(
            values[self.storage_offset :],
            shape=self.size,
            strides=tuple(s * values.itemsize for s in self.stride),
            writeable=False,
        )
        return np.array(view)


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
    if not isinstance(storage, (_Storage, _LegacyStorage)):
        raise pickle.UnpicklingError(f"a tensor's storage is a {type(storage)}")
    if not isinstance(size, (tuple, list)) or not isinstance(stride, (tuple, list)):
        raise pickle.UnpicklingError("a tensor's size and stride must be tuples")
    return TensorRef(storage, storage_offset, tuple(size), tuple(stride))


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
            "tensor state dict. keras-core does not execute pickled code; re-save "
            "the checkpoint as a state dict of tensors, or as model.safetensors "
            "(`model.save_pretrained(directory, safe_serialization=True)`)."
        )

    def persistent_load(self, pid):
        return self._storage(pid)

    def _storage(self, pid):
        if not isinstance(pid, tuple) or not pid or pid[0] != "storage" or len(pid) < 5:
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported persistent id {pid!r}."
            )
        storage_type, key, _location, numel = pid[1:5]
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported storage type {storage_type!r}."
            )
        if not isinstance(numel, int) or isinstance(numel, bool) or numel < 0:
            raise pickle.UnpicklingError(
                f"{self._path}: storage {key!r} has an invalid size {numel!r}."
            )
        if key not in self._storages:
            self._storages[key] = _Storage(self, key, storage_type.dtype, numel)
        return self._storages[key]


class _Storage:
    """One storage of the archive, read (and size-checked) on first use."""

    def __init__(self, unpickler, key, dtype, numel):
        self._archive = unpickler._archive
        self._name = f"{unpickler._prefix}data/{key}"
        self._path = unpickler._path
        self._big_endian = unpickler._big_endian
        self.dtype = dtype
        self.numel = numel
        self._values = None

    def values(self):
        if self._values is None:
            itemsize = 2 if self.dtype == "bfloat16" else np.dtype(self.dtype).itemsize
            try:
                info = self._archive.getinfo(self._name)
            except KeyError:
                raise ValueError(
                    f"{self._path}: the storage {self._name!r} is missing from "
                    "the archive; the file is truncated or corrupt."
                ) from None
            if info.file_size < self.numel * itemsize:
                raise ValueError(
                    f"{self._path}: the storage {self._name!r} holds "
                    f"{info.file_size} bytes but its tensors need "
                    f"{self.numel * itemsize}; the file is truncated or corrupt."
                )
            raw = self._archive.read(self._name)
            self._values = _decode(raw, self.dtype, self.numel, self._big_endian)
        return self._values


def _decode(raw, dtype, numel, big_endian):
    if dtype == "bfloat16":
        bits = np.frombuffer(raw, dtype=">u2" if big_endian else "<u2", count=numel)
        return (bits.astype(np.uint32) << 16).view(np.float32)
    dtype = np.dtype(dtype)
    if big_endian and dtype.itemsize > 1:
        dtype = dtype.newbyteorder(">")
    return np.frombuffer(raw, dtype=dtype, count=numel).astype(dtype.newbyteorder("="))


# The first pickles of a legacy (PyTorch < 1.6) file.
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any global or persistent id is refused."""

    def __init__(self, file, path):
        super().__init__(file)
        self._path = path

    def find_class(self, module, name):
        raise pickle.UnpicklingError(
            f"{self._path} refers to '{module}.{name}' where plain data was "
            "expected; keras-core does not execute pickled code."
        )

    def persistent_load(self, pid):
        raise pickle.UnpicklingError(f"{self._path}: unexpected persistent id.")


class _LegacyStorage:
    """A storage of a legacy file: `numel` values at `offset` of `file`."""

    def __init__(self, file, key, dtype, numel, path, big_endian):
        self.file = file
        self.key = key
        self.dtype = dtype
        self.numel = numel
        self.offset = None
        self._path = path
        self._big_endian = big_endian
        self._values = None

    def itemsize(self):
        return 2 if self.dtype == "bfloat16" else np.dtype(self.dtype).itemsize

    def values(self):
        if self._values is None:
            if self.offset is None:
                raise ValueError(
                    f"{self._path}: the storage {self.key!r} is missing from the "
                    "file; it is truncated or corrupt."
                )
            self.file.seek(self.offset)
            size = self.numel * self.itemsize()
            raw = self.file.read(size)
            if len(raw) < size:
                raise ValueError(
                    f"{self._path}: the storage {self.key!r} is cut short "
                    f"({len(raw)} of {size} bytes); the file is truncated."
                )
            self._values = _decode(raw, self.dtype, self.numel, self._big_endian)
        return self._values


class _LegacyUnpickler(_RestrictedUnpickler):
    """The state-dict pickle of a legacy file (same allowed names)."""

    def __init__(self, file, path, big_endian):
        pickle.Unpickler.__init__(self, file)
        self._file = file
        self._path = path
        self._big_endian = big_endian
        self._storages = {}

    def _storage(self, pid):
        if not isinstance(pid, tuple) or len(pid) < 5 or pid[0] != "storage":
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported persistent id {pid!r}."
            )
        storage_type, key, _location, numel = pid[1:5]
        if len(pid) > 5 and pid[5] is not None:
            raise pickle.UnpicklingError(
                f"{self._path}: storage views are not supported; re-save the "
                "state dict with a recent PyTorch."
            )
        if not isinstance(storage_type, _StorageType) or not isinstance(key, str):
            raise pickle.UnpicklingError(
                f"{self._path}: unsupported storage {pid[1:3]!r}."
            )
        if not isinstance(numel, int) or isinstance(numel, bool) or numel < 0:
            raise pickle.UnpicklingError(
                f"{self._path}: storage {key!r} has an invalid size {numel!r}."
            )
        if key not in self._storages:
            self._storages[key] = _LegacyStorage(
                self._file, key, storage_type.dtype, numel, self._path, self._big_endian
            )
        return self._storages[key]


def _not_a_checkpoint(path, detail=""):
    return ValueError(
        f"{path} is not a zip-format PyTorch checkpoint nor a legacy (PyTorch "
        f"< 1.6) one{detail}, or it is truncated or corrupt. Save it with "
        "`torch.save(model.state_dict(), path)`, or as model.safetensors."
    )


def _read_legacy_refs(file, path):
    """The state dict of a legacy file as {name: TensorRef}, all checked.

    The file holds pickles (magic number, protocol, system info, the state
    dict, the list of storage keys) followed, for each key in that order, by
    the storage's element count (int64) and its raw values.
    """
    try:
        if _PlainUnpickler(file, path).load() != _LEGACY_MAGIC:
            raise _not_a_checkpoint(path)
        if _PlainUnpickler(file, path).load() != _LEGACY_PROTOCOL:
            raise _not_a_checkpoint(path, " (unknown legacy protocol)")
        info = _PlainUnpickler(file, path).load()
        big_endian = isinstance(info, dict) and info.get("little_endian") is False
        unpickler = _LegacyUnpickler(file, path, big_endian)
        state = unpickler.load()
        keys = _PlainUnpickler(file, path).load()
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise _not_a_checkpoint(path, " (bad storage list)")
        offset = file.tell()
        for key in keys:
            file.seek(offset)
            header = file.read(8)
            if len(header) < 8:
                raise ValueError(
                    f"{path}: the storage {key!r} is missing; the file is truncated."
                )
            (numel,) = struct.unpack(">q" if big_endian else "<q", header)
            storage = unpickler._storages.get(key)
            if storage is None or numel != storage.numel:
                raise ValueError(
                    f"{path}: the storage {key!r} holds {numel} values where "
                    "the tensor index expects "
                    f"{None if storage is None else storage.numel}; the file is "
                    "corrupt."
                )
            storage.offset = offset + 8
            offset = storage.offset + numel * storage.itemsize()
        file.seek(0, 2)
        if file.tell() < offset:
            raise ValueError(
                f"{path} is truncated: its storages need {offset} bytes, the "
                f"file has {file.tell()}. Download or save it again."
            )
    except pickle.UnpicklingError as error:
        message = str(error)
        if not message.startswith(str(path)):  # not one of our refusals
            raise _not_a_checkpoint(path, f" ({message})") from None
        raise ValueError(message) from None
    except (
        EOFError,
        OSError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        UnicodeDecodeError,
        struct.error,
        RecursionError,
    ) as error:
        raise _not_a_checkpoint(path, f" ({type(error).__name__}: {error})") from None
    _check_state(state, path)
    return state


def _open_archive(path):
    if not zipfile.is_zipfile(path):
        raise _not_a_checkpoint(path)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValueError(
            f"{path} is truncated or corrupt: {error}. Download or save it again."
        ) from None


def _check_state(state, path):
    if not isinstance(state, dict):
        raise ValueError(
            f"{path} holds a {type(state).__name__}, not a dict of tensors (a state dict)."
        )
    for name, value in state.items():
        if not isinstance(value, TensorRef):
            raise ValueError(
                f"{path}: entry {name!r} is a {type(value).__name__}, not a tensor. "
                "Save `model.state_dict()`, not a training checkpoint."
            )
        value.check(name, path)


def _read_refs(archive, path):
    """The state dict of the archive as {name: TensorRef}, all checked."""
    pickles = [n for n in archive.namelist() if n.endswith("data.pkl")]
    if len(pickles) != 1:
        raise ValueError(
            f"{path}: expected one data.pkl in the archive, found {len(pickles)}."
        )
    prefix = pickles[0][: -len("data.pkl")]
    byteorder_name = f"{prefix}byteorder"
    try:
        big_endian = (
            byteorder_name in archive.namelist()
            and archive.read(byteorder_name).decode().strip() == "big"
        )
        unpickler = _RestrictedUnpickler(
            archive.read(pickles[0]), archive, prefix, path, big_endian
        )
        state = unpickler.load()
    except pickle.UnpicklingError as error:
        raise ValueError(str(error)) from None
    except (
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        UnicodeDecodeError,
        struct.error,
    ) as error:
        raise ValueError(
            f"{path} is truncated or corrupt (reading its tensor index failed: "
            f"{type(error).__name__}: {error}). Download or save it again."
        ) from None
    _check_state(state, path)
    return state


@api_export("keras_core.checkpoints.read_pytorch_shapes", stability="stable", rfc=_RFC)
def read_pytorch_shapes(path):
    """The tensor shapes of a `torch.save` state dict, reading no tensor data.

    Every tensor is checked against its storage (shape, strides, offset and
    total size), so that a corrupt or crafted file fails here, before any
    allocation.

    Args:
        path: path of a `torch.save` file of a dict of tensors.

    Returns:
        A dict from tensor name to shape (a tuple of ints).

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_core.checkpoints import (
    ...     read_pytorch_shapes, save_pytorch_checkpoint)
    >>> path = os.path.join(tempfile.mkdtemp(), "pytorch_model.bin")
    >>> _ = save_pytorch_checkpoint({"embeddings.weight": np.zeros((30, 8))}, path)
    >>> read_pytorch_shapes(path)
    {'embeddings.weight': (30, 8)}
    """
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as file:
            return {n: ref.shape for n, ref in _read_legacy_refs(file, path).items()}
    with _open_archive(path) as archive:
        return {name: ref.shape for name, ref in _read_refs(archive, path).items()}


@api_export(
    "keras_core.checkpoints.load_pytorch_checkpoint", stability="stable", rfc=_RFC
)
def load_pytorch_checkpoint(path):
    """Reads a zip-format `torch.save` state dict into NumPy arrays.

    Only the names a plain state dict needs are resolved while unpickling
    (tensor rebuilding, storage types, `OrderedDict`); any other name in the
    pickle is refused, so reading an untrusted file runs no code.

    Args:
        path: path of a `pytorch_model.bin` (or any `torch.save` file of a
            dict of tensors: the zip format PyTorch uses since 1.6, or the
            legacy format of older versions, which torchvision's oldest
            weight files use).

    Returns:
        A dict from tensor name to `np.ndarray` (bfloat16 becomes float32).

    Raises:
        ValueError: the file is not a PyTorch checkpoint, is truncated or
            corrupt, contains anything besides tensors, or describes a tensor
            that does not fit its storage (checked before any tensor is
            read; the message names the tensor and the file).

    Example:

    A torchvision weight file (e.g. `resnet50-0676ba61.pth`) or a file of
    `torch.save(model.state_dict(), path)` reads the same way as this one:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_core.checkpoints import (
    ...     load_pytorch_checkpoint, save_pytorch_checkpoint)
    >>> path = os.path.join(tempfile.mkdtemp(), "conv.pth")
    >>> kernel = np.arange(64 * 3 * 7 * 7, dtype="float32").reshape(64, 3, 7, 7)
    >>> _ = save_pytorch_checkpoint({"conv1.weight": kernel}, path)
    >>> state_dict = load_pytorch_checkpoint(path)
    >>> state_dict["conv1.weight"].shape, bool((state_dict["conv1.weight"] == kernel).all())
    ((64, 3, 7, 7), True)
    """
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as file:
            refs = _read_legacy_refs(file, path)
            return {name: ref.read() for name, ref in refs.items()}
    with _open_archive(path) as archive:
        refs = _read_refs(archive, path)
        tensors = {}
        for name, ref in refs.items():
            try:
                tensors[name] = ref.read()
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
                raise ValueError(
                    f"{path}: the data of tensor {name!r} cannot be read "
                    f"({error}); the file is truncated or corrupt."
                ) from None
    return tensors


# NumPy dtype -> torch storage type written by `save_pytorch_checkpoint`.
_WRITE_STORAGES = {
    np.dtype("float64"): "DoubleStorage",
    np.dtype("float32"): "FloatStorage",
    np.dtype("float16"): "HalfStorage",
    np.dtype("int64"): "LongStorage",
    np.dtype("int32"): "IntStorage",
}


def _pickled_string(value):
    data = value.encode()
    return b"X" + struct.pack("<I", len(data)) + data  # BINUNICODE


def _pickled_int(value):
    return b"J" + struct.pack("<i", value)  # BININT


def _pickled_int_tuple(values):
    return b"(" + b"".join(_pickled_int(v) for v in values) + b"t"


@api_export(
    "keras_core.checkpoints.save_pytorch_checkpoint", stability="stable", rfc=_RFC
)
def save_pytorch_checkpoint(state_dict, path):
    """Writes NumPy arrays as a state dict file that `torch.load` reads.

    The file has the zip layout of `torch.save` (`archive/data.pkl`, a
    protocol-2 pickle that rebuilds each tensor from a storage,
    `archive/data/<key>` with its little-endian bytes, `archive/byteorder`,
    `archive/version`), so `torch.load(path, weights_only=True)` and
    `load_pytorch_checkpoint` read it; PyTorch is not needed to write it.
    Use it to hand weights to PyTorch code, or to make small checkpoints
    for tests.

    Args:
        state_dict: a mapping of tensor names (str) to NumPy arrays (or
            values `np.asarray` accepts) of dtype float16, float32, float64,
            int32 or int64.
        path: the file to write (overwritten if it exists).

    Returns:
        `path`.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_core.checkpoints import (
    ...     load_pytorch_checkpoint, save_pytorch_checkpoint)
    >>> path = os.path.join(tempfile.mkdtemp(), "linear.pth")
    >>> _ = save_pytorch_checkpoint(
    ...     {"weight": np.ones((2, 3), "float32"), "bias": np.zeros(2)}, path)
    >>> state = load_pytorch_checkpoint(path)
    >>> state["weight"].shape, state["bias"].dtype
    ((2, 3), dtype('float64'))
    """
    if not isinstance(state_dict, collections.abc.Mapping):
        raise TypeError(
            "`state_dict` must be a mapping of tensor names to NumPy arrays. "
            f"Received: {type(state_dict).__name__}."
        )
    pickled = bytearray(b"\x80\x02")  # PROTO 2
    pickled += b"ccollections\nOrderedDict\n)R"  # an empty OrderedDict
    pickled += b"("  # MARK for SETITEMS
    storages = {}
    for index, (name, value) in enumerate(state_dict.items()):
        if not isinstance(name, str):
            raise TypeError(
                f"Tensor names must be strings. Received: {name!r} "
                f"({type(name).__name__})."
            )
        array = np.array(value, order="C")  # a copy; keeps 0-d arrays 0-d
        if array.dtype not in _WRITE_STORAGES:
            raise ValueError(
                f"Tensor {name!r} has dtype {array.dtype}; a PyTorch checkpoint "
                f"is written from {sorted(str(d) for d in _WRITE_STORAGES)}. "
                "Cast it first, e.g. `array.astype('float32')`."
            )
        key = str(index)
        storages[key] = array.astype(array.dtype.newbyteorder("<")).tobytes()
        strides = [s // array.itemsize for s in array.strides] if array.ndim else []
        pickled += _pickled_string(name)
        pickled += b"ctorch._utils\n_rebuild_tensor_v2\n"
        pickled += b"("  # MARK for the arguments
        pickled += b"("  # the persistent id of the storage
        pickled += _pickled_string("storage")
        pickled += f"ctorch\n{_WRITE_STORAGES[array.dtype]}\n".encode()
        pickled += _pickled_string(key) + _pickled_string("cpu")
        pickled += _pickled_int(int(array.size))
        pickled += b"tQ"  # TUPLE, BINPERSID
        pickled += _pickled_int(0)  # storage offset
        pickled += _pickled_int_tuple(array.shape) + _pickled_int_tuple(strides)
        pickled += b"\x89"  # requires_grad=False
        pickled += b"ccollections\nOrderedDict\n)R"  # backward hooks
        pickled += b"tR"  # TUPLE, REDUCE
    pickled += b"u."  # SETITEMS, STOP
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", bytes(pickled))
        archive.writestr("archive/byteorder", "little")
        for key, raw in storages.items():
            archive.writestr(f"archive/data/{key}", raw)
        archive.writestr("archive/version", "3\n")
    return path
