# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""Where presets and weights come from: local paths, the HuggingFace hub, URLs.

One resolver turns a *source* into a local path that the loaders then check
exactly as they check a local file (hashes, `safe_mode`, trusted classes):

- a local path is returned as it is;
- `hf://<org>/<name>[@<revision>]` is read through `huggingface_hub`: its
  cache (`HF_HOME` / `HF_HUB_CACHE`), its endpoint (`HF_ENDPOINT`), its
  token (`HF_TOKEN`) and its offline mode (`HF_HUB_OFFLINE`). Every file is
  checked against the hash the hub advertises for it (the sha256 of LFS
  files, the git blob hash of the others);
- `https://` (or `http://`) files are downloaded into the Keras cache
  (`$KERAS_HOME/<cache_subdir>`, `~/.keras/models` by default, where
  `keras.utils.get_file` puts them) and checked against the given hash.
  A download is written to `<name>.part` and renamed only once complete and
  verified, so an interrupted or killed download never leaves a file that
  looks complete; the next attempt resumes it with an HTTP `Range` request
  when the server allows. A verified file in the cache is used without any
  request. `HF_HUB_OFFLINE=1` forbids these downloads too (one switch for
  every download of this project).
"""

import contextlib
import hashlib
import json
import os
import pathlib
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from keras_core.src.api_export import api_export

HF_SCHEME = "hf://"
_RFC = "20261207-keras-core-preset-sources"
_HUB_EXTRA = 'pip install "keras-core[hub]"'
_TIMEOUT = 60
_CHUNK = 1 << 16
_TRUE = ("1", "true", "yes", "on")
_REPO_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_remote(source):
    """Whether `source` is a string naming a remote source (hf://, http(s)://)."""
    return isinstance(source, str) and (
        source.startswith(HF_SCHEME) or source.startswith(("https://", "http://"))
    )


def offline():
    """Whether downloads are forbidden (`HF_HUB_OFFLINE` is set to a true value)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def keras_home():
    """`$KERAS_HOME`, or `~/.keras`: the cache root of `keras.utils.get_file`."""
    return os.path.expanduser(os.environ.get("KERAS_HOME") or "~/.keras")


def parse_hf_source(source):
    """Splits `hf://org/name[@revision]` into `(repo_id, revision or None)`."""
    rest = source[len(HF_SCHEME) :]
    repo_id, at, revision = rest.partition("@")
    parts = repo_id.split("/")
    if (
        len(parts) != 2
        or not all(_REPO_PART.match(p) for p in parts)
        or (at and not revision)
    ):
        raise ValueError(
            "A HuggingFace hub source looks like 'hf://<org>/<name>' or "
            "'hf://<org>/<name>@<revision>' (a branch, tag or commit hash), "
            f"e.g. 'hf://google-bert/bert-base-uncased'. Received: {source!r}."
        )
    return repo_id, revision or None


def _check_source(source, argument="source"):
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if not isinstance(source, str):
        raise TypeError(
            f"`{argument}` must be a local path, 'hf://<org>/<name>[@<revision>]' "
            "or an 'https://' URL (a str or pathlib.Path). "
            f"Received: {source!r} of type {type(source).__name__}."
        )
    if "://" in source and not is_remote(source):
        raise ValueError(
            f"Unsupported source {source!r}: the supported remote sources are "
            "'hf://<org>/<name>[@<revision>]' (HuggingFace hub) and "
            "'https://...' files. Anything else is a local path."
        )
    return source


def _hash_algorithm(file_hash):
    if not isinstance(file_hash, str) or not re.fullmatch(
        r"[0-9a-f]{8,64}", file_hash.lower()
    ):
        raise ValueError(
            "`file_hash` must be the hex sha256 (64 characters) of the file, "
            "the md5 (32 characters) some older publishers give, or a sha256 "
            "prefix of at least 8 characters (as torchvision names its files, "
            "e.g. 'eeacb38b' in 'retinanet_resnet50_fpn_coco-eeacb38b.pth'). "
            f"Received: file_hash={file_hash!r}. Compute it with "
            "`sha256sum FILE`."
        )
    # 32 characters are an md5; any other length a sha256 or its prefix.
    return "md5" if len(file_hash) == 32 else "sha256"


def _hash_matches(actual, file_hash):
    """Whether a file's full digest matches `file_hash` (full or prefix)."""
    return actual == file_hash or (len(file_hash) < 64 and actual.startswith(file_hash))


def hash_file(path, algorithm="sha256"):
    """The hex digest of a file (`sha256`, `md5`, or `git` for a git blob id)."""
    if algorithm == "git":
        digest = hashlib.sha1(f"blob {os.path.getsize(path)}\0".encode())
    else:
        digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- huggingface


def _hub():
    try:
        import huggingface_hub
    except ImportError as error:
        raise ImportError(
            "Loading from 'hf://' sources needs the `huggingface_hub` package, "
            f"which is the optional `keras-core[hub]` extra: {_HUB_EXTRA}. "
            "Or download the repository yourself and pass its local folder."
        ) from error
    return huggingface_hub


def _hub_kwargs():
    """Settings huggingface_hub reads at import time, read again per call so
    that `HF_ENDPOINT`, `HF_HUB_CACHE`/`HF_HOME` and `HF_TOKEN` set after
    import (e.g. by a test or a notebook cell) still apply."""
    kwargs = {}
    endpoint = os.environ.get("HF_ENDPOINT")
    if endpoint:
        kwargs["endpoint"] = endpoint.rstrip("/")
    cache = os.environ.get("HF_HUB_CACHE")
    if not cache and os.environ.get("HF_HOME"):
        cache = os.path.join(os.path.expanduser(os.environ["HF_HOME"]), "hub")
    if cache:
        kwargs["cache_dir"] = os.path.expanduser(cache)
    token = os.environ.get("HF_TOKEN")
    if token:
        kwargs["token"] = token
    return kwargs


def _offline_message(repo_id, revision, filename):
    revision_arg = f" --revision {revision}" if revision else ""
    cache = _hub_kwargs().get("cache_dir") or "~/.cache/huggingface/hub"
    return (
        f"{filename!r} of hf://{repo_id}{'@' + revision if revision else ''} "
        f"is not in the HuggingFace cache ({cache}) and downloads "
        "are off (HF_HUB_OFFLINE is set or the hub cannot be reached). On a "
        f"machine with internet, run `hf download {repo_id}{revision_arg}` and "
        "copy its cache folder here (set HF_HUB_CACHE to it), or download the "
        "repository files into a local folder and pass that folder instead."
    )


def _verify_hub_file(path, repo_id, revision, filename):
    """Checks a cached hub file against the hash in its blob name.

    huggingface_hub stores each file as `blobs/<etag>`: the sha256 of LFS
    files, the git blob id of the others. A file whose content does not match
    is removed from the cache (the library created it) and reported."""
    real = os.path.realpath(path)
    etag = os.path.basename(real)
    if os.path.islink(path) and re.fullmatch(r"[0-9a-f]{64}", etag):
        algorithm = "sha256"
    elif os.path.islink(path) and re.fullmatch(r"[0-9a-f]{40}", etag):
        algorithm = "git"
    else:
        return  # a cache without symlinks keeps no hash to check against
    actual = hash_file(real, algorithm)
    if actual != etag:
        os.remove(real)
        os.remove(path)
        raise ValueError(
            f"The file {filename!r} downloaded from hf://{repo_id}"
            f"{'@' + revision if revision else ''} is corrupt: its "
            f"{'sha256' if algorithm == 'sha256' else 'git blob hash'} is "
            f"{actual}, but the hub advertises {etag}. The corrupt copy was "
            "removed from the cache; try again, and if it persists the "
            "server or a proxy is altering the file."
        )


def _hub_download(repo_id, revision, filename, missing_ok):
    hub = _hub()
    from huggingface_hub import errors

    kwargs = _hub_kwargs()
    where = f"hf://{repo_id}{'@' + revision if revision else ''}"
    try:
        path = hub.hf_hub_download(
            repo_id,
            filename,
            revision=revision,
            local_files_only=offline(),
            **kwargs,
        )
    except errors.LocalEntryNotFoundError as error:  # before its base class
        if missing_ok:
            # Offline: huggingface_hub remembers files the hub said it lacks.
            cached = hub.try_to_load_from_cache(
                repo_id, filename, cache_dir=kwargs.get("cache_dir"), revision=revision
            )
            if cached is hub._CACHED_NO_EXIST:
                return None
        raise FileNotFoundError(
            _offline_message(repo_id, revision, filename)
        ) from error
    except errors.EntryNotFoundError as error:
        if missing_ok:
            return None
        raise ValueError(
            f"{where} has no file {filename!r}"
            f"{' at revision ' + revision if revision else ''}. Check the file "
            "name and revision on the hub."
        ) from error
    except errors.RevisionNotFoundError as error:
        raise ValueError(
            f"{where}: the repository has no revision {revision!r}. Pass an "
            "existing branch, tag or commit hash after '@'."
        ) from error
    except errors.RepositoryNotFoundError as error:
        raise ValueError(
            f"{where}: repository {repo_id!r} not found, or it is private or "
            "gated and no valid token was sent. Check the name, and set "
            "HF_TOKEN (or run `hf auth login`) for private repositories."
        ) from error
    _verify_hub_file(path, repo_id, revision, filename)
    return path


# ---------------------------------------------------------------------- https


def _show_progress():
    stream = sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def _download(url, target, file_hash, algorithm):
    """Downloads `url` to `target` through `target.part`, resuming if possible."""
    part = target + ".part"
    offset = os.path.getsize(part) if os.path.isfile(part) else 0
    request = urllib.request.Request(url)
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:  # the partial file is not a prefix
            os.remove(part)
            return _download(url, target, file_hash, algorithm)
        if error.code == 404:
            raise ValueError(
                f"{url} does not exist on the server (HTTP 404). Check the "
                "URL, or download the file yourself and place it at "
                f"{target}."
            ) from error
        raise ConnectionError(
            f"Downloading {url} failed: HTTP {error.code} {error.reason}. "
            f"Try again later, or place the file at {target} yourself."
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConnectionError(
            f"Cannot reach {url} ({reason}). Without network access, download "
            f"the file on another machine and place it at {target}."
        ) from error
    with response:
        if offset and response.status != 206:
            offset = 0  # the server ignored the Range header: start over
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length is not None else None
        progbar = None
        if _show_progress():
            import keras

            print(f"Downloading {url}")
            progbar = keras.utils.Progbar(total, unit_name="bytes")
        written = offset
        with open(part, "ab" if offset else "wb") as f:
            try:
                for block in iter(lambda: response.read1(_CHUNK), b""):
                    f.write(block)
                    written += len(block)
                    if progbar is not None:
                        progbar.update(written)
            except (OSError, ValueError) as error:  # connection dropped
                raise ConnectionError(
                    f"The download of {url} was interrupted after {written} "
                    f"bytes ({error}). Call again to resume it."
                ) from error
    if total is not None and written != total:
        raise ConnectionError(
            f"The download of {url} was interrupted after {written} of {total} "
            "bytes. Call again to resume it."
        )
    if file_hash is not None:
        actual = hash_file(part, algorithm)
        if not _hash_matches(actual, file_hash):
            os.remove(part)  # ours, and useless: resuming it cannot help
            raise ValueError(
                f"The file {os.path.basename(target)!r} downloaded from {url} "
                f"is corrupt or not the expected file: its {algorithm} is "
                f"{actual}, expected {file_hash}. Nothing was kept; try again, "
                "and if it persists the server is serving another file."
            )
    os.replace(part, target)


@contextlib.contextmanager
def _exclusive(path):
    """Serializes downloads of one file across processes (POSIX `flock`), so
    that two never append to the same `.part` file."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; the hash check still applies
        yield
        return
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _url_file(url, filename, file_hash, cache_subdir):
    if filename is None:
        filename = os.path.basename(urllib.parse.urlparse(url).path)
    if not filename or "/" in filename or filename in (".", ".."):
        raise ValueError(
            f"Cannot name the cached copy of {url!r}. Pass `filename`, a plain "
            f"file name such as 'weights.h5'. Received: filename={filename!r}."
        )
    algorithm = _hash_algorithm(file_hash.lower()) if file_hash else None
    file_hash = file_hash.lower() if file_hash else None
    directory = os.path.join(keras_home(), cache_subdir)
    target = os.path.join(directory, filename)
    if os.path.isfile(target):
        if file_hash is None:
            return target
        actual = hash_file(target, algorithm)
        if _hash_matches(actual, file_hash):
            return target
        raise ValueError(
            f"The cached file {target} does not match the expected file of "
            f"{url}: its {algorithm} is {actual}, expected {file_hash}. It was "
            "not written by this library (downloads are verified before they "
            "are stored); delete it to download the file again."
        )
    if offline():
        raise FileNotFoundError(
            f"{filename} is not in the cache and downloads are off "
            f"(HF_HUB_OFFLINE is set). Download {url} on a machine with "
            f"internet and place it at {target}"
            + (f" (its {algorithm} must be {file_hash})." if file_hash else ".")
        )
    os.makedirs(directory, exist_ok=True)
    with _exclusive(target + ".lock"):
        if not os.path.isfile(target):  # another process may have finished it
            _download(url, target, file_hash, algorithm)
    return target


# --------------------------------------------------------------------- public


@api_export("keras_core.presets.resolve_file", stability="stable", rfc=_RFC)
def resolve_file(
    source, filename=None, file_hash=None, cache_subdir="models", missing_ok=False
):
    """Returns the local path of a file from a local path, the hub or a URL.

    - A local path is returned unchanged (with `filename`, the file of that
      name inside the local folder `source`).
    - `hf://<org>/<name>[@<revision>]` with `filename`: the file of that
      HuggingFace hub repository, through `huggingface_hub` and its cache
      (needs the `keras-core[hub]` extra), verified against the hash the
      hub advertises. `HF_ENDPOINT`, `HF_TOKEN`, `HF_HOME`/`HF_HUB_CACHE`
      and `HF_HUB_OFFLINE` apply.
    - An `https://` URL: downloaded once into `$KERAS_HOME/<cache_subdir>`
      (`~/.keras/models` by default, where `keras.utils.get_file` caches),
      resumably and atomically, and verified against `file_hash`. A cached
      file that matches is used without any network request.

    Args:
        source: a local file or folder, `'hf://<org>/<name>[@<revision>]'`,
            or an `https://` URL.
        filename: the file inside the folder or repository `source`; for a
            URL, the name of the cached copy (default: the URL's last part).
        file_hash: for URLs, the expected sha256 (64 hex characters), the
            md5 (32) where only that is published, or a sha256 prefix of 8
            or more characters (torchvision puts one in its file names).
            Pass it whenever the publisher gives one.
        cache_subdir: for URLs, the folder under `$KERAS_HOME`.
        missing_ok: return `None` instead of raising when the hub repository
            or local folder has no file `filename`.

    Returns:
        The local path (a str), or `None` (see `missing_ok`).

    Examples:

    >>> import os, tempfile
    >>> from keras_core.presets import resolve_file
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "vocab.txt"), "w") as f:
    ...     _ = f.write("[PAD]\\n")
    >>> os.path.basename(resolve_file(folder, "vocab.txt"))
    'vocab.txt'
    >>> resolve_file(folder, "model.safetensors", missing_ok=True) is None
    True
    """
    source = _check_source(source)
    if filename is not None and (
        not isinstance(filename, str)
        or not filename
        or filename.startswith("/")
        or ".." in filename.split("/")
    ):
        raise ValueError(
            "`filename` must be a relative file name such as 'config.json'. "
            f"Received: filename={filename!r}."
        )
    if source.startswith(HF_SCHEME):
        repo_id, revision = parse_hf_source(source)
        if filename is None:
            raise ValueError(
                f"Pass the `filename` to read from {source!r}, e.g. "
                "resolve_file(source, 'config.json')."
            )
        return _hub_download(repo_id, revision, filename, missing_ok)
    if is_remote(source):
        if not isinstance(cache_subdir, str) or not cache_subdir:
            raise ValueError(
                "`cache_subdir` must be a folder name such as 'models'. "
                f"Received: cache_subdir={cache_subdir!r}."
            )
        return _url_file(source, filename, file_hash, cache_subdir)
    path = os.path.expanduser(source)
    if filename is not None:
        path = os.path.join(path, filename)
    if not os.path.isfile(path):
        if missing_ok:
            return None
        raise ValueError(
            f"No file {path!r}. Pass an existing local file (or folder and "
            "`filename`), an 'hf://' repository or an 'https://' URL."
        )
    return path


def _preset_cache_dir(repo_id, commit):
    return os.path.join(
        keras_home(), "presets", "hf", repo_id.replace("/", "--"), commit
    )


def hub_commit(path):
    """The commit hash of a file in the huggingface_hub cache (`snapshots/<commit>/...`)."""
    parts = pathlib.Path(path).parts
    if "snapshots" in parts:
        index = len(parts) - 1 - parts[::-1].index("snapshots")
        if index + 1 < len(parts):
            return parts[index + 1]
    return None


def assemble_directory(files, target):
    """Writes `target` with `files` ({relative name: local path}) atomically.

    Files are hard-linked when possible (no extra disk space), else copied;
    the folder appears complete or not at all."""
    target = pathlib.Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
    )
    try:
        for name, path in files.items():
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            real = os.path.realpath(path)
            try:
                os.link(real, destination)
            except OSError:
                shutil.copyfile(real, destination)
        try:
            os.replace(staging, target)
        except OSError:
            if not target.is_dir():  # not a concurrent writer finishing first
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return str(target)


@api_export("keras_core.presets.resolve_preset", stability="stable", rfc=_RFC)
def resolve_preset(source):
    """Returns the local directory of a preset from a local path or the hub.

    A local directory is returned unchanged. For
    `'hf://<org>/<name>[@<revision>]'` (a hub repository holding a preset
    written by `save_to_preset`, e.g. pushed with `upload_preset`), its
    `metadata.json` and every file it lists are downloaded at one commit
    through `huggingface_hub` and assembled into
    `$KERAS_HOME/presets/hf/<org>--<name>/<commit>/`, which the loader then
    verifies like any local preset (sha256 of every file, `safe_mode`,
    trusted classes only). Offline (`HF_HUB_OFFLINE=1`) the cached copy of
    the revision is used.

    Args:
        source: a local preset directory or `'hf://<org>/<name>[@<revision>]'`.

    Returns:
        The local directory (a str).

    Examples:

    >>> import keras, tempfile
    >>> from keras_core.presets import resolve_preset, save_to_preset
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = tempfile.mkdtemp() + "/tiny"
    >>> save_to_preset(model, path)
    >>> resolve_preset(path) == path
    True
    """
    from keras_core.src import presets

    source = _check_source(source)
    if not source.startswith(HF_SCHEME):
        if is_remote(source):
            raise ValueError(
                f"A preset is a folder, so it cannot come from the single-file "
                f"URL {source!r}. Pass a local directory or an "
                "'hf://<org>/<name>[@<revision>]' repository."
            )
        return source
    repo_id, revision = parse_hf_source(source)
    metadata_path = _hub_download(repo_id, revision, presets.METADATA_FILE, True)
    if metadata_path is None:
        raise ValueError(
            f"{source} holds no {presets.METADATA_FILE}, so it is not a preset "
            "written by `save_to_preset`. If it is a checkpoint of another "
            "library (e.g. a transformers BERT), load it with the domain "
            "package's `from_preset`, which converts supported families, e.g. "
            f"keras_nlp.models.BertClassifier.from_preset({source!r}, num_classes=2)."
        )
    commit = hub_commit(metadata_path) or "local"
    target = _preset_cache_dir(repo_id, commit)
    if os.path.isfile(os.path.join(target, presets.METADATA_FILE)):
        return target  # assembled before; the loader verifies every hash
    try:
        with open(metadata_path) as f:
            names = sorted(json.load(f)["files"])
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(
            f"The {presets.METADATA_FILE} of {source} is corrupt ({error}); it "
            "is not a preset written by `save_to_preset`."
        ) from error
    files = {presets.METADATA_FILE: metadata_path}
    pinned = commit if commit != "local" else revision
    for name in names:
        if (
            not isinstance(name, str)
            or name.startswith("/")
            or ".." in name.split("/")
            or name == presets.METADATA_FILE
        ):
            raise ValueError(
                f"The {presets.METADATA_FILE} of {source} lists the file "
                f"{name!r}, which is not a relative path inside the preset; "
                "refusing to load it."
            )
        files[name] = _hub_download(repo_id, pinned, name, False)
    return assemble_directory(files, target)


@api_export("keras_core.presets.upload_preset", stability="stable", rfc=_RFC)
def upload_preset(directory, repo_id, revision=None, private=None, commit_message=None):
    """Pushes a preset directory to a HuggingFace hub repository.

    The preset is verified first (every hash), the repository is created if
    it does not exist, and the files are committed in one commit with
    `huggingface_hub`'s `upload_folder`; it then loads back with
    `from_preset('hf://<repo_id>')`. Needs the `keras-core[hub]` extra and a
    write token (`HF_TOKEN` or `hf auth login`).

    Args:
        directory: a local preset directory written by `save_to_preset`.
        repo_id: the repository, `'<org>/<name>'` (or `'hf://<org>/<name>'`).
        revision: the branch to commit to (default: the main branch).
        private: whether a newly created repository is private
            (default: the hub's default).
        commit_message: the commit message (default: "Upload <class> preset").

    Returns:
        The source to load it from, `'hf://<repo_id>@<commit>'`.

    A `LocalHubServer` stands in for https://huggingface.co in the example.

    Example:

    ```python
    import os, tempfile
    from unittest import mock
    import keras
    from keras_core.presets import from_preset, save_to_preset, upload_preset
    from keras_core.testing import LocalHubServer

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = os.path.join(tempfile.mkdtemp(), "tiny")
    save_to_preset(model, path)
    with LocalHubServer() as hub, mock.patch.dict(
        os.environ,
        {
            "HF_ENDPOINT": hub.url,  # unset for the real hub, with HF_TOKEN set
            "HF_HUB_CACHE": tempfile.mkdtemp(),
            "KERAS_HOME": tempfile.mkdtemp(),
        },
    ):
        source = upload_preset(path, "me/tiny")  # 'hf://me/tiny@<commit>'
        restored = from_preset(source)
    assert restored.output_shape == (None, 2)
    ```
    """
    from keras_core.src import presets

    metadata = presets.load_preset_metadata(directory)
    if not isinstance(repo_id, str):
        raise TypeError(
            f"`repo_id` must be a str '<org>/<name>'. Received: {repo_id!r}."
        )
    name = repo_id[len(HF_SCHEME) :] if repo_id.startswith(HF_SCHEME) else repo_id
    parsed, at = parse_hf_source(HF_SCHEME + name)
    if at is not None:
        raise ValueError(
            f"Pass the branch as `revision`, not in `repo_id`. Received: repo_id={repo_id!r}."
        )
    if offline():
        raise ConnectionError(
            "Cannot upload while HF_HUB_OFFLINE is set. Unset it and try again."
        )
    hub = _hub()
    kwargs = _hub_kwargs()
    kwargs.pop("cache_dir", None)
    api = hub.HfApi(
        endpoint=kwargs.pop("endpoint", None), token=kwargs.pop("token", None)
    )
    api.create_repo(parsed, private=private, exist_ok=True)
    commit = api.upload_folder(
        repo_id=parsed,
        folder_path=os.fspath(directory),
        revision=revision,
        commit_message=commit_message
        or f"Upload {metadata.get('class_name', 'Keras')} preset",
    )
    return f"{HF_SCHEME}{parsed}@{commit.oid}"
