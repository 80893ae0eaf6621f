# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Writes a dict of NumPy arrays in `torch.save`'s zip format, without torch.

For tests that need a full-size checkpoint file (too large to commit):
the layout is the one `torch.save` writes (`<name>/data.pkl`, a protocol-2
pickle whose tensors are `torch._utils._rebuild_tensor_v2` calls over
persistent storages, `<name>/data/<key>` raw little-endian bytes,
`<name>/byteorder`, `<name>/version`); `torch.load(path,
weights_only=True)` reads these files.
"""

import struct
import zipfile

import numpy as np

_STORAGES = {
    np.dtype("float32"): "FloatStorage",
    np.dtype("float16"): "HalfStorage",
    np.dtype("float64"): "DoubleStorage",
    np.dtype("int64"): "LongStorage",
    np.dtype("int32"): "IntStorage",
}


def _string(value):
    data = value.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def _int(value):
    return b"J" + struct.pack("<i", value)  # BININT


def _int_tuple(values):
    return b"(" + b"".join(_int(v) for v in values) + b"t"


def save_state_dict(state, path, name="archive"):
    """Writes `state` ({name: np.ndarray}) to `path` as `torch.save` does."""
    pickle = bytearray(b"\x80\x02")  # PROTO 2
    pickle += b"ccollections\nOrderedDict\n)R"  # an empty OrderedDict
    pickle += b"("  # MARK for SETITEMS
    storages = {}
    for index, (key, value) in enumerate(state.items()):
        value = np.array(value, order="C")  # keeps 0-d arrays 0-d
        if value.dtype not in _STORAGES:
            raise ValueError(f"unsupported dtype {value.dtype} for {key!r}")
        storage_key = str(index)
        storages[storage_key] = value.astype(value.dtype.newbyteorder("<")).tobytes()
        strides = [s // value.itemsize for s in value.strides] if value.ndim else []
        pickle += _string(key)
        pickle += b"ctorch._utils\n_rebuild_tensor_v2\n"
        pickle += b"("  # MARK for the arguments tuple
        pickle += b"("  # the persistent id tuple
        pickle += _string("storage")
        pickle += f"ctorch\n{_STORAGES[value.dtype]}\n".encode()
        pickle += _string(storage_key) + _string("cpu") + _int(int(value.size))
        pickle += b"tQ"  # TUPLE, BINPERSID
        pickle += _int(0) + _int_tuple(value.shape) + _int_tuple(strides)
        pickle += b"\x89"  # requires_grad=False
        pickle += b"ccollections\nOrderedDict\n)R"  # backward hooks
        pickle += b"tR"  # TUPLE, REDUCE
    pickle += b"u."  # SETITEMS, STOP
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{name}/data.pkl", bytes(pickle))
        archive.writestr(f"{name}/byteorder", "little")
        for key, raw in storages.items():
            archive.writestr(f"{name}/data/{key}", raw)
        archive.writestr(f"{name}/version", "3\n")
