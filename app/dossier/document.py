"""The dossier's page: an A4 document with one embedded CJK font, and the text blocks its sections use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode, XPos, YPos

#: Times are shown in China Standard Time, the zone the events are reported in, with the offset written.
CST = timezone(timedelta(hours=8))
BODY = "cjk"
#: Hashes and signatures in a fixed-width face (a PDF standard font: never embedded, every reader has it).
MONO = "Courier"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ALERT = (176, 42, 55)


@dataclass(frozen=True)
class FontSpec:
    """The CJK font to embed: a TrueType/OpenType file, or one face of a collection."""

    path: Path
    index: int = 0


def when(at: datetime | None) -> str:
    """A moment as the dossier prints it: CST to the second, offset written; '-' for none."""
    return "-" if at is None else at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S +08:00")


def day(at: datetime) -> str:
    return at.astimezone(CST).strftime("%Y-%m-%d")


class Doc(FPDF):
    """A4 portrait, 15 mm margins, a running footer naming the battery and the page."""

    def __init__(self, font: FontSpec, code: str, made: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.code, self.made = code, made
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.add_font(BODY, "", str(font.path), collection_font_number=font.index)
        self.add_font(BODY, "B", str(font.path), collection_font_number=font.index)
        self.set_font(BODY, size=10)
        self.set_text_color(*INK)
        self.alias_nb_pages()

    @property
    def width(self) -> float:
        """The text column's width."""
        return float(self.w - self.l_margin - self.r_margin)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(BODY, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"Battery dossier {self.code} · made {when(self.made)} · page {self.page_no()}/{{nb}}")
        self.set_text_color(*INK)

    def cover_title(self, text: str, sub: str) -> None:
        self.set_font(BODY, "B", 17)
        self.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(BODY, size=10)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 5, sub, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def heading(self, text: str, *, new_page: bool = False) -> None:
        """A numbered section's heading (in the outline too); a new page when asked or when near the foot."""
        if new_page or self.will_page_break(30):
            self.add_page()
        self.ln(2)
        self.start_section(text)
        self.set_font(BODY, "B", 13)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*MUTED)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.set_font(BODY, size=10)

    def subheading(self, text: str) -> None:
        if self.will_page_break(16):
            self.add_page()
        self.ln(1)
        self.set_font(BODY, "B", 11)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(BODY, size=10)

    def para(self, text: str, *, size: float = 10, color: tuple[int, int, int] = INK) -> None:
        self.set_font(BODY, size=size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(BODY, size=10)

    def fields(self, rows: list[tuple[str, str]], *, label_w: float = 48, size: float = 9.5) -> None:
        """Label and value pairs, the value wrapping in its column."""
        line = size * 0.5
        for label, value in rows:
            self.set_font(BODY, size=size)
            lines = self.multi_cell(self.width - label_w, line, value, dry_run=True, output=MethodReturnValue.LINES)
            needed = max(1, len(lines) if isinstance(lines, list) else 1)
            if self.will_page_break(needed * line):
                self.add_page()
            top = self.get_y()
            self.set_text_color(*MUTED)
            self.multi_cell(label_w, line, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_text_color(*INK)
            self.set_xy(self.l_margin + label_w, top)
            self.multi_cell(self.width - label_w, line, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(max(self.get_y(), top + line))

    def mono(self, text: str, *, size: float = 7.5) -> None:
        """Hex values and commands, wrapped at any character."""
        self.set_font(MONO, size=size)
        self.multi_cell(0, size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        self.set_font(BODY, size=10)

    def rule(self) -> None:
        self.set_draw_color(222, 226, 230)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(2.5)
