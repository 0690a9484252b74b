// Strings of a person's moves between schools (the person page), loaded with that section.
export default {
  "transfers.title": "Chuyển trường",
  "transfers.cameFrom": "Chuyển đến từ {school} ngày {date} (mã cán bộ ở đó: {code}).",
  "transfers.movedTo": "Đã chuyển đến {school} ngày {date} (mã cán bộ ở đó: {code}); hồ sơ ở trường này giữ nguyên.",
  "transfers.decision": "Quyết định số {ref}",
  "transfers.decisionOn": "Quyết định số {ref} ngày {date}",
  "transfers.lead":
    "Cán bộ sang trường mới từ lúc ghi nhận: số liệu và báo cáo đã ban hành của trường này giữ nguyên; trường mới xem được hồ sơ học tập của cán bộ; tài khoản đăng nhập đi theo, đường dẫn cá nhân cũ bị thu hồi.",
  "transfers.school": "Chuyển đến trường",
  "transfers.pickSchool": "— Chọn trường —",
  "transfers.staffCode": "Mã cán bộ ở trường mới",
  "transfers.staffCodeHint": "Để trống: giữ mã hiện tại",
  "transfers.position": "Chức vụ ở trường mới",
  "transfers.positionHint": "Để trống: giữ chức vụ hiện tại",
  "transfers.decisionRef": "Số quyết định điều động",
  "transfers.decisionRefHint": "Ví dụ 125/QĐ-UBND",
  "transfers.decidedOn": "Ngày quyết định",
  "transfers.note": "Ghi chú",
  "transfers.submit": "Chuyển trường",
  "transfers.confirm": "Chuyển {name} sang {school}? Việc này không hoàn tác được.",
};
