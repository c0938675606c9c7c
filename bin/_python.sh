# Sourced by bin/run and bin/test: find Python 3.12+, make .venv with it, install a requirements file.
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.12 python3.13 python3.14 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$candidate"; return 0
    fi
  done
  # pyenv keeps versions that its shims may not select
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  echo "Python 3.12 or newer is needed (Django 6): install python3.12, or set PYTHON=/path/to/python3.12" >&2
  return 1
}

setup_venv() {  # $1: requirements file
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    rm -rf .venv
    "$(find_python)" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
}
