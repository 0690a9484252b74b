"""The layout of an official document (Decree 30/2020/NĐ-CP, Appendix I) as python-docx parts.

A4 portrait, Times New Roman, margins 20/20/30/15 mm; the two-column header (the bodies on the
left with the number, the national motto on the right with place and date) in a borderless
table whose grid and cells agree; rules drawn as paragraph borders at the Decree's lengths, not
typed; the signature block and the recipients in one row that never splits; page numbers
centred in the top margin from the second page; the file's properties in Vietnamese.

Lengths of text are estimated from Times New Roman's advance widths (`text_width`), so a line
that would wrap is broken where a clerk would break it, and a rule is as long as its text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, Twips

from app.core.characters import without_unsafe_characters
from app.core.text import without_marks

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
PAGE_WIDTH_MM, LEFT_MM, RIGHT_MM = 210, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
HEADER_COLUMNS_MM = (70, TEXT_WIDTH_MM - 70)
MM_PER_POINT = 25.4 / 72

# Advance widths of Times New Roman (thousandths of the font size), regular and bold, of the
# letters a Vietnamese letter is built on: its marks do not widen it (ư and ơ a little).
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_REGULAR = dict(
    zip(
        _UPPER + _LOWER,
        [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722]
        + [667, 556, 611, 722, 722, 944, 722, 722, 611]
        + [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500]
        + [333, 389, 278, 500, 500, 722, 500, 500, 444],
        strict=True,
    )
)
_BOLD = dict(
    zip(
        _UPPER + _LOWER,
        [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778]
        + [722, 556, 667, 722, 722, 1000, 722, 722, 667]
        + [500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556]
        + [444, 389, 333, 556, 500, 722, 500, 500, 444],
        strict=True,
    )
)
_OTHER = {" ": 250, "-": 333, ".": 250, ",": 250, "/": 278, ":": 333, "(": 333, ")": 333}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` set in Times New Roman at `size` points, in millimetres."""
    widths = _BOLD if bold else _REGULAR
    units = 0
    for letter in without_marks(text):
        if letter.isdigit():
            units += 500
        else:
            units += widths.get(letter, _OTHER.get(letter, 556 if letter.isupper() else 500))
    return units / 1000 * size * MM_PER_POINT


def fit_lines(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` broken at spaces into the fewest lines no wider than `width` mm, as even as
    can be ("TRƯỜNG TIỂU HỌC / NGUYỄN BỈNH KHIÊM", not a last line of one word)."""
    words = text.split()
    if not words:
        return [""]
    n, space = len(words), text_width(" ", size, bold=bold)
    starts = [0.0]  # starts[i]: the width of words[:i], each followed by a space
    for word in words:
        starts.append(starts[-1] + text_width(word, size, bold=bold) + space)

    def measure(start: int, end: int) -> float:
        return starts[end] - starts[start] - space

    for count in range(1, n + 1):
        # The most even split into `count` lines: the widest line as narrow as can be, by
        # dynamic programming over where each line ends.
        widest = [[float("inf")] * (n + 1) for _ in range(count + 1)]
        cut = [[0] * (n + 1) for _ in range(count + 1)]
        widest[0][0] = 0.0
        for lines in range(1, count + 1):
            for end in range(lines, n + 1):
                for start in range(lines - 1, end):
                    candidate = max(widest[lines - 1][start], measure(start, end))
                    if candidate < widest[lines][end]:
                        widest[lines][end], cut[lines][end] = candidate, start
        if widest[count][n] <= width or count == n:
            break
    result, end = [], n
    for lines in range(count, 0, -1):
        start = cut[lines][end]
        result.insert(0, " ".join(words[start:end]))
        end = start
    return result


def new_document(*, author: str, title: str, moment: datetime) -> Document:
    """An empty A4 document in the Decree's page setup, its properties saying who issued it,
    what it is and when, in Vietnamese (so a word processor spell-checks it as Vietnamese)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.rPr.rFonts
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    _set_language(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    # Whole twips, rounded up: Mm(15) would be written as 850 twips, a hair under 15 mm.
    section.left_margin, section.right_margin = _twips(LEFT_MM), _twips(RIGHT_MM)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    page = section.header.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(page, "PAGE")
    properties = document.core_properties
    properties.author = properties.last_modified_by = author
    properties.title = title
    properties.language = LANGUAGE
    properties.created = properties.modified = moment.replace(tzinfo=None, microsecond=0)
    properties.revision = 1
    properties.comments = properties.keywords = properties.subject = ""
    return document


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _twips(mm: float) -> Twips:
    return Twips(-(-mm * 1440 // 25.4))


def _set_language(document: Document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), LANGUAGE)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def add_run(paragraph, text: str, *, size: float | None = None, bold=False, italic=False):
    """Every piece of text enters the document here: XML cannot carry a control character, and
    one stored before input refused them must not make the document undownloadable."""
    run = paragraph.add_run(without_unsafe_characters(text))
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return run


def add_line(
    container,
    text: str | Sequence[str] = "",
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_after: float = 0,
    keep_with_next: bool = False,
):
    """A paragraph of one line, or of several lines broken where given (`fit_lines`)."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.space_after, layout.space_before = Pt(space_after), Pt(0)
    layout.keep_with_next = keep_with_next
    for index, line in enumerate([text] if isinstance(text, str) else text):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
        if line or index:
            add_run(paragraph, line, size=size, bold=bold, italic=italic)
    return paragraph


def add_rule(container, length: float, *, within: float, keep_with_next: bool = True) -> None:
    """A centred solid rule `length` mm long, drawn as the top border of a tiny paragraph
    indented from both sides of a column `within` mm wide."""
    paragraph = container.add_paragraph()
    layout = paragraph.paragraph_format
    side = max((within - length) / 2, 0)
    layout.left_indent = layout.right_indent = Mm(side)
    layout.space_before, layout.space_after = Pt(3), Pt(0)
    layout.line_spacing = Pt(2)
    layout.keep_with_next = keep_with_next
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    add_run(paragraph, "", size=2)


def fixed_table(container, widths: Sequence[float], *, borders: bool):
    """A table whose grid and cells both say `widths` (mm), laid out as given, not to fit its
    content: Word reads the cells, LibreOffice the grid, so both must agree."""
    table = container.add_table(rows=1, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    else:  # a layout table: its text starts at the margins, as the body's does
        _no_borders(table)
        _no_cell_margins(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(sum(widths)).twips)))
    width.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, size in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(Mm(size).twips)))
    set_widths(table.rows[0], widths)
    return table


def set_widths(row, widths: Sequence[float]) -> None:
    for cell, size in zip(row.cells, widths, strict=True):
        cell.width = Mm(size)


def empty_cells(row) -> list:
    """The row's cells without the empty paragraph python-docx puts in each."""
    for cell in row.cells:
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return list(row.cells)


def row_stays_whole(row) -> None:
    """The row is never split across two pages."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def row_repeats(row) -> None:
    """The row is repeated at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def draft_mark(document: Document) -> None:
    """'DỰ THẢO' in a box at the top right: a draft is never mistaken for the issued text."""
    paragraph = add_line(
        document, "DỰ THẢO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6
    )
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "8"), ("space", "2"), ("color", "000000")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM - 32)


def national_header(
    document: Document, *, parent: str | None, issuer: str, number_line: str, place_date: str
) -> None:
    """The two columns of the header: the bodies, the rule under the issuer and the number on
    the left; the national name, the motto with its rule and the place and date on the right."""
    left_width, right_width = HEADER_COLUMNS_MM
    table = fixed_table(document, HEADER_COLUMNS_MM, borders=False)
    left, right = empty_cells(table.rows[0])
    if parent:  # 12 pt, as the Decree allows for the parent body: "PHÒNG GDĐT QUẬN …" fits
        add_line(left, fit_lines(parent.upper(), left_width, 12), size=12)
    issuer_lines = fit_lines(issuer.upper(), left_width, 13, bold=True)
    add_line(left, issuer_lines, size=13, bold=True)
    widest = max(text_width(line, 13, bold=True) for line in issuer_lines)
    add_rule(left, widest * 0.4, within=left_width)
    add_line(left, number_line, size=13, space_after=6)

    add_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    motto = "Độc lập - Tự do - Hạnh phúc"
    add_line(right, motto, size=13, bold=True)
    add_rule(right, text_width(motto, 13, bold=True), within=right_width)
    add_line(right, place_date, size=14, italic=True)


def _no_cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def title_block(document: Document, kind: str, subject: str, *, size: float = 14) -> None:
    """'BÁO CÁO' and its subject (trích yếu), evenly broken, with the rule under it."""
    add_line(
        document, kind, size=size, bold=True, keep_with_next=True
    ).paragraph_format.space_before = Pt(6)
    lines = fit_lines(subject, TEXT_WIDTH_MM - 10, size, bold=True)
    add_line(document, lines, size=size, bold=True, keep_with_next=True)
    widest = max(text_width(line, size, bold=True) for line in lines)
    add_rule(document, min(widest * 0.4, 60), within=TEXT_WIDTH_MM, keep_with_next=False)


def signature_block(
    document: Document, *, recipients: Sequence[str], signer_title: str, signer_name: str
) -> None:
    """Recipients on the left, the authority and the signer on the right, in one row that never
    splits: the signer is never on a page without the last lines of the text."""
    table = fixed_table(document, (TEXT_WIDTH_MM / 2 - 5, TEXT_WIDTH_MM / 2 + 5), borders=False)
    row_stays_whole(table.rows[0])
    left, right = empty_cells(table.rows[0])
    add_line(
        left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    ).paragraph_format.keep_with_next = True
    for index, recipient in enumerate(recipients):
        ending = "." if index == len(recipients) - 1 else ";"
        add_line(
            left,
            f"- {recipient.rstrip(';.')}{ending}",
            size=11,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            keep_with_next=index < len(recipients) - 1,
        )
    for line in signer_title.splitlines() or [""]:
        add_line(right, line.upper(), size=14, bold=True, keep_with_next=True)
    for _ in range(4):
        add_line(right, "", keep_with_next=True)
    add_line(right, signer_name, size=14, bold=True)


def body_paragraph(
    document: Document, text: str, *, bold: bool = False, keep_with_next: bool = False
):
    """Body text: justified, first line indented 1 cm, 6 pt after."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(1)
    layout.space_after = Pt(6)
    layout.keep_with_next = keep_with_next
    add_run(paragraph, text, bold=bold)
    return paragraph


def heading(document: Document, text: str) -> None:
    """A section heading ('I. …'): bold, kept on the page of what follows it."""
    body_paragraph(document, text, bold=True, keep_with_next=True)
