"""Read a question bank from .xlsx or .csv into checked questions, without touching the database;
and the template a clerk fills in Excel.

One question a row: topic, text, kind, options A to F, the right letters ("B", "A, C") and an
explanation. Every problem of every row is collected so the file is fixed in one pass; a row
without problems is a `QuestionWrite`, the very thing the bank's own form sends.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font

from app.core.sheet_table import (
    HEADER_ROW,
    Layout,
    RowError,
    SheetRow,
    open_table,
    template_workbook,
    workbook_bytes,
)
from app.core.spreadsheets import xlsx_row
from app.core.text import fold
from app.quizzes.schemas import (
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_TEXT,
    MAX_TOPIC,
    QuestionKind,
    QuestionWrite,
)

MAX_FILE_QUESTIONS = 1000
LETTERS = "ABCDEF"
OPTION_FIELDS = [f"option_{letter.lower()}" for letter in LETTERS]

_ALIASES = {
    "topic": ["Chủ đề", "Chuyên đề"],
    "text": ["Câu hỏi", "Nội dung câu hỏi"],
    "kind": ["Loại", "Loại câu hỏi", "Loại (một đáp án / nhiều đáp án)"],
    **{
        name: [f"Phương án {letter}", f"Đáp án {letter}", letter]
        for name, letter in zip(OPTION_FIELDS, LETTERS, strict=True)
    },
    "correct": ["Đáp án đúng", "Đáp án"],
    "explanation": ["Giải thích", "Giải thích đáp án"],
}
LAYOUT = Layout(aliases=_ALIASES, required=("text", "option_a", "option_b", "correct"))

# What a clerk writes in "Loại", accents and case aside; blank is one right answer, as in the form.
_KINDS: dict[str, QuestionKind] = {
    "": "single",
    "mot dap an": "single",
    "mot": "single",
    "mot lua chon": "single",
    "single": "single",
    "nhieu dap an": "multiple",
    "nhieu": "multiple",
    "nhieu lua chon": "multiple",
    "multiple": "multiple",
}
_LETTER_SEPARATORS = re.compile(r"[\s,;/]+")
_SPACES = re.compile(r"\s+")


@dataclass
class QuestionRow:
    row: int
    question: QuestionWrite


@dataclass
class ParsedQuestionFile:
    rows: list[QuestionRow]
    errors: list[RowError]


def question_key(text: str) -> str:
    """The same question, however spaced or cased; accents count, since they change words."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def parse_question_file(filename: str, content: bytes) -> ParsedQuestionFile:
    """Raises ImportFileError when the file as a whole is unusable."""
    rows: list[QuestionRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    with open_table(
        filename, content, LAYOUT, max_rows=MAX_FILE_QUESTIONS, noun="câu hỏi"
    ) as table:
        for sheet_row in table:
            question = _check_row(sheet_row, first_row_of)
            errors.extend(sheet_row.errors)
            if question is not None:
                rows.append(QuestionRow(sheet_row.number, question))
    return ParsedQuestionFile(rows=rows, errors=errors)


def _too_long(row: SheetRow, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        label = LAYOUT.label(name)
        row.error(
            name,
            f"{label} dài {len(value)} ký tự, tối đa {limit}. "
            f"/ {label}: {len(value)} characters, at most {limit}.",
        )


def _options(row: SheetRow) -> list[str]:
    """The options in order, up to the last one filled; a blank before it is an error."""
    texts = [row.values.get(name, "") for name in OPTION_FIELDS]
    filled = [index for index, text in enumerate(texts) if text]
    last = filled[-1] if filled else -1
    for index in range(last):
        if not texts[index]:
            letter, after = LETTERS[index], LETTERS[last]
            row.error(
                OPTION_FIELDS[index],
                f"Phương án {letter} để trống nhưng phương án {after} có nội dung: điền các "
                f"phương án liền nhau từ A. / Option {letter} is blank but option {after} is "
                "not: fill the options in order from A.",
            )
    for name, text in zip(OPTION_FIELDS, texts, strict=True):
        _too_long(row, name, text, MAX_OPTION)
    if len(filled) < 2:
        row.error(
            "option_b" if filled else "option_a",
            f"Cần ít nhất 2 phương án, tệp có {len(filled)}. "
            f"/ At least 2 options are needed, found {len(filled)}.",
        )
    return texts[: last + 1]


def _kind(row: SheetRow) -> QuestionKind | None:
    written = row.values.get("kind", "")
    kind = _KINDS.get(_SPACES.sub(" ", fold(written)).strip())
    if kind is None:
        row.error(
            "kind",
            f"Loại '{written}' không hợp lệ: ghi 'một đáp án' hoặc 'nhiều đáp án'. "
            f"/ Unknown type '{written}': write 'một đáp án' (single) or 'nhiều đáp án' "
            "(multiple).",
        )
    return kind


def _correct(row: SheetRow, options: list[str], kind: QuestionKind | None) -> list[int]:
    written = row.values.get("correct", "")
    tokens = [token for token in _LETTER_SEPARATORS.split(written.upper()) if token]
    if not tokens:
        row.error("correct", "Thiếu đáp án đúng. / The right answer is missing.")
        return []
    if any(len(token) != 1 or token not in LETTERS for token in tokens):
        row.error(
            "correct",
            f"Đáp án đúng '{written}' không hợp lệ: ghi chữ cái của phương án, ví dụ B hoặc A, C. "
            f"/ Right answer '{written}' is not valid: write option letters, e.g. B or A, C.",
        )
        return []
    correct = sorted({LETTERS.index(token) for token in tokens})
    for index in correct:
        if index >= len(options) or not options[index]:
            row.error(
                "correct",
                f"Đáp án đúng {LETTERS[index]} là phương án để trống. "
                f"/ Right answer {LETTERS[index]} names a blank option.",
            )
    if kind == "single" and len(correct) > 1:
        row.error(
            "correct",
            f"Câu một đáp án nhưng có {len(correct)} đáp án đúng ({written}): ghi một chữ cái, "
            "hoặc đổi Loại thành 'nhiều đáp án'. / A single-choice question with "
            f"{len(correct)} right answers: give one letter, or set the type to 'nhiều đáp án'.",
        )
    return correct


def _check_row(row: SheetRow, first_row_of: dict[str, int]) -> QuestionWrite | None:
    values = row.values
    text = values.get("text", "")
    if not text:
        row.error("text", "Thiếu nội dung câu hỏi. / The question text is missing.")
    else:
        _too_long(row, "text", text, MAX_TEXT)
        first = first_row_of.setdefault(question_key(text), row.number)
        if first != row.number:
            row.error(
                "text",
                f"Câu hỏi trùng với dòng {first}. / The same question as row {first}.",
            )
    topic = _SPACES.sub(" ", values.get("topic", "")).strip()
    _too_long(row, "topic", topic, MAX_TOPIC)
    explanation = values.get("explanation", "")
    _too_long(row, "explanation", explanation, MAX_EXPLANATION)
    kind = _kind(row)
    options = _options(row)
    correct = _correct(row, options, kind)
    if row.errors or kind is None:
        return None
    return QuestionWrite(
        topic=topic or None,
        text=text,
        kind=kind,
        options=options,
        correct=correct,
        explanation=explanation,
    )


TEMPLATE_HEADERS = [
    "Chủ đề",
    "Câu hỏi",
    "Loại (một đáp án / nhiều đáp án)",
    *(f"Phương án {letter}" for letter in LETTERS),
    "Đáp án đúng",
    "Giải thích",
]
TEMPLATE_EXAMPLES = [
    [
        "Nghị quyết 57-NQ/TW",
        "Nghị quyết 57-NQ/TW của Bộ Chính trị bàn về lĩnh vực nào?",
        "một đáp án",
        "Phát triển nông nghiệp",
        "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "Cải cách tiền lương",
        "",
        "",
        "",
        "B",
        "Nghị quyết 57-NQ/TW ngày 22/12/2024 về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số quốc gia.",
    ],
    [
        "Chuyển đổi số trong nhà trường",
        "Những việc nào là chuyển đổi số trong nhà trường?",
        "nhiều đáp án",
        "Dùng sổ điểm điện tử",
        "Soạn giáo án trên giấy",
        "Họp tổ chuyên môn trực tuyến",
        "Chép đề kiểm tra lên bảng",
        "",
        "",
        "A, C",
        "",
    ],
]
_TEMPLATE_NOTE = (
    "Mỗi câu hỏi một dòng, bắt đầu từ dòng 3. Bắt buộc: Câu hỏi, ít nhất Phương án A và B, "
    "Đáp án đúng (chữ cái, ví dụ B hoặc A, C). Xem trang 'Hướng dẫn'. "
    "Xoá hai dòng ví dụ trước khi nhập."
)
_TEMPLATE_WIDTHS = [20, 45, 18, *([28] * len(LETTERS)), 14, 40]
_INSTRUCTIONS = [
    ("Cột", "Cách điền"),
    ("Chủ đề", f"Không bắt buộc, tối đa {MAX_TOPIC} ký tự. Dùng để rút câu hỏi theo chủ đề."),
    ("Câu hỏi", f"Bắt buộc, tối đa {MAX_TEXT} ký tự. Không trùng câu hỏi khác trong tệp."),
    (
        "Loại",
        "'một đáp án' (để trống cũng là một đáp án) hoặc 'nhiều đáp án' (chọn tất cả đáp án đúng).",
    ),
    (
        "Phương án A…F",
        f"Ít nhất 2 phương án, điền liền nhau từ A, không bỏ trống ở giữa; tối đa {MAX_OPTION} "
        "ký tự mỗi phương án.",
    ),
    (
        "Đáp án đúng",
        "Chữ cái của phương án đúng: B; nhiều đáp án thì cách nhau bằng dấu phẩy: A, C. "
        "Câu một đáp án chỉ có một chữ cái.",
    ),
    ("Giải thích", f"Không bắt buộc, tối đa {MAX_EXPLANATION} ký tự; hiện sau khi nộp bài."),
    (
        "Câu đã có",
        "Câu hỏi trùng nội dung với câu đã có trong ngân hàng (không kể hoa thường, khoảng "
        "trắng) được cập nhật theo tệp; câu giống hệt thì giữ nguyên.",
    ),
    (
        "Khi nhập",
        "Bấm Kiểm tra trước: mọi lỗi hiện cùng lúc, kèm số dòng. Chỉ khi không còn lỗi mới "
        "nhập được, và nhập tất cả cùng lúc.",
    ),
]


def build_template_xlsx() -> bytes:
    """A file that parse_question_file() accepts as is: the two examples, long texts wrapped,
    and a sheet of instructions."""
    workbook, sheet = template_workbook(
        "Câu hỏi", _TEMPLATE_NOTE, TEMPLATE_HEADERS, _TEMPLATE_WIDTHS, TEMPLATE_EXAMPLES
    )
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + len(TEMPLATE_EXAMPLES)):
        for cell in row:
            cell.alignment = wrapped
    # Rows typed in later wrap too: the style of a whole column applies to its new cells.
    for dimension in sheet.column_dimensions.values():
        dimension.alignment = wrapped
    guide = workbook.create_sheet("Hướng dẫn")
    for line in _INSTRUCTIONS:
        guide.append(xlsx_row(guide, line))
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrapped
    return workbook_bytes(workbook)
