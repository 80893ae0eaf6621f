# Copyright 2026 The Keras Domain Packages Authors.
# Licensed under the Apache License, Version 2.0 (the "License").
# See the LICENSE file at the root of this repository.
"""A local HTTP server answering like the HuggingFace hub and a file host.

Tests of downloads point `HF_ENDPOINT` (or a URL) at it: real sockets on
127.0.0.1, real `huggingface_hub` and `urllib` clients, nothing mocked.
"""

import base64
import hashlib
import http.server
import json
import os
import pathlib
import threading
import urllib.parse

from keras_core.src.api_export import api_export

_LFS_SUFFIXES = (".safetensors", ".h5", ".bin", ".npz", ".keras", ".msgpack")


def _git_blob_id(content):
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


@api_export(
    "keras_core.testing.LocalHubServer",
    stability="stable",
    rfc="20261207-keras-core-preset-sources",
)
class LocalHubServer:
    """An HTTP server on 127.0.0.1 that answers like the HuggingFace hub.

    For tests of code that downloads presets or weights, without internet
    and without mocking any client library: set `HF_ENDPOINT` to `url` and
    `huggingface_hub` talks to it as to the hub; plain files added with
    `add_url_file` are served at `url + "/files/<name>"`.

    It answers what `huggingface_hub` asks: `HEAD`/`GET
    /<org>/<name>/resolve/<revision>/<file>` with the `X-Repo-Commit`,
    `ETag` and `Content-Length` headers (weight files such as
    `.safetensors` and `.h5` are redirected, with `X-Linked-Etag` (their
    sha256) and `X-Linked-Size`, to a second "CDN" server, as the hub does
    for LFS files), hub error codes for a missing repository, revision or
    file, HTTP `Range` requests, and the repository creation, pre-upload and
    commit calls of `HfApi.upload_folder` (files are committed inline).

    Every request is recorded in `requests` as a dict with `method`,
    `path`, `headers` (lower-case names) and `server` (`"hub"` or `"cdn"`), so a test can assert that a cached file made none.

    Args:
        None.

    Example:

    >>> from keras_core.testing import LocalHubServer
    >>> import urllib.request
    >>> with LocalHubServer() as server:
    ...     _ = server.add_url_file("hello.txt", b"hi")
    ...     urllib.request.urlopen(server.url + "/files/hello.txt").read()
    b'hi'
    """

    def __init__(self):
        self.requests = []
        self._repos = {}  # repo_id -> {"refs": {name: commit}, "commits": {commit: {file: bytes}}}
        self._files = {}  # name -> bytes
        self._corrupt = set()
        self._cut = {}  # path -> bytes to send before dropping the connection (once)
        self._stall = {}  # path -> bytes to send before hanging until stop()
        self._stopped = threading.Event()
        self._no_range = False
        self._lock = threading.Lock()
        self._servers = []
        self._threads = []

    # ------------------------------------------------------------ lifecycle
    def start(self):
        """Starts the hub and CDN servers in background threads."""
        handler = _make_handler(self)
        for _ in range(2):
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            server.daemon_threads = True
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self):
        """Stops both servers and closes their sockets."""
        self._stopped.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers, self._threads = [], []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        """The hub endpoint, e.g. `http://127.0.0.1:53124` (for `HF_ENDPOINT`)."""
        return f"http://127.0.0.1:{self._servers[0].server_address[1]}"

    @property
    def cdn_url(self):
        return f"http://127.0.0.1:{self._servers[1].server_address[1]}"

    # --------------------------------------------------------------- content
    def add_url_file(self, name, content):
        """Serves `content` (bytes) at `url + "/files/" + name`; returns that URL."""
        self._files[name] = bytes(content)
        return f"{self.url}/files/{name}"

    def add_repo(self, repo_id, files, revision="main"):
        """Commits `files` ({name: bytes}, or a local folder) as a new commit
        of `repo_id` on branch `revision`, replacing its files; returns the
        40-character commit hash."""
        if isinstance(files, (str, os.PathLike)):
            root = pathlib.Path(files)
            files = {
                p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*"))
                if p.is_file()
            }
        return self._commit(repo_id, {k: bytes(v) for k, v in files.items()}, revision)

    def add_tag(self, repo_id, tag, commit):
        """Names `commit` of `repo_id` `tag` (a branch or tag name)."""
        self._repos[repo_id]["refs"][tag] = commit

    def repo_files(self, repo_id, revision="main"):
        """The files ({name: bytes}) of `repo_id` at `revision`."""
        repo = self._repos[repo_id]
        return dict(repo["commits"][repo["refs"].get(revision, revision)])

    def corrupt(self, path):
        """Serves `path` (e.g. `"/files/w.h5"` or a repo file name) with a flipped byte."""
        self._corrupt.add(path)

    def cut_after(self, path, num_bytes):
        """Drops the connection after `num_bytes` of the next GET of `path`."""
        self._cut[path] = num_bytes

    def stall_after(self, path, num_bytes):
        """Sends `num_bytes` of the next GET of `path`, then hangs until `stop()`."""
        self._stall[path] = num_bytes

    def ignore_range(self, value=True):
        """Whether to answer `Range` requests with the whole file (status 200)."""
        self._no_range = value

    def _commit(self, repo_id, files, revision):
        with self._lock:
            repo = self._repos.setdefault(repo_id, {"refs": {}, "commits": {}})
            digest = hashlib.sha1(repo_id.encode())
            digest.update(str(len(repo["commits"])).encode())
            for name in sorted(files):
                digest.update(name.encode() + b"\0" + files[name])
            commit = digest.hexdigest()
            repo["commits"][commit] = files
            repo["refs"][revision] = commit
            return commit


def _make_handler(owner):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _record(self):
            owner.requests.append(
                {
                    "method": self.command,
                    "path": urllib.parse.unquote(self.path),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "server": "cdn" if self.server is owner._servers[1] else "hub",
                }
            )

        def _send(self, status, headers=None, body=b""):
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if "Content-Length" not in (headers or {}):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and body:
                self.wfile.write(body)

        def _error(self, status, code, message, extra=None):
            headers = {"X-Error-Code": code, "X-Error-Message": message}
            headers.update(extra or {})
            body = json.dumps({"error": message}).encode()
            headers["Content-Type"] = "application/json"
            self._send(status, headers, body)

        def _content(self, key, content, headers):
            if key in owner._corrupt and content:
                content = bytes([content[0] ^ 0xFF]) + content[1:]
            status, start = 200, 0
            range_header = self.headers.get("Range")
            if range_header and not owner._no_range and self.command == "GET":
                start = int(range_header.split("=")[1].split("-")[0])
                if start >= len(content):
                    return self._send(416, {"Content-Range": f"bytes */{len(content)}"})
                status = 206
                headers["Content-Range"] = (
                    f"bytes {start}-{len(content) - 1}/{len(content)}"
                )
            body = content[start:]
            headers["Content-Length"] = str(len(body))
            headers["Accept-Ranges"] = "bytes"
            cut = owner._cut.pop(key, None) if self.command == "GET" else None
            stall = owner._stall.pop(key, None) if self.command == "GET" else None
            if stall is not None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body[:stall])
                self.wfile.flush()
                owner._stopped.wait()
                self.close_connection = True
                return
            if cut is not None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body[:cut])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(status, headers, body)

        def do_HEAD(self):
            self._get()

        def do_GET(self):
            self._get()

        def _get(self):
            self._record()
            path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
            if path.startswith("/files/"):
                name = path[len("/files/") :]
                if name not in owner._files:
                    return self._send(404, {}, b"not found")
                return self._content(path, owner._files[name], {})
            if path.startswith("/lfs/"):
                sha = path[len("/lfs/") :]
                for repo in owner._repos.values():
                    for files in repo["commits"].values():
                        for name, content in files.items():
                            if hashlib.sha256(content).hexdigest() == sha:
                                return self._content(name, content, {})
                return self._send(404, {}, b"not found")
            parts = path.strip("/").split("/")
            if len(parts) >= 5 and parts[2] == "resolve":
                return self._resolve("/".join(parts[:2]), parts[3], "/".join(parts[4:]))
            return self._error(404, "EntryNotFound", f"no route {path}")

        def _lookup(self, repo_id, revision):
            repo = owner._repos.get(repo_id)
            if repo is None:
                self._error(404, "RepoNotFound", f"Repository {repo_id} not found")
                return None
            commit = repo["refs"].get(revision)
            if commit is None and revision in repo["commits"]:
                commit = revision
            if commit is None:
                self._error(404, "RevisionNotFound", f"Revision {revision} not found")
                return None
            return commit

        def _resolve(self, repo_id, revision, filename):
            commit = self._lookup(repo_id, revision)
            if commit is None:
                return
            files = owner._repos[repo_id]["commits"][commit]
            if filename not in files:
                return self._error(
                    404,
                    "EntryNotFound",
                    f"{filename} does not exist at {revision}",
                    {"X-Repo-Commit": commit},
                )
            content = files[filename]
            if filename.endswith(_LFS_SUFFIXES):
                sha = hashlib.sha256(content).hexdigest()
                return self._send(
                    302,
                    {
                        "Location": f"{owner.cdn_url}/lfs/{sha}",
                        "X-Repo-Commit": commit,
                        "X-Linked-Etag": f'"{sha}"',
                        "X-Linked-Size": str(len(content)),
                        "ETag": f'"{_git_blob_id(content)}"',
                    },
                )
            headers = {"X-Repo-Commit": commit, "ETag": f'"{_git_blob_id(content)}"'}
            return self._content(filename, content, headers)

        # ------------------------------------------------------------ upload
        def do_POST(self):
            self._record()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            path = urllib.parse.unquote(urllib.parse.urlparse(self.path).path)
            parts = path.strip("/").split("/")
            if path == "/api/repos/create":
                payload = json.loads(body or b"{}")
                repo_id = f"{payload.get('organization') or 'user'}/{payload['name']}"
                body = json.dumps(
                    {"url": f"{owner.url}/{repo_id}", "name": repo_id}
                ).encode()
                if repo_id in owner._repos:  # 409, with the URL, as the hub does
                    return self._send(
                        409,
                        {
                            "Content-Type": "application/json",
                            "X-Error-Message": "You already created this model repo",
                        },
                        body,
                    )
                owner._commit(repo_id, {}, "main")
                return self._send(200, {"Content-Type": "application/json"}, body)
            if len(parts) >= 6 and parts[0] == "api" and parts[1] == "models":
                repo_id, action = "/".join(parts[2:4]), parts[4]
                revision = "/".join(parts[5:])
                if action == "preupload":
                    if self._lookup(repo_id, revision) is None:
                        return
                    files = json.loads(body)["files"]
                    answer = {
                        "files": [
                            {
                                "path": f["path"],
                                "uploadMode": "regular",
                                "shouldIgnore": False,
                            }
                            for f in files
                        ]
                    }
                    return self._send(
                        200,
                        {"Content-Type": "application/json"},
                        json.dumps(answer).encode(),
                    )
                if action == "commit":
                    commit = self._lookup(repo_id, revision)
                    if commit is None:
                        return
                    files = dict(owner._repos[repo_id]["commits"][commit])
                    for line in body.decode().splitlines():
                        if not line.strip():
                            continue
                        item = json.loads(line)
                        if item.get("key") == "file":
                            value = item["value"]
                            files[value["path"]] = base64.b64decode(value["content"])
                        elif item.get("key") == "deletedFile":
                            files.pop(item["value"]["path"], None)
                        elif item.get("key") == "header":
                            continue
                        else:
                            return self._error(
                                400, "BadRequest", f"unsupported {item.get('key')}"
                            )
                    new = owner._commit(repo_id, files, revision)
                    answer = {
                        "commitOid": new,
                        "commitUrl": f"{owner.url}/{repo_id}/commit/{new}",
                    }
                    return self._send(
                        200,
                        {"Content-Type": "application/json"},
                        json.dumps(answer).encode(),
                    )
            return self._error(404, "EntryNotFound", f"no route {path}")

    return Handler
