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
import re
import shutil
import socket
import stat
import tempfile
import time

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
# What a preset may hold: the files the loader reads, nothing else. Top-level
# files are read by `from_preset` itself; files under `assets/` are read by
# the objects' `load_assets` (vocabularies, SentencePiece models, JSON
# tables, NumPy `.npz` archives, which are read with `allow_pickle=False`,
# e.g. the adapt counts of keras-preprocessing's lookups). Anything else
# (pickles, other archives, code) is refused, even when its hash matches,
# because nothing here would ever read it.
_TOP_LEVEL_FILES = (CONFIG_FILE, WEIGHTS_FILE)
_ASSET_SUFFIXES = (".txt", ".json", ".model", ".vocab", ".spm", ".npz")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_MAX_METADATA_BYTES = 16 << 20
_SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
# Leading bytes of formats nothing in a preset is read as.
_FOREIGN_SIGNATURES = (
    (b"\x80\x02", "a Python pickle"),
    (b"\x80\x03", "a Python pickle"),
    (b"\x80\x04", "a Python pickle"),
    (b"\x80\x05", "a Python pickle"),
    (b"PK\x03\x04", "a zip archive (e.g. a PyTorch checkpoint or `.keras` file)"),
    (b"\x7fELF", "an executable"),
)
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"

# Staging folders of `save_to_preset`: `.<target>.keras-core-staging-<pid>-<random>`
# beside the target, holding this marker file. A save that is killed leaves
# its staging folder behind; the next save in the same parent directory
# removes the ones whose process is gone (and puts back a previous preset
# that a kill left inside one).
_STAGING_TAG = "keras-core-staging"
_STAGING_MARKER = ".keras-core-staging.json"
_STAGING_PATTERN = re.compile(
    r"^\.(?P<target>.+)\." + _STAGING_TAG + r"-(?P<pid>[0-9]+)-[A-Za-z0-9_]+$"
)
# A staging folder written on another host (shared file system) cannot be
# checked for a live process; it is removed once it is this old.
_FOREIGN_STAGING_MAX_AGE = 24 * 3600
_STAGED_PRESET = "preset"
_PREVIOUS_PRESET = "previous"

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


def _within(path, root):
    return path == root or root in path.parents


def _list_files(directory):
    """The files of a preset directory, as sorted relative POSIX names.

    Symbolic links are allowed only to regular files inside the directory;
    a link that leaves it (or points to a directory, or dangles), and
    anything that is not a regular file (a FIFO, socket or device, which
    could block a reader forever), is refused with a `ValueError` naming it.
    """
    root = pathlib.Path(directory)
    real_root = pathlib.Path(os.path.realpath(root))
    names = []
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        current = pathlib.Path(current)
        for entry in sorted(dirnames) + sorted(filenames):
            full = current / entry
            name = full.relative_to(root).as_posix()
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                target = pathlib.Path(os.path.realpath(full))
                if not _within(target, real_root):
                    raise ValueError(
                        f"Preset file {str(full)!r} is a symbolic link to "
                        f"{str(target)!r}, outside the preset directory "
                        f"{str(real_root)!r}. A preset must hold its own files; "
                        "refusing to follow the link. Replace the link with a "
                        "copy of the file, or re-save the preset."
                    )
                if not target.is_file() or target.is_dir():
                    raise ValueError(
                        f"Preset entry {str(full)!r} is a symbolic link to "
                        f"{str(target)!r}, which is not a regular file. Presets "
                        "hold regular files (links only to files inside the "
                        "preset); replace the link with a copy, or re-save "
                        "the preset."
                    )
                names.append(name)
            elif stat.S_ISDIR(mode):
                continue
            elif stat.S_ISREG(mode):
                names.append(name)
            else:
                raise ValueError(
                    f"Preset entry {str(full)!r} is not a regular file (it is a "
                    "FIFO, socket or device). Presets hold regular files only; "
                    "remove it or re-save the preset."
                )
    return sorted(names)


def _check_file_name(path, name):
    """Refuses names the loader never reads (or that leave the preset)."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValueError(
            f"{str(path / METADATA_FILE)!r} lists the file {name!r}, which is "
            "not a plain relative path inside the preset. The preset is "
            "corrupt or was tampered with; re-create it with `save_to_preset`."
        )
    if name in _TOP_LEVEL_FILES:
        return
    if parts[0] == ASSETS_DIR and len(parts) > 1 and name.endswith(_ASSET_SUFFIXES):
        return
    raise ValueError(
        f"Preset {str(path)!r} lists the file {name!r} in {METADATA_FILE}, but "
        "the loader never reads such a file. A preset holds "
        f"{', '.join(_TOP_LEVEL_FILES)} and assets under {ASSETS_DIR}/ with the "
        f"suffixes {', '.join(_ASSET_SUFFIXES)}; files of any other type "
        "(pickles, archives, code) are refused. Remove the file and its entry, "
        "or re-save the preset with `save_to_preset`."
    )


def _check_file_content(path, name):
    """Refuses files whose content is of a type the loader never reads."""
    with open(path / name, "rb") as f:
        head = f.read(8)
    if name == WEIGHTS_FILE:
        if head != _HDF5_SIGNATURE:
            raise ValueError(
                f"Preset file {str(path / name)!r} is not an HDF5 file (it does "
                "not start with the HDF5 signature). Weights are read from HDF5 "
                "only; re-save the preset with `save_to_preset`."
            )
        return
    if name.endswith(".npz"):
        if not head.startswith(_ZIP_SIGNATURES):
            raise ValueError(
                f"Preset file {str(path / name)!r} is not a NumPy `.npz` archive "
                "(it does not start with the zip signature). Restore it or "
                "re-save the preset with `save_to_preset`."
            )
        return
    for signature, kind in _FOREIGN_SIGNATURES:
        if head.startswith(signature):
            raise ValueError(
                f"Preset file {str(path / name)!r} is {kind}, a type of file the "
                "preset loader never reads; refusing it. Remove it and its "
                f"entry in {METADATA_FILE}, or re-save the preset with "
                "`save_to_preset`."
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
    if isinstance(directory, os.PathLike):
        directory = os.fspath(directory)
    if not isinstance(directory, str):
        raise TypeError(
            "`save_to_preset` expects a local directory path (str or "
            f"pathlib.Path). Received: {directory!r} of type "
            f"{type(directory).__name__}."
        )
    directory = pathlib.Path(os.path.abspath(os.path.expanduser(directory)))
    if not directory.name:
        raise ValueError(
            f"Cannot save a preset to {str(directory)!r}: pass a directory "
            "path below the file-system root, e.g. '/path/to/my_preset'."
        )
    if directory.exists() and not directory.is_dir():
        raise ValueError(
            f"Cannot save a preset to {str(directory)!r}: it exists and is "
            "not a directory. Pass a directory path."
        )
    if directory.is_dir() and any(directory.iterdir()):
        _check_replaceable(directory)

    config = keras.saving.serialize_keras_object(obj)
    config.pop("compile_config", None)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale_staging(directory.parent)
    staging = _new_staging(directory)
    try:
        (staging / _STAGED_PRESET).mkdir()
        _write_preset(obj, config, staging / _STAGED_PRESET)
        _replace_directory(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _check_replaceable(directory):
    """Refuses to replace a directory that holds anything but a preset.

    Only files a previous `save_to_preset` wrote (those its `metadata.json`
    lists) may be replaced: anything else in the directory is the user's.
    """
    refuse = (
        f"Refusing to overwrite {str(directory)!r}: it is a non-empty "
        "directory that does not hold a preset{}. Pass a new or empty "
        "directory{}."
    )
    if not (directory / METADATA_FILE).is_file():
        raise ValueError(refuse.format("", ""))
    try:
        with open(directory / METADATA_FILE, "rb") as f:
            files = json.loads(f.read(_MAX_METADATA_BYTES + 1).decode("utf-8"))
        files = files.get("files") if isinstance(files, dict) else None
        if not isinstance(files, dict):
            raise ValueError(f"{METADATA_FILE} lists no files")
        present = set(_list_files(directory)) - {METADATA_FILE}
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(
            refuse.format(f" that can be verified ({error})", "")
        ) from None
    foreign = sorted(present - set(files))
    if foreign:
        raise ValueError(
            refuse.format(
                f" only: it also contains {', '.join(foreign[:10])}",
                ", or move those files out first",
            )
        )


def _process_start_time(pid):
    """The start time of process `pid` (Linux), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _process_alive(pid, start_time):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists and belongs to another user
    except OSError:
        return True  # cannot tell: keep it
    if start_time is not None:
        current = _process_start_time(pid)
        if current is not None and current != start_time:
            return False  # the pid was reused by another process
    return True


def _new_staging(directory):
    """Creates the staging folder of one save, with its ownership marker."""
    pid = os.getpid()
    staging = pathlib.Path(
        tempfile.mkdtemp(
            prefix=f".{directory.name}.{_STAGING_TAG}-{pid}-", dir=directory.parent
        )
    )
    marker = {
        "pid": pid,
        "host": socket.gethostname(),
        "process_start_time": _process_start_time(pid),
        "created": time.time(),
        "target": directory.name,
    }
    with open(staging / _STAGING_MARKER, "w") as f:
        json.dump(marker, f)
    return staging


def _stale_staging_marker(entry):
    """The marker of `entry` if it is a staging folder of a dead save, else None.

    A folder counts only if its name matches the staging pattern, it is a
    real directory (not a link) and it holds a marker whose pid matches the
    name; it is stale when that process is gone (or, for a folder written on
    another host, after `_FOREIGN_STAGING_MAX_AGE`).
    """
    match = _STAGING_PATTERN.match(entry.name)
    if not match or entry.is_symlink() or not entry.is_dir():
        return None
    marker_file = entry / _STAGING_MARKER
    try:
        if marker_file.is_symlink() or not marker_file.is_file():
            return None
        if marker_file.stat().st_size > 4096:
            return None
        marker = json.loads(marker_file.read_text())
        pid = marker["pid"]
        created = float(marker["created"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (
        not isinstance(pid, int)
        or pid != int(match.group("pid"))
        or marker.get("target") != match.group("target")
    ):
        return None
    if marker.get("host") == socket.gethostname():
        if _process_alive(pid, marker.get("process_start_time")):
            return None
    elif time.time() - created < _FOREIGN_STAGING_MAX_AGE:
        return None
    return marker


def _clean_stale_staging(parent):
    """Removes staging folders that killed saves left in `parent`.

    A save killed between moving the previous preset aside and moving the
    new one in leaves the previous preset inside its staging folder; it is
    put back first, so nothing the user saved is lost.
    """
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        entry = pathlib.Path(entry.path)
        marker = _stale_staging_marker(entry)
        if marker is None:
            continue
        target = parent / marker["target"]
        previous = entry / _PREVIOUS_PRESET
        if previous.is_dir() and not os.path.lexists(target):
            try:
                os.replace(previous, target)
            except OSError:
                continue  # keep everything rather than lose the old preset
        if (previous.is_dir() or previous.is_symlink()) and not os.path.lexists(target):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _training_state_ids(obj):
    """Ids of the objects a preset leaves out: the optimizer of a compiled
    model (its slot variables and step count).

    A preset is the object's config, weights and assets; the compile state
    is not saved (`compile_config` is dropped), so neither is the optimizer
    state it belongs to. Presets written before this held the optimizer's
    variables; loading skips them too (the file is left as it is), instead
    of Keras warning that it skips them or loading them into an optimizer
    the user compiled afresh.
    """
    optimizer = getattr(obj, "optimizer", None)
    return {id(optimizer)} if optimizer is not None else set()


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
            # Marked as visited so that Keras skips them.
            visited_saveables=_training_state_ids(obj),
        )
    finally:
        weights_store.close()
        assets_store.close()
    names = _list_files(staging)
    for name in names:
        if name not in _TOP_LEVEL_FILES and not (
            name.startswith(ASSETS_DIR + "/") and name.endswith(_ASSET_SUFFIXES)
        ):
            raise ValueError(
                f"{type(obj).__name__} wrote the asset {name!r}, a type of file "
                "presets do not hold (the loader would refuse it). Assets must "
                f"end in {', '.join(_ASSET_SUFFIXES)}; change the object's "
                "`save_assets` to write one of those."
            )
    metadata = {
        "format_version": FORMAT_VERSION,
        "class_name": config.get("registered_name") or config.get("class_name"),
        "saved_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "package_versions": _package_versions(),
        "files": {name: _sha256(staging / name) for name in names},
    }
    with open(staging / METADATA_FILE, "w") as f:
        json.dump(metadata, f, indent=2, sort_keys=True)


def _replace_directory(staging, directory):
    """Moves `staging/preset` to `directory`, atomically for each step.

    An existing preset is first moved into the staging folder (same file
    system, so a rename), which is removed afterwards. If the process is
    killed between the two renames, the next save finds the staging folder
    and moves the previous preset back.
    """
    new = staging / _STAGED_PRESET
    if not directory.exists():
        os.replace(new, directory)
        return
    previous = staging / _PREVIOUS_PRESET
    os.replace(directory, previous)
    try:
        os.replace(new, directory)
    except BaseException:
        os.replace(previous, directory)  # put the old preset back
        raise


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
    naming it. So does a symbolic link that leaves the preset directory,
    an entry that is not a regular file, and a file of a type the loader
    never reads (only `config.json`, `model.weights.h5` (HDF5) and assets
    under `assets/` ending in `.txt`, `.json`, `.model`, `.vocab`, `.spm`
    or `.npz` are accepted; pickles, other archives and executables never
    are).

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
    present = set(_list_files(path))  # refuses links that leave the preset
    metadata = _read_metadata(path)
    files = metadata["files"]
    for name in sorted(files):
        _check_file_name(path, name)
    present.discard(METADATA_FILE)
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
    required = sorted(set(_TOP_LEVEL_FILES) - set(files))
    if required:
        raise ValueError(
            f"{str(path / METADATA_FILE)!r} does not list {', '.join(required)}, "
            "which every preset has. The preset is corrupt or was tampered with; "
            "re-create it with `save_to_preset`."
        )
    for name, expected in sorted(files.items()):
        actual = _sha256(path / name)
        if actual != expected:
            raise ValueError(
                f"Preset file {str(path / name)!r} is corrupt or was modified: "
                f"its sha256 is {actual}, but {METADATA_FILE} records "
                f"{expected}. Restore the original file or re-save the preset."
            )
        _check_file_content(path, name)
    return metadata


def _read_metadata(path):
    """Reads and validates the structure of `metadata.json`."""
    file = path / METADATA_FILE

    def corrupt(reason):
        return ValueError(
            f"{str(file)!r} is corrupt ({reason}). Re-create the preset with "
            "`save_to_preset`."
        )

    size = os.stat(file).st_size
    if size > _MAX_METADATA_BYTES:
        raise corrupt(
            f"{size} bytes; a preset's metadata is at most {_MAX_METADATA_BYTES} bytes"
        )
    try:
        with open(file, "rb") as f:
            metadata = json.loads(f.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise corrupt(f"not valid JSON: {error}") from None
    if not isinstance(metadata, dict):
        raise corrupt(f"expected a JSON object, found {type(metadata).__name__}")
    if "files" not in metadata:
        raise corrupt("no 'files' entry")
    if metadata.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{str(file)!r} has format_version="
            f"{metadata.get('format_version')!r}; this keras-core reads "
            f"format_version={FORMAT_VERSION}. Upgrade keras-core or re-save "
            "the preset."
        )
    files = metadata["files"]
    if not isinstance(files, dict):
        raise corrupt(
            "'files' must map file names to sha256 hex digests, found a "
            f"{type(files).__name__}"
        )
    for name, digest in files.items():
        if not isinstance(digest, str) or not _SHA256_PATTERN.match(digest):
            raise corrupt(
                f"the sha256 recorded for {name!r} is {digest!r}, not 64 "
                "lowercase hex digits"
            )
    if METADATA_FILE in files:
        raise corrupt(f"it lists itself ({METADATA_FILE}) among the files")
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
    file = path / CONFIG_FILE
    try:
        with open(file, "rb") as f:
            config = json.loads(f.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValueError(
            f"Preset file {str(file)!r} is not valid JSON ({error}). Re-create "
            "the preset with `save_to_preset`."
        ) from None
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(
            f"Preset file {str(file)!r} is not a serialized Keras object (a JSON "
            "object with a 'class_name'); found "
            f"{type(config).__name__}. Re-create the preset with `save_to_preset`."
        )
    _check_trusted_modules(config, repr(str(file)))
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
        if not isinstance(inner, dict):
            inner = None
        unknown = sorted(set(config_overrides) - set(inner or {}))
        if unknown:
            raise ValueError(
                f"Cannot override {', '.join(unknown)}: the preset's config "
                f"has no such entries. Known entries: {', '.join(sorted(inner or {}))}."
            )
        inner.update(config_overrides)
    try:
        obj = keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as error:
        if isinstance(error, ValueError) and str(path / CONFIG_FILE) in str(error):
            raise
        raise ValueError(
            f"Could not build the object described by "
            f"{str(path / CONFIG_FILE)!r}: {type(error).__name__}: {error}"
        ) from error
    saving_lib = _saving_lib()
    weights_store = None
    assets_store = _asset_store(path / ASSETS_DIR, mode="r")
    failed, errors = set(), {}
    try:
        if load_weights:
            weights_store = saving_lib.H5IOStore(path / WEIGHTS_FILE, mode="r")
        saving_lib._load_state(
            obj,
            weights_store=weights_store,
            assets_store=assets_store,
            inner_path="",
            visited_saveables=_training_state_ids(obj),
            failed_saveables=failed,
            error_msgs=errors,
        )
    except Exception as error:  # an unreadable HDF5 file (h5py raises many types)
        raise ValueError(
            f"Preset file {str(path / WEIGHTS_FILE)!r} could not be read "
            f"({type(error).__name__}: {error}). The file is damaged; restore "
            "it or re-save the preset."
        ) from error
    finally:
        if weights_store is not None:
            weights_store.close()
    if errors:
        details = "; ".join(
            f"{getattr(saveable, 'name', saveable)}: {error}"
            for saveable, error in list(errors.values())[:5]
        )
        raise ValueError(
            f"The weights in {str(path / WEIGHTS_FILE)!r} (or the assets in "
            f"{str(path / ASSETS_DIR)!r}) do not fit the model "
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
