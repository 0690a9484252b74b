// Strings of the privacy notice (#/privacy), loaded with that screen. Lists: one item a line.
export default {
  "privacy.title": "Dữ liệu cá nhân của thầy cô",
  "privacy.intro":
    "Lan Tỏa giúp nhà trường theo dõi việc học tập, quán triệt nghị quyết. Trang này nói rõ hệ thống lưu gì về thầy cô, để làm gì, ai được xem, lưu bao lâu và thầy cô có quyền gì, theo Nghị định 13/2023/NĐ-CP và Luật Bảo vệ dữ liệu cá nhân.",
  "privacy.what": "Dữ liệu được lưu",
  "privacy.whatItems":
    "Họ tên, mã cán bộ, chức vụ, tổ/bộ phận; thư điện tử và số điện thoại nếu nhà trường nhập.\nViệc xác nhận đã học tập: thời điểm, cách xác nhận (đường dẫn cá nhân, tài khoản, mã QR hoặc cán bộ ghi nhận thay) và địa chỉ mạng của thiết bị.\nBài thu hoạch, kết quả đánh giá và nhận xét.\nĐiểm danh các buổi học tập; nhiệm vụ được giao và minh chứng nộp kèm.\nNhật ký thao tác: ai đã làm gì, khi nào (để bảo đảm số liệu trung thực).\nNhắc việc và thông báo đã gửi cho thầy cô.",
  "privacy.why": "Để làm gì",
  "privacy.whyItems":
    "Theo dõi và tổng hợp kết quả học tập, quán triệt nghị quyết của đơn vị.\nLập báo cáo gửi cấp trên: cấp trên nhận số liệu tổng hợp; thông tin gửi tự động ra ngoài hệ thống chỉ mang mã số, không mang họ tên.\nNhắc thầy cô những việc còn dang dở (trong ứng dụng và qua thư điện tử, nếu có).",
  "privacy.who": "Ai được xem",
  "privacy.whoItems":
    "Thầy cô xem được dữ liệu của chính mình.\nBan giám hiệu, văn thư và cán bộ quản lý của trường xem được dữ liệu của cán bộ trong trường, theo phân quyền.\nCơ quan quản lý cấp trên (phòng, sở giáo dục) xem được số liệu của các đơn vị trực thuộc, theo phân quyền.\nKhông ai khác; dữ liệu không được bán hay dùng vào mục đích khác.",
  "privacy.howLong": "Lưu bao lâu",
  "privacy.howLongText":
    "Dữ liệu được lưu trong thời gian thầy cô công tác tại đơn vị. Khi thầy cô nghỉ, dữ liệu được giữ theo thời hạn lưu trữ nhà trường (hoặc cơ quan cấp trên) đặt, tính từ ngày nghỉ; hết thời hạn, họ tên, mã cán bộ, thông tin liên hệ, tài khoản, nội dung bài thu hoạch và tệp minh chứng được xoá hẳn (ẩn danh hoá), chỉ còn số liệu tổng hợp không gắn với tên. Người đã nghỉ có thể đề nghị ẩn danh hoá sớm hơn. Các báo cáo đã ban hành là văn bản lưu trữ, giữ nguyên như khi ban hành.",
  "privacy.rights": "Quyền của thầy cô",
  "privacy.rightsItems":
    "Được biết dữ liệu nào về mình đang được lưu và được xem lại.\nĐược yêu cầu một bản sao dữ liệu của mình.\nĐược yêu cầu sửa thông tin sai (họ tên, chức vụ, tổ, thư điện tử, số điện thoại).\nĐược yêu cầu hạn chế, phản đối hoặc xóa dữ liệu trong các trường hợp pháp luật cho phép.",
  "privacy.ask": "Cách gửi yêu cầu",
  "privacy.askText":
    "Bản sao dữ liệu của mình thầy cô tự tải bất cứ lúc nào: mở Hồ sơ học tập từ trang của thầy cô và bấm nút “Tải dữ liệu của tôi” (tệp XLSX hoặc JSON). Các yêu cầu khác (sửa, hạn chế, phản đối, xóa) thầy cô gửi tới văn thư hoặc ban giám hiệu nhà trường (trực tiếp hoặc bằng văn bản). Nhà trường trả lời trong thời hạn pháp luật quy định.",
  "privacy.openRecord": "Mở Hồ sơ học tập của tôi",
  "privacy.link": "Đường dẫn cá nhân",
  "privacy.linkText":
    "Đường dẫn cá nhân mở trang của thầy cô mà không cần mật khẩu: xin đừng chuyển cho người khác. Nếu lỡ chia sẻ, hãy báo nhà trường để thu hồi và cấp đường dẫn mới.",
  "privacy.back": "← Về trang của tôi",
};
