"""Which font the PDFs are written in: one installed on the machine, never one in the repo.

A CJK font is several megabytes and has its own licence, so the project does not ship one:
the setup installs one (Debian's ``fonts-wqy-microhei`` in the Dockerfile and CI), and
``TRADEHALL_PDF_FONT_PATH`` can name any TTF, OTF or TTC file. Without a Chinese-capable
font a PDF is written in English with a Latin font, and says why (``PdfFont.cjk``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import structlog
from fontTools.ttLib import TTFont, TTLibError

log = structlog.get_logger(__name__)

# Where Linux distributions and macOS keep fonts.
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
)
# Fonts with Chinese glyphs, best first: WenQuanYi Micro Hei (small, TrueType outlines, so
# fast to subset), Noto Sans CJK, Droid Sans Fallback, WenQuanYi Zen Hei, AR PL UMing.
CJK_FILES = (
    "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf",
    "DroidSansFallbackFull.ttf", "wqy-zenhei.ttc", "uming.ttc",
)
LATIN_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf")
# The PDF core font Helvetica needs no file but draws only what Windows-1252 encodes.
_CORE_CHARACTERS = frozenset(
    ord(c) for c in bytes(range(0x20, 0x100)).decode("cp1252", errors="ignore")
)
_CJK_PROBE = "发票银行"


@dataclass(frozen=True)
class PdfFont:
    path: Path | None  # None: the PDF core font Helvetica
    characters: frozenset[int]  # the code points it has glyphs for

    @property
    def cjk(self) -> bool:
        return all(ord(char) in self.characters for char in _CJK_PROBE)

    def clean(self, text: str) -> str:
        """The text with every character the font cannot draw replaced by "?"."""
        return "".join(c if ord(c) in self.characters or c == "\n" else "?" for c in text)


def _characters(path: Path) -> frozenset[int] | None:
    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except (OSError, TTLibError) as exc:
        log.warning("pdf_font_unreadable", path=str(path), error=str(exc))
        return None
    return frozenset(cmap)


def _installed(names: tuple[str, ...]) -> list[Path]:
    found: dict[str, Path] = {}
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.name in names and path.name not in found:
                found[path.name] = path
    return [found[name] for name in names if name in found]


@lru_cache(maxsize=4)
def pdf_font(configured: Path | None) -> PdfFont:
    """The configured font if it is readable, else the best one installed (a CJK one if
    any), else Helvetica. Looked up once per process."""
    candidates = ([configured] if configured else []) + _installed(CJK_FILES + LATIN_FILES)
    for path in candidates:
        characters = _characters(path)
        if characters:
            font = PdfFont(path=path, characters=characters)
            log.info("pdf_font", path=str(path), cjk=font.cjk)
            return font
        if path == configured:
            log.warning("pdf_font_configured_not_usable", path=str(path))
    log.warning("pdf_font_none_found", searched=[str(d) for d in FONT_DIRS])
    return PdfFont(path=None, characters=_CORE_CHARACTERS)
