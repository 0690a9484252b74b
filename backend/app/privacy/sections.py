"""What a personal-data export holds, section by section: the key in the JSON, the sheet's
name and its columns with their Vietnamese headers, in the order the workbook shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    sheet: str
    heading: str
    columns: tuple[tuple[str, str], ...]


SECTIONS = (
    Section(
        "profile",
        "Hồ sơ",
        "Thông tin cán bộ",
        (
            ("id", "Mã số"),
            ("organization_id", "Mã đơn vị"),
            ("full_name", "Họ và tên"),
            ("staff_code", "Mã cán bộ"),
            ("position", "Chức vụ"),
            ("email", "Thư điện tử"),
            ("phone", "Điện thoại"),
            ("active", "Đang công tác"),
            ("deactivated_at", "Ngừng công tác lúc"),
            ("search_text", "Chuỗi tìm kiếm"),
            ("sort_name", "Khoá sắp xếp"),
            ("created_at", "Tạo lúc"),
            ("updated_at", "Sửa lúc"),
        ),
    ),
    Section(
        "memberships",
        "Tổ, đoàn thể",
        "Thành viên tổ, đoàn thể",
        (
            ("id", "Mã số"),
            ("unit_id", "Mã tổ"),
            ("unit", "Tổ, đoàn thể"),
            ("is_leader", "Tổ trưởng"),
            ("started_at", "Từ"),
            ("ended_at", "Đến"),
        ),
    ),
    Section(
        "transfers",
        "Chuyển trường",
        "Chuyển đến, chuyển đi",
        (
            ("id", "Mã số"),
            ("from_participant_id", "Mã hồ sơ trường cũ"),
            ("from_organization", "Từ đơn vị"),
            ("to_participant_id", "Mã hồ sơ trường mới"),
            ("to_organization", "Đến đơn vị"),
            ("moved_at", "Chuyển lúc"),
            ("decision_ref", "Số quyết định"),
            ("decided_on", "Ngày quyết định"),
            ("note", "Ghi chú"),
        ),
    ),
    Section(
        "links",
        "Đường dẫn cá nhân",
        "Đường dẫn cá nhân đã cấp",
        (
            ("id", "Mã số"),
            ("created_at", "Cấp lúc"),
            ("expires_at", "Hết hạn"),
            ("revoked_at", "Thu hồi lúc"),
            ("issued_by", "Người cấp"),
        ),
    ),
    Section(
        "confirmations",
        "Xác nhận",
        "Xác nhận học tập và bài thu hoạch (mọi phiên bản)",
        (
            ("id", "Mã số"),
            ("plan_id", "Mã kế hoạch"),
            ("plan", "Kế hoạch"),
            ("material_major", "Phiên bản tài liệu"),
            ("confirmed_at", "Xác nhận lúc"),
            ("method", "Cách xác nhận"),
            ("on_behalf_reason", "Lý do xác nhận thay"),
            ("client_address", "Địa chỉ máy"),
            ("reflection", "Bài thu hoạch"),
            ("reflection_submitted_at", "Nộp thu hoạch lúc"),
            ("grade", "Xếp loại"),
            ("grade_comment", "Nhận xét"),
            ("graded_at", "Chấm lúc"),
            ("withdrawn_at", "Rút lúc"),
            ("withdraw_reason", "Lý do rút"),
        ),
    ),
    Section(
        "attendance",
        "Điểm danh",
        "Điểm danh các buổi học tập",
        (
            ("id", "Mã số"),
            ("session_id", "Mã buổi"),
            ("session", "Buổi học tập"),
            ("starts_at", "Bắt đầu"),
            ("status", "Tình trạng"),
            ("method", "Cách ghi"),
            ("note", "Ghi chú"),
            ("recorded_at", "Ghi lúc"),
            ("client_address", "Địa chỉ máy"),
        ),
    ),
    Section(
        "tasks",
        "Nhiệm vụ",
        "Nhiệm vụ giao cho cán bộ hoặc tổ của cán bộ",
        (
            ("id", "Mã số"),
            ("plan_id", "Mã kế hoạch"),
            ("title", "Nhiệm vụ"),
            ("unit", "Giao cho tổ"),
            ("status", "Trạng thái"),
            ("due_on", "Hạn"),
            ("completed_at", "Hoàn thành lúc"),
        ),
    ),
    Section(
        "evidence",
        "Minh chứng",
        "Minh chứng (chỉ liệt kê, không kèm tệp)",
        (
            ("id", "Mã số"),
            ("task_id", "Mã nhiệm vụ"),
            ("kind", "Loại"),
            ("url", "Đường dẫn"),
            ("note", "Ghi chú"),
            ("file_name", "Tên tệp"),
            ("file_size", "Dung lượng (byte)"),
            ("file_type", "Kiểu tệp"),
            ("created_at", "Nộp lúc"),
            ("review_status", "Duyệt"),
            ("review_comment", "Nhận xét"),
        ),
    ),
    Section(
        "reminders",
        "Nhắc việc",
        "Nhắc việc đã gửi",
        (
            ("id", "Mã số"),
            ("plan_id", "Mã kế hoạch"),
            ("kind", "Loại"),
            ("item_id", "Mã việc"),
            ("stage", "Mốc"),
            ("channel", "Kênh"),
            ("day", "Ngày"),
            ("status", "Trạng thái"),
            ("created_at", "Tạo lúc"),
        ),
    ),
    Section(
        "notifications",
        "Thông báo",
        "Thông báo trong ứng dụng",
        (
            ("id", "Mã số"),
            ("title", "Tiêu đề"),
            ("body", "Nội dung"),
            ("link", "Liên kết"),
            ("created_at", "Gửi lúc"),
            ("read_at", "Đọc lúc"),
        ),
    ),
    Section(
        "emails",
        "Thư điện tử",
        "Thư điện tử gửi cán bộ (không kèm nội dung)",
        (
            ("id", "Mã số"),
            ("channel", "Kênh"),
            ("to_address", "Gửi đến"),
            ("subject", "Tiêu đề"),
            ("status", "Trạng thái"),
            ("attempts", "Số lần gửi"),
            ("created_at", "Tạo lúc"),
            ("sent_at", "Gửi lúc"),
        ),
    ),
    Section(
        "audit",
        "Nhật ký",
        "Nhật ký thao tác về cán bộ",
        (
            ("id", "Mã số"),
            ("created_at", "Lúc"),
            ("actor_label", "Người thực hiện"),
            ("action", "Thao tác"),
            ("entity_type", "Đối tượng"),
            ("entity_id", "Mã đối tượng"),
            ("before", "Trước"),
            ("after", "Sau"),
        ),
    ),
)
BY_KEY = {section.key: section for section in SECTIONS}
