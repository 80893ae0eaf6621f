# Sourced by every tool: makes sure the workspace environment exists and is
# in sync with uv.lock, then sets ROOT and PY. Fast when nothing changed.
# Needs only Python 3.11+ and access to PyPI.
source "$(dirname "${BASH_SOURCE[0]}")/_uv.sh"
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
