# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""The project directory of a search: its name, ownership marker and lock.

A project lives in `directory/project_name`. Three rules keep other
people's files and other processes' results safe:

- **One path component.** `project_name` names one folder inside
  `directory`: not empty, not "." or "..", no path separator, not an
  absolute path. So a project can never resolve to `directory` itself,
  its parent, or another folder on the disk.
- **A marker file.** When the tuner creates the project folder (or adopts
  an empty one) it writes `MARKER_FILE` into it. `overwrite=True` deletes
  only the tuner's own files (`oracle.json`, `trial_*`, `logs`, results,
  ...) in a folder that carries the marker (files it does not know there
  are kept, with a warning). A folder made by an earlier version has no
  marker: it is recognised as a project when it holds an `oracle.json`
  state file (ours, or keras-tuner 1.4's) and nothing but the tuner's own
  entries, and is then marked. Anything else is refused with an error.
- **A lock.** While a search runs, its process holds an exclusive OS lock
  (`fcntl.flock`) on `LOCK_FILE` and writes its pid, host and start time
  into it. A second process (or a second tuner in the same process) that
  searches, or overwrites, the same project gets a `ProjectLockedError`
  naming the holder. The kernel releases the lock when the holder exits,
  even by SIGKILL, so a killed search never blocks a restart. Where
  `flock` is not available (some network file systems, Windows), the lock
  file is created exclusively instead and a lock whose owner is a dead
  process on this host is taken over as stale.

The Ray backend (`kt.distribute.RayBackend`) is the multi-process mode:
the driver holds the lock and owns the state file; its workers only write
the folders of the trials they run.
"""

import errno
import json
import os
import shutil
import socket
import time
import warnings

MARKER_FILE = ".keras_tuner_project"
LOCK_FILE = ".keras_tuner.lock"
STATE_FILE = "oracle.json"

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# Entries of a project folder that the tuner writes (keras-tuner 1.4 wrote
# `tuner0.json`-style files and the same `trial_*` folders).
_OWN_FILES = {
    STATE_FILE,
    MARKER_FILE,
    LOCK_FILE,
    "results.json",
    "results.csv",
    "results.csv.tmp",
    "objective.png",
    "logs",
}


def _is_own_entry(name):
    if name in _OWN_FILES:
        return True
    if name.startswith("trial_") or name.startswith(".tmp-"):
        return True
    return name.startswith("tuner") and name.endswith(".json")


def check_project_name(project_name):
    """Returns `project_name` as a string if it is one path component, else raises."""
    if isinstance(project_name, os.PathLike):
        project_name = os.fspath(project_name)
    if not isinstance(project_name, str):
        raise TypeError(
            "`project_name` must be a string naming one folder inside `directory`. "
            f"Received: project_name={project_name!r} of type "
            f"{type(project_name).__name__}."
        )
    separators = [s for s in (os.sep, os.altsep, "/") if s]
    if (
        project_name in ("", ".", "..")
        or any(s in project_name for s in separators)
        or os.path.isabs(project_name)
        or "\0" in project_name
    ):
        raise ValueError(
            "`project_name` must be a single folder name (no path separator, not "
            "'.', '..' or an absolute path): the project is stored in "
            "`directory/project_name`, and `overwrite=True` deletes it. Received: "
            f"project_name={project_name!r}. To store the project elsewhere, pass "
            "the parent folder as `directory` and a plain name as `project_name`, "
            "e.g. directory='/data/searches', project_name='run1'."
        )
    return project_name


def _write_marker(project_dir):
    path = os.path.join(project_dir, MARKER_FILE)
    if os.path.exists(path):
        return
    with open(path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "created_by": "keras_tuner",
                "created_at": time.time(),
                "note": (
                    "This folder is a keras_tuner search project; "
                    "`overwrite=True` deletes the tuner's files in it."
                ),
            },
            f,
        )


def _has_state_file(project_dir):
    path = os.path.join(project_dir, STATE_FILE)
    if not os.path.isfile(path):
        return False
    try:
        with open(path, encoding="utf-8") as f:
            return isinstance(json.load(f), dict)
    except (OSError, ValueError):
        # A damaged state file of ours still marks the folder as a project.
        return True


def is_tuner_project(project_dir):
    """Whether `project_dir` is a folder that the tuner created or may own.

    True if it carries the marker file, or if it was made by an earlier
    version (no marker): it holds an `oracle.json` state file and nothing
    but the tuner's own entries.
    """
    if os.path.isfile(os.path.join(project_dir, MARKER_FILE)):
        return True
    return _has_state_file(project_dir) and all(
        _is_own_entry(name) for name in os.listdir(project_dir)
    )


def open_project(directory, project_name, overwrite=False):
    """Creates (or checks) the project folder; returns its path.

    With `overwrite=True` the tuner's files of a previous search in it are
    deleted, under the project lock; a folder that is not a tuner project
    is refused.
    """
    project_name = check_project_name(project_name)
    directory = os.fspath(directory)
    project_dir = os.path.join(directory, project_name)
    if os.path.lexists(project_dir) and not os.path.isdir(project_dir):
        raise ValueError(
            f"The project path '{project_dir}' exists and is not a folder. Pass "
            "another `project_name` or `directory`."
        )
    os.makedirs(directory, exist_ok=True)
    try:
        os.mkdir(project_dir)
        created = True
    except FileExistsError:
        created = False
    if created or not os.listdir(project_dir):
        _write_marker(project_dir)
        return project_dir
    if not is_tuner_project(project_dir):
        if overwrite:
            raise ValueError(
                f"`overwrite=True` would delete '{os.path.abspath(project_dir)}', but "
                "that folder was not created by keras_tuner (it has no "
                f"'{MARKER_FILE}' marker) and it holds files keras_tuner did not "
                f"write ({_preview(_foreign(project_dir))}). "
                "Nothing was deleted. Pass another `project_name`, or delete or "
                "empty the folder yourself."
            )
        # A non-empty folder of the user's: used as is, never marked, so that a
        # later `overwrite=True` refuses to delete it.
        return project_dir
    if overwrite:
        with ProjectLock(project_dir, purpose="overwrite"):
            _delete_own_files(project_dir)
            _write_marker(project_dir)
    else:
        # A project of an earlier version: recognised by its state file.
        _write_marker(project_dir)
    return project_dir


def _foreign(project_dir):
    return [name for name in os.listdir(project_dir) if not _is_own_entry(name)]


def _preview(names, limit=5):
    names = sorted(names)
    shown = ", ".join(repr(n) for n in names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return shown + more


def _delete_own_files(project_dir):
    kept = []
    for entry in os.scandir(project_dir):
        if entry.name in (LOCK_FILE, MARKER_FILE):
            continue
        if not _is_own_entry(entry.name):
            kept.append(entry.name)
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.remove(entry.path)
    if kept:
        warnings.warn(
            f"`overwrite=True` kept {_preview(kept)} in '{project_dir}': keras_tuner "
            "did not create them, so they are not part of the search it deleted.",
            stacklevel=4,
        )


class ProjectLockedError(RuntimeError):
    """The project is in use by another search (another process or tuner)."""


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


class ProjectLock:
    """An exclusive lock on a project folder, held while a search runs.

    Args:
        project_dir: the project folder.
        purpose: what the holder does ("search", "overwrite"), shown to a
            process that finds the project locked.
    """

    # flock errors that mean "this file system has no flock" (fall back).
    _UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS}

    def __init__(self, project_dir, purpose="search"):
        self.project_dir = project_dir
        self.path = os.path.join(project_dir, LOCK_FILE)
        self.purpose = purpose
        self._fd = None
        self._exclusive_file = False

    def _owner_record(self):
        return {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "purpose": self.purpose,
            "since": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        }

    def _read_owner(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                return json.loads(f.read() or "{}")
        except (OSError, ValueError):
            return {}

    def _locked_error(self, owner):
        if owner.get("pid") == os.getpid() and owner.get("host") == (
            socket.gethostname()
        ):
            holder = "another tuner in this same process"
        elif owner:
            holder = f"process {owner.get('pid')} on host '{owner.get('host')}'"
        else:
            holder = "another process"
        since = f" since {owner['since']}" if owner.get("since") else ""
        return ProjectLockedError(
            f"The search project '{os.path.abspath(self.project_dir)}' is in use "
            f"by {holder} ({owner.get('purpose', 'search')}{since}); two searches "
            "on one project would run the same trial ids and overwrite each "
            "other's results. Wait for that search to finish (or stop it), pass "
            "another `project_name`, or run the trials of one search on several "
            "processes or machines with `distribution=kt.distribute.RayBackend()`. "
            f"The lock is '{self.path}'; it is released automatically when its "
            "process ends."
        )

    def acquire(self):
        os.makedirs(self.project_dir, exist_ok=True)
        if fcntl is not None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(fd)
                if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise self._locked_error(self._read_owner()) from None
                if error.errno not in self._UNSUPPORTED:
                    raise
                return self._acquire_exclusive_file()
            self._fd = fd
            record = json.dumps(self._owner_record()).encode("utf-8")
            os.ftruncate(fd, 0)
            os.pwrite(fd, record, 0)
            return self
        return self._acquire_exclusive_file()

    def _acquire_exclusive_file(self):
        """Lock without `flock`: exclusive creation, stale locks taken over."""
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = self._read_owner()
                pid = owner.get("pid")
                dead = (
                    owner.get("host") == socket.gethostname()
                    and isinstance(pid, int)
                    and not _pid_alive(pid)
                )
                if dead or (not owner and self._age() > 10.0):
                    # Stale: its process is gone (or it never wrote its owner).
                    try:
                        os.remove(self.path)
                    except FileNotFoundError:
                        pass
                    continue
                raise self._locked_error(owner) from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._owner_record(), f)
            self._exclusive_file = True
            return self
        raise self._locked_error(self._read_owner())

    def _age(self):
        try:
            return time.time() - os.path.getmtime(self.path)
        except OSError:
            return 0.0

    def release(self):
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._exclusive_file:
            self._exclusive_file = False
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass

    @property
    def held(self):
        return self._fd is not None or self._exclusive_file

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()
