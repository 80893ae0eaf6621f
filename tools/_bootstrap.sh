# Sourced by every tool: makes sure the workspace environment exists and is
# in sync with uv.lock, then sets ROOT and PY. Fast when nothing changed.
# Needs only Python 3.11+ and access to PyPI.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UV_VERSION="0.13.9"
UV_HOME="$ROOT/.tools/uv-$UV_VERSION"
UV="$UV_HOME/bin/uv"

_find_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 (up to 3.13) is required but none was found on PATH." >&2
  return 1
}

if [ ! -x "$UV" ]; then
  BASE_PYTHON="$(_find_python)"
  echo "bootstrap: installing uv $UV_VERSION from PyPI into .tools/" >&2
  rm -rf "$UV_HOME"
  "$BASE_PYTHON" -m venv "$UV_HOME"
  "$UV_HOME/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

export UV_PYTHON_DOWNLOADS=never
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv"
_STAMP="$ROOT/.venv/.synced"
_HASH="$(cat "$ROOT/uv.lock" "$ROOT/pyproject.toml" "$ROOT"/packages/*/pyproject.toml 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [ ! -f "$_STAMP" ] || [ "$(cat "$_STAMP")" != "$_HASH" ] || [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "bootstrap: syncing .venv with uv.lock" >&2
  BASE_PYTHON="${BASE_PYTHON:-$(_find_python)}"
  mkdir -p "$ROOT/.tools"
  # One sync at a time: concurrent syncs of the same environment break it.
  if ! (cd "$ROOT" && flock "$ROOT/.tools/sync.lock" "$UV" sync --locked --all-packages --python "$BASE_PYTHON" --quiet); then
    echo "bootstrap: 'uv sync' failed. If you changed a pyproject.toml, run" \
         "'$UV lock' and commit uv.lock." >&2
    exit 1
  fi
  echo "$_HASH" > "$_STAMP"
fi
PY="$ROOT/.venv/bin/python"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export KERAS_BACKEND=tensorflow
cd "$ROOT"
