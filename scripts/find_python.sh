#!/usr/bin/env bash
# Print the path of a Python >= 3.12: the project's venv, PATH, then pyenv's installs.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=(python3.13 python3.12 python3)
for c in "${candidates[@]}"; do
  p=$(command -v "$c" 2>/dev/null) && ok "$p" && { echo "$p"; exit 0; }
done
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}" /root/.pyenv /opt/pyenv)
for root in "${roots[@]}"; do
  for p in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    ok "$p" && { echo "$p"; exit 0; }
  done
done
echo "No Python >= 3.12 found (Django 6.1 needs it). Install one, e.g. 'pyenv install 3.12', or put python3.12 on PATH." >&2
exit 1
