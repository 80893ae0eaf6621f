# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Presets: a model, layer, tokenizer or preprocessor saved as a directory.

A preset directory holds:

- `config.json`: the Keras serialization of the object (no compile state);
- `model.weights.h5`: its variables, in the layout of Keras' `.keras` files;
- `assets/`: files the object writes through `save_assets` (vocabularies,
  SentencePiece models, ...);
- `metadata.json`: the class, the versions of the packages that wrote it,
  and the sha256 of every other file.

Loading verifies every hash before anything is read, deserializes with
`safe_mode=True`, and only instantiates classes from Keras and this
project's packages, so a preset can never execute code it carries.
A preset is a local directory; `hf://<org>/<name>[@<revision>]` sources are
first downloaded into one by `downloads.resolve_preset`, then checked the
same way.
"""

import datetime
import hashlib
import json
import os
import pathlib
import shutil
import tempfile

from keras_core.src.api_export import api_export

CONFIG_FILE = "config.json"
METADATA_FILE = "metadata.json"
WEIGHTS_FILE = "model.weights.h5"
ASSETS_DIR = "assets"
FORMAT_VERSION = 1

# Modules a preset config may name. Anything else is refused before import.
_TRUSTED_MODULE_PREFIXES = (
    "keras",
    "keras_core",
    "keras_cv",
    "keras_nlp",
    "keras_tuner",
    "keras_applications",
    "keras_preprocessing",
)
_REPORTED_PACKAGES = (
    "keras-core",
    "keras-cv",
    "keras-nlp",
    "keras-tuner",
    "keras-applications",
    "keras-preprocessing",
    "keras",
    "tensorflow",
)


def _saving_lib():
    # Keras' object-tree (de)serialization of variables and assets, the same
    # code that writes `.keras` archives. Wrapped here because it is private.
    from keras.src.saving import saving_lib

    return saving_lib


def _asset_store(root, mode):
    """A Keras asset store that reads and writes `root` directly.

    Keras' own directory store writes assets to a temporary directory that
    it deletes on close (keras 3.15: `saving_lib.save_model(..., zipped=False)`
    loses assets); this one keeps them where they belong.
    """
    saving_lib = _saving_lib()

    class _DirectoryAssetStore(saving_lib.DiskIOStore):
        def __init__(self, root_path, mode):
            self.mode = mode
            self.root_path = str(root_path)
            self.archive = None
            self.tmp_dir = None
            self.working_dir = str(root_path)
            if mode == "w":
                os.makedirs(self.working_dir, exist_ok=True)

        def close(self):
            pass

    return _DirectoryAssetStore(root, mode)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _list_files(directory):
    directory = pathlib.Path(directory)
    return sorted(
        p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()
    )


def _package_versions():
    from importlib import metadata

    versions = {}
    for name in _REPORTED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


@api_export(
    "keras_core.presets.save_to_preset", stability="stable", rfc="20261122-keras-core"
)
def save_to_preset(obj, directory):
    """Saves a Keras model, layer, tokenizer or preprocessor as a preset.

    The directory is written completely in a temporary sibling and then
    moved into place, so a crash never leaves a half-written preset and
    never destroys the preset that was there before.

    Args:
        obj: a built Keras object whose class is registered for
            serialization (every class exported with `api_export` is).
        directory: the local directory to write. It is replaced if it
            already holds a preset.

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import from_preset, save_to_preset
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = tempfile.mkdtemp() + "/tiny"
    >>> save_to_preset(model, path)
    >>> from_preset(path).output_shape
    (None, 2)
    """
    import keras

    if not hasattr(obj, "get_config"):
        raise TypeError(
            "`save_to_preset` expects a Keras object with `get_config()` "
            "(a model, layer, tokenizer or preprocessor). "
            f"Received: obj of type {type(obj).__name__}."
        )
    if isinstance(obj, keras.layers.Layer) and not obj.built:
        raise ValueError(
            f"{type(obj).__name__} '{obj.name}' is not built, so it has no "
            "weights to save yet. Call it on a batch of data (or call "
            "`build(input_shape)`) before `save_to_preset`."
        )
    directory = pathlib.Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(
            f"Cannot save a preset to {str(directory)!r}: it exists and is "
            "not a directory. Pass a directory path."
        )
    if directory.is_dir() and any(directory.iterdir()):
        if not (directory / METADATA_FILE).exists():
            raise ValueError(
                f"Refusing to overwrite {str(directory)!r}: it is a non-empty "
                "directory that does not hold a preset. Pass a new or empty "
                "directory."
            )

    config = keras.saving.serialize_keras_object(obj)
    config.pop("compile_config", None)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(
        tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent)
    )
    try:
        _write_preset(obj, config, staging)
        _replace_directory(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _write_preset(obj, config, staging):
    saving_lib = _saving_lib()
    with open(staging / CONFIG_FILE, "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    weights_store = saving_lib.H5IOStore(staging / WEIGHTS_FILE, mode="w")
    assets_store = _asset_store(staging / ASSETS_DIR, mode="w")
    try:
        saving_lib._save_state(
            obj,
            weights_store=weights_store,
            assets_store=assets_store,
            inner_path="",
            visited_saveables=set(),
        )
    finally:
        weights_store.close()
        assets_store.close()
    metadata = {
        "format_version": FORMAT_VERSION,
        "class_name": config.get("registered_name") or config.get("class_name"),
        "saved_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "package_versions": _package_versions(),
        "files": {name: _sha256(staging / name) for name in _list_files(staging)},
    }
    with open(staging / METADATA_FILE, "w") as f:
        json.dump(metadata, f, indent=2, sort_keys=True)


def _replace_directory(staging, directory):
    if not directory.exists():
        os.replace(staging, directory)
        return
    backup = directory.with_name(f".{directory.name}.old-{os.getpid()}")
    os.replace(directory, backup)
    try:
        os.replace(staging, directory)
    except BaseException:
        os.replace(backup, directory)  # put the old preset back
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _check_directory(directory):
    if isinstance(directory, str) and "://" in directory:
        # hf:// sources are downloaded into a local directory first (see
        # downloads.py); what is downloaded is then checked like a local preset.
        from keras_core.src import downloads

        directory = downloads.resolve_preset(directory)
    if isinstance(directory, os.PathLike):
        directory = os.fspath(directory)
    if not isinstance(directory, str):
        raise TypeError(
            "A preset is a local directory path (str or pathlib.Path). "
            f"Received: {directory!r} of type {type(directory).__name__}."
        )
    path = pathlib.Path(directory).expanduser()
    if not path.is_dir():
        raise ValueError(
            f"Preset {directory!r} is not a local directory. Point "
            "`from_preset` at a directory written by `save_to_preset` (or by "
            "a checkpoint converter), e.g. from_preset('/path/to/my_preset'), "
            "or at a hub repository holding one, 'hf://<org>/<name>'."
        )
    if not (path / METADATA_FILE).is_file():
        raise ValueError(
            f"{str(path)!r} is a directory but not a preset: it has no "
            f"{METADATA_FILE}. Presets are written by `save_to_preset`; a "
            f"preset directory holds {CONFIG_FILE}, {METADATA_FILE}, "
            f"{WEIGHTS_FILE} and {ASSETS_DIR}/."
        )
    return path


@api_export(
    "keras_core.presets.load_preset_metadata",
    stability="stable",
    rfc="20261122-keras-core",
)
def load_preset_metadata(directory):
    """Returns the verified `metadata.json` of a preset directory.

    Every file listed in the metadata is checked against its sha256, and
    any file that is missing, altered or not listed raises a `ValueError`
    naming it.

    Args:
        directory: the preset directory.

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import load_preset_metadata, save_to_preset
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = tempfile.mkdtemp() + "/tiny"
    >>> save_to_preset(model, path)
    >>> sorted(load_preset_metadata(path)["files"])
    ['config.json', 'model.weights.h5']
    """
    path = _check_directory(directory)
    try:
        with open(path / METADATA_FILE) as f:
            metadata = json.load(f)
        files = metadata["files"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(
            f"{str(path / METADATA_FILE)!r} is corrupt ({error}). Re-create the "
            "preset with `save_to_preset`."
        ) from error
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{str(path / METADATA_FILE)!r} has format_version="
            f"{metadata.get('format_version')!r}; this keras-core reads "
            f"format_version={FORMAT_VERSION}. Upgrade keras-core or re-save "
            "the preset."
        )
    present = set(_list_files(path)) - {METADATA_FILE}
    missing = sorted(set(files) - present)
    if missing:
        raise ValueError(
            f"Preset {str(path)!r} is incomplete: {', '.join(missing)} listed in "
            f"{METADATA_FILE} but missing. Copy the whole preset directory again."
        )
    unlisted = sorted(present - set(files))
    if unlisted:
        raise ValueError(
            f"Preset {str(path)!r} contains files its {METADATA_FILE} does not "
            f"list: {', '.join(unlisted)}. A preset is verified as a whole; "
            "remove those files or re-save the preset with `save_to_preset`."
        )
    for name, expected in sorted(files.items()):
        actual = _sha256(path / name)
        if actual != expected:
            raise ValueError(
                f"Preset file {str(path / name)!r} is corrupt or was modified: "
                f"its sha256 is {actual}, but {METADATA_FILE} records "
                f"{expected}. Restore the original file or re-save the preset."
            )
    return metadata


def _check_trusted_modules(config, where, registered=None):
    """Refuses classes that would need importing a module outside Keras and
    this project. Classes the running program registered itself (with
    `keras.saving.register_keras_serializable`) are allowed: they are code
    the user already runs, not code named by the preset."""
    if registered is None:
        import keras

        registered = set(keras.saving.get_custom_objects())
    if isinstance(config, dict):
        module = config.get("module")
        if isinstance(module, str) and "class_name" in config:
            if (
                module.split(".")[0] not in _TRUSTED_MODULE_PREFIXES
                and config.get("registered_name") not in registered
            ):
                raise ValueError(
                    f"{where} asks for class {config.get('class_name')!r} from "
                    f"module {module!r}. Presets may only use classes from "
                    f"{', '.join(_TRUSTED_MODULE_PREFIXES)} or classes your "
                    "program registered with "
                    "`keras.saving.register_keras_serializable`; refusing to "
                    "import anything else."
                )
        for value in config.values():
            _check_trusted_modules(value, where, registered)
    elif isinstance(config, list):
        for value in config:
            _check_trusted_modules(value, where, registered)


@api_export(
    "keras_core.presets.load_preset_config",
    stability="stable",
    rfc="20261122-keras-core",
)
def load_preset_config(directory):
    """Returns the verified serialized config of a preset (a dict).

    The hashes are checked first, and classes from modules outside Keras and
    this project's packages are refused.

    Args:
        directory: the preset directory.

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import load_preset_config, save_to_preset
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = tempfile.mkdtemp() + "/tiny"
    >>> save_to_preset(model, path)
    >>> load_preset_config(path)["class_name"]
    'Sequential'
    """
    path = _check_directory(directory)
    load_preset_metadata(path)
    with open(path / CONFIG_FILE) as f:
        config = json.load(f)
    _check_trusted_modules(config, repr(str(path / CONFIG_FILE)))
    return config


@api_export(
    "keras_core.presets.from_preset", stability="stable", rfc="20261122-keras-core"
)
def from_preset(directory, load_weights=True, **config_overrides):
    """Loads a model, layer, tokenizer or preprocessor from a preset directory.

    Args:
        directory: a local directory written by `save_to_preset`, or a
            HuggingFace hub repository holding one,
            `'hf://<org>/<name>[@<revision>]'` (see `resolve_preset`).
        load_weights: whether to load `model.weights.h5`; with `False` the
            object is freshly initialized (assets are still loaded).
        **config_overrides: entries replacing those of the saved config,
            e.g. `dropout=0.0`. Overriding an entry that changes weight
            shapes requires `load_weights=False`.

    Returns:
        The restored object.

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import from_preset, save_to_preset
    >>> layer = keras.layers.Dense(4)
    >>> _ = layer(keras.ops.ones((1, 2)))
    >>> path = tempfile.mkdtemp() + "/dense"
    >>> save_to_preset(layer, path)
    >>> tuple(from_preset(path).kernel.shape)
    (2, 4)
    """
    import keras

    path = _check_directory(directory)
    config = load_preset_config(path)
    if config_overrides:
        inner = config.get("config")
        unknown = sorted(set(config_overrides) - set(inner or {}))
        if unknown:
            raise ValueError(
                f"Cannot override {', '.join(unknown)}: the preset's config "
                f"has no such entries. Known entries: {', '.join(sorted(inner or {}))}."
            )
        inner.update(config_overrides)
    obj = keras.saving.deserialize_keras_object(config, safe_mode=True)
    saving_lib = _saving_lib()
    weights_store = None
    if load_weights:
        weights_store = saving_lib.H5IOStore(path / WEIGHTS_FILE, mode="r")
    assets_store = _asset_store(path / ASSETS_DIR, mode="r")
    failed, errors = set(), {}
    try:
        saving_lib._load_state(
            obj,
            weights_store=weights_store,
            assets_store=assets_store,
            inner_path="",
            visited_saveables=set(),
            failed_saveables=failed,
            error_msgs=errors,
        )
    finally:
        if weights_store is not None:
            weights_store.close()
    if errors:
        details = "; ".join(
            f"{getattr(saveable, 'name', saveable)}: {error}"
            for saveable, error in list(errors.values())[:5]
        )
        raise ValueError(
            f"The weights in {str(path / WEIGHTS_FILE)!r} do not fit the model "
            f"built from {CONFIG_FILE} ({len(errors)} object(s) failed: "
            f"{details}). If you overrode config entries that change weight "
            "shapes, pass `load_weights=False`."
        )
    return obj


@api_export(
    "keras_core.presets.PresetMixin", stability="stable", rfc="20261122-keras-core"
)
class PresetMixin:
    """Adds `from_preset` and `save_to_preset` methods to a Keras class.

    Domain packages mix it into their backbones, tasks, tokenizers and
    preprocessors so that `ResNet18.from_preset(path)` returns a
    `ResNet18` (and refuses a preset holding another class).

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import PresetMixin
    >>> @keras.saving.register_keras_serializable(package="my_project")
    ... class MyDense(PresetMixin, keras.layers.Dense):
    ...     pass
    >>> layer = MyDense(2)
    >>> _ = layer(keras.ops.ones((1, 3)))
    >>> path = tempfile.mkdtemp() + "/my_dense"
    >>> layer.save_to_preset(path)
    >>> type(MyDense.from_preset(path)).__name__
    'MyDense'
    """

    @classmethod
    def from_preset(cls, directory, load_weights=True, **config_overrides):
        """Loads an instance of this class from a preset directory.

        Args:
            directory: a local preset directory or `'hf://<org>/<name>'`.
            load_weights: whether to load the saved weights.
            **config_overrides: config entries to replace.
        """
        obj = from_preset(directory, load_weights=load_weights, **config_overrides)
        if not isinstance(obj, cls):
            raise ValueError(
                f"The preset {str(directory)!r} holds a "
                f"{type(obj).__name__}, not a {cls.__name__}. Load it with "
                f"`{type(obj).__name__}.from_preset` or `keras_core.presets."
                "from_preset`."
            )
        return obj

    def save_to_preset(self, directory):
        """Saves this object as a preset directory.

        Args:
            directory: the local directory to write.
        """
        save_to_preset(self, directory)
