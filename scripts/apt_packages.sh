#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing (as root), or name them,
# with what each one is for, and how to install them.
set -u
what_for() {
  case "$1" in
    fonts-noto-cjk) echo "the CJK font letters are printed in (Noto Serif CJK SC): without it no letter can be issued and the server refuses to start" ;;
    libharfbuzz-subset0) echo "HarfBuzz's font subsetter: without it a letter takes about 40 times longer to render, so issuing is refused and the server refuses to start" ;;
    gettext) echo "compiles the Chinese and English translations" ;;
    chromium) echo "the browser the end-to-end tests drive (make test)" ;;
    poppler-utils) echo "PNG pages of the sample letters (make letters)" ;;
    *) echo "needed by this project" ;;
  esac
}
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
  exit $?
fi
{
  echo "These Debian packages are missing, and only root can install them:"
  for pkg in "${missing[@]}"; do
    echo "  - $pkg: $(what_for "$pkg")"
  done
  echo "Install them with: sudo apt-get install ${missing[*]}"
  echo "(or run: sudo make setup), then run this again."
} >&2
exit 1
