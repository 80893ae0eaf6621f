# Sourced by the tools: makes sure uv (pinned) is in .tools/, then sets ROOT,
# UV and BASE_PYTHON. Needs only Python 3.11+ and access to PyPI; creates no
# development environment (tools/_bootstrap.sh does that on top of this).
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
  BASE_PYTHON="$(_find_python)" || exit 1
  echo "bootstrap: installing uv $UV_VERSION from PyPI into .tools/" >&2
  rm -rf "$UV_HOME"
  "$BASE_PYTHON" -m venv "$UV_HOME"
  "$UV_HOME/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
export UV_PYTHON_DOWNLOADS=never
