"""Where the letters' CJK font is, and whether HarfBuzz's subsetter is present."""

import ctypes.util
import functools
import glob
from pathlib import Path

# Noto Serif CJK SC is the Song style expected of a formal Chinese letter.
CJK_FONT_FAMILY = "Noto Serif CJK SC"
_FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSerifCJK*-Regular.*",
    "/usr/share/fonts/**/NotoSerifCJKsc-Regular.*",
)


@functools.cache
def cjk_font_path() -> Path | None:
    for pattern in _FONT_GLOBS:
        for match in sorted(glob.glob(pattern, recursive=True)):
            return Path(match)
    return None


@functools.cache
def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


def missing_letter_requirements() -> list[tuple[str, str]]:
    problems = []
    if cjk_font_path() is None:
        problems.append(
            (
                f"The CJK font for letters ({CJK_FONT_FAMILY}) is not installed; letters would show empty boxes.",
                "apt-get install fonts-noto-cjk (make setup does this when run as root).",
            )
        )
    if not harfbuzz_subset_available():
        problems.append(
            (
                "libharfbuzz-subset0 is missing; letters would take 40 times longer to render.",
                "apt-get install libharfbuzz-subset0 (make setup does this when run as root).",
            )
        )
    return problems


@functools.cache
def cjk_font_codepoints() -> frozenset[int]:
    """The characters the letters' font has glyphs for (its cmap). Empty without the font.

    Read once per process (about 0.4 s): issuing refuses a letter with a character outside it
    rather than store a PDF with empty boxes."""
    path = cjk_font_path()
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts
    else:
        fonts = [TTFont(str(path), lazy=True)]
    chosen = next((f for f in fonts if f["name"].getDebugName(1) == CJK_FONT_FAMILY), fonts[0])
    return frozenset(chosen.getBestCmap() or {})


# Layout characters that are never drawn as glyphs.
_NOT_DRAWN = frozenset(map(ord, "\n\r\t\f\v\u200b\u200c\u200d\ufeff"))


def missing_glyphs(texts) -> list[str]:
    """The distinct characters in `texts` (strings) that the letters' font cannot draw."""
    covered = cjk_font_codepoints()
    missing: dict[str, None] = {}
    for text in texts:
        for char in text:
            code = ord(char)
            if code not in covered and code not in _NOT_DRAWN:
                missing[char] = None
    return list(missing)
