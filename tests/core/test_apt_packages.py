"""scripts/apt_packages.sh, as `make setup` and `make run` use it without root."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "apt_packages.sh"


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def test_without_root_it_names_the_missing_letter_font_and_subsetter_and_what_they_are_for(
    tmp_path,
):
    _fake(tmp_path, "id", "echo 1000")  # not root
    _fake(tmp_path, "dpkg-query", "exit 1")  # nothing installed
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(SCRIPT), "fonts-noto-cjk", "libharfbuzz-subset0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "only root can install them" in result.stderr
    assert "  - fonts-noto-cjk: the CJK font letters are printed in" in result.stderr
    assert "  - libharfbuzz-subset0: HarfBuzz's font subsetter" in result.stderr
    assert "sudo apt-get install fonts-noto-cjk libharfbuzz-subset0" in result.stderr


def test_nothing_is_said_when_everything_is_installed(tmp_path):
    _fake(tmp_path, "id", "echo 1000")
    _fake(tmp_path, "dpkg-query", "printf 'install ok installed'")
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(SCRIPT), "fonts-noto-cjk"], env=env, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
