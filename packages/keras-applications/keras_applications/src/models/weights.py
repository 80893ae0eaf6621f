# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Loading weight files into backbones, including keras.applications' files.

Three kinds of files load into a backbone:

1. `.weights.h5` files saved from the same backbone class
   (`model.save_weights(...)`): Keras' own loader, once the file's layer
   layout is checked to be the model's;
2. legacy HDF5 files keyed by layer name (`layer_names` attribute), the
   format of the ImageNet files `keras.applications` keeps in
   `~/.keras/models/`: matched by layer name;
3. `.weights.h5` files saved from a `keras.applications` model in Keras 3,
   which are keyed by layer order rather than name: they are loaded into
   the matching `keras.applications` model first (after checking that its
   layer layout is the one in the file), then copied by name.

The backbones name their leaf layers after `keras.applications` (block
sub-layers are `<block>_<suffix>`); each family gives the few suffixes
that differ as a translation table.
"""

import re

import numpy as np

# Keras names layers it creates without a name `normalization`,
# `normalization_1`, ...; EfficientNet's input normalization is one.
_AUTO_NAMED = re.compile(r"^(normalization)(_\d+)?$")


def _is_legacy_h5(path):
    import h5py

    try:
        with h5py.File(path, "r") as f:
            group = f["model_weights"] if "model_weights" in f else f
            return "layer_names" in group.attrs
    except OSError:
        return False


def _read_legacy_h5(path):
    """Returns {layer name: [arrays]} from a name-keyed (Keras 2) HDF5 file."""
    import h5py

    def text(value):
        return value.decode("utf8") if isinstance(value, bytes) else str(value)

    arrays = {}
    with h5py.File(path, "r") as f:
        group = f["model_weights"] if "model_weights" in f else f
        for layer_name in group.attrs["layer_names"]:
            layer_name = text(layer_name)
            layer_group = group[layer_name]
            names = [text(n) for n in layer_group.attrs.get("weight_names", [])]
            if names:
                arrays[layer_name] = [np.asarray(layer_group[n]) for n in names]
    return arrays


def leaf_layers_with_weights(model):
    """The layers that own variables directly (Conv2D, BatchNormalization, ...)."""
    leaves = []
    for layer in model._flatten_layers(include_self=False, recursive=True):
        children = list(layer._flatten_layers(include_self=False, recursive=False))
        if not children and layer.weights:
            leaves.append(layer)
    return leaves


def _canonical(name):
    match = _AUTO_NAMED.match(name)
    return match.group(1) if match else name


def peer_layer_name(name, suffixes):
    """Translates one of our leaf layer names into keras.applications' name."""
    for ours, theirs in sorted(suffixes.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(ours):
            return name[: -len(ours)] + theirs
    return name


def assign_by_name(model, arrays, suffixes, source):
    """Sets every leaf layer of `model` from `arrays` ({peer name: [arrays]}).

    Nothing is assigned unless every layer finds weights of the right shapes.
    """
    arrays = {_canonical(name): value for name, value in arrays.items()}
    plan, missing, mismatched = [], [], []
    for layer in leaf_layers_with_weights(model):
        key = _canonical(peer_layer_name(layer.name, suffixes))
        values = arrays.get(key)
        if values is None:
            missing.append(key)
            continue
        expected = [tuple(w.shape) for w in layer.weights]
        received = [tuple(np.shape(v)) for v in values]
        if expected != received:
            mismatched.append(f"{key}: expected {expected}, file has {received}")
            continue
        plan.append((layer, values))
    if missing or mismatched:
        details = []
        if missing:
            details.append(
                f"{len(missing)} layer(s) missing from the file (e.g. "
                f"{', '.join(missing[:3])})"
            )
        if mismatched:
            details.append(
                f"{len(mismatched)} with other shapes (e.g. {'; '.join(mismatched[:2])})"
            )
        sample = ", ".join(list(arrays)[:4])
        raise ValueError(
            f"The weights file {source!r} does not fit {type(model).__name__} "
            f"(include_top={model._include_top}): {'; '.join(details)}. It "
            "looks like a file for another architecture or configuration (its "
            f"first layers are: {sample}). Pass a file saved from "
            f"{type(model).__name__} or from the matching keras.applications "
            "model with the same include_top and classes."
        )
    for layer, values in plan:
        layer.set_weights(values)


def load_weights(model, path, suffixes, peer_factory, peer_name=None):
    """Loads `path` into `model`; see the module docstring for the formats.

    Args:
        model: the backbone.
        path: a local file path, or "imagenet" for the keras.applications
            ImageNet file of the model (downloaded once, see imagenet.py).
        suffixes: dict translating our leaf-name suffixes to keras.applications'.
        peer_factory: callable returning the matching keras.applications
            model (weights=None), or None if Keras has no such model.
        peer_name: the name of that keras.applications model.
    """
    if path == "imagenet":
        from keras_applications.src.models import imagenet

        path = imagenet.resolve(model)
    if _is_legacy_h5(path):
        assign_by_name(model, _read_legacy_h5(path), suffixes, path)
        return
    if not path.endswith(".weights.h5"):
        raise ValueError(
            f"Cannot read weights file {path!r}: expected a Keras 3 weights "
            "file ending in '.weights.h5' (from `save_weights`) or a "
            "keras.applications '.h5' file (HDF5 keyed by layer names)."
        )
    saved = _keras3_layer_keys(path)
    expected = _expected_layer_keys(model)
    if saved == expected:  # saved from this very architecture
        try:
            model.load_weights(path)
        except ValueError as error:
            raise ValueError(
                f"The weights file {path!r} has the layout of "
                f"{type(model).__name__} but other shapes ({error}). Was it "
                "saved with other `classes`, `alpha` or `input_shape` channels?"
            ) from error
        return
    ours = [key for key in saved if key.split("_")[0] in _OWN_BLOCK_PREFIXES]
    if ours or peer_factory is None:
        raise ValueError(
            f"The weights file {path!r} was not saved from "
            f"{type(model).__name__} (include_top={model._include_top}): its "
            f"{len(saved)} top-level layers do not match the model's "
            f"{len(expected)} (e.g. the file has "
            f"{', '.join(sorted(saved - expected)[:3]) or 'no extra layers'}; "
            f"the model needs {', '.join(sorted(expected - saved)[:3]) or 'no others'}). "
            "It is probably a file for another architecture. Pass a file saved "
            f"from {type(model).__name__} with the same configuration."
        )
    peer = peer_factory()
    if _expected_layer_keys(peer) != saved:
        raise ValueError(
            f"The weights file {path!r} fits neither {type(model).__name__} "
            f"(include_top={model._include_top}) nor keras.applications."
            f"{peer_name} with the same include_top and classes: its "
            f"{len(saved)} top-level layers do not match. It is probably a file "
            "for another architecture."
        )
    try:
        peer.load_weights(path)
    except ValueError as error:
        raise ValueError(
            f"The weights file {path!r} has the layout of keras.applications."
            f"{peer_name} but other shapes ({error}). Was it saved with other "
            "`classes` or `alpha`?"
        ) from error
    arrays = {layer.name: layer.get_weights() for layer in peer.layers if layer.weights}
    assign_by_name(model, arrays, suffixes, path)


# Our block layers, as Keras names them in `.weights.h5` files.
_OWN_BLOCK_PREFIXES = ("residual", "bottleneck", "inverted")


def _keras3_layer_keys(path):
    import h5py

    with h5py.File(path, "r") as f:
        if "layers" not in f:
            raise ValueError(
                f"{path!r} is not a Keras weights file: it has no 'layers' "
                "group. Pass a file written by `model.save_weights(...)` or a "
                "keras.applications '.h5' file."
            )
        return set(f["layers"].keys())


def _expected_layer_keys(model):
    """The top-level keys Keras 3 gives the model's layers in `.weights.h5`."""
    from keras.src.utils import naming

    used, keys = {}, set()
    for layer in model.layers:
        name = naming.to_snake_case(type(layer).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        keys.add(name)
    return keys
