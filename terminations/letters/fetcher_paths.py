"""Where the letters' own assets live; importable without WeasyPrint."""

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
