# ruff: noqa: E501 - transcribed document text, kept as whole sentences
"""The seed plan (../shared/seed/ke-hoach-nq57-th-nguyen-binh-khiem.txt), read as data.

Kế hoạch tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW của Trường
Tiểu học Nguyễn Bỉnh Khiêm (tháng 3/2025), under Kế hoạch số 470/KH-UBND of UBND quận
Thanh Khê. Line breaks of the scanned text are joined; the wording is the school's.
"""

from __future__ import annotations

RESOLUTION = (
    "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
)

DISTRICT_TITLE = (
    "Tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của "
    "Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
    "quốc gia trên địa bàn quận"
)

SCHOOL_TITLE = (
    "Tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của "
    "Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
    "quốc gia tại Trường Tiểu học Nguyễn Bỉnh Khiêm"
)

PREAMBLE = (
    "Thực hiện Kế hoạch số 470/KH-UBND ngày 04 tháng 3 năm 2025 của UBND quận Thanh Khê về tổ "
    "chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính "
    "trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên "
    "địa bàn quận (sau đây gọi tắt là Nghị quyết 57-NQ/TW). Trường Tiểu học Nguyễn Bỉnh Khiêm xây "
    "dựng kế hoạch tổ chức học tập, quán triệt và tuyên truyền Nghị quyết 57-NQ/TW, cụ thể như sau:"
)

SECTIONS = [
    {
        "key": "purpose",
        "heading": "MỤC ĐÍCH, YÊU CẦU",
        "body": (
            "1. Mục đích\n"
            "- Tổ chức đợt sinh hoạt chính trị sâu rộng trong nhà trường về thực hiện Nghị quyết "
            "57-NQ/TW. Qua đó, xác định trách nhiệm của các tập thể, cá nhân, mỗi cán bộ, viên chức và "
            "người lao động (CBVC-NLĐ) trong thực hiện thắng lợi các mục tiêu, định hướng phát triển "
            "đơn vị trong thời gian đến.\n"
            "- Quán triệt đến các CBVC-NLĐ các chủ trương, đường lối của Đảng và chính sách, pháp luật "
            "của Nhà nước. Làm rõ các quan điểm chỉ đạo, mục tiêu, nhiệm vụ và giải pháp đã được xác "
            "định trong Nghị quyết 57-NQ/TW.\n"
            "- Khẳng định vai trò, trách nhiệm của nhà trường trong công tác phát triển khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia theo chỉ đạo của Thủ tướng Chính phủ.\n"
            "2. Yêu cầu\n"
            "- Công tác quán triệt, tuyên truyền phải được tiến hành kịp thời, khẩn trương, nghiêm túc, "
            "thiết thực, hiệu quả. Chú trọng đổi mới nội dung, phương thức quán triệt phù hợp với tình "
            "hình thực tiễn của nhà trường.\n"
            "- Tăng cường kiểm tra, giám sát, quán triệt, tuyên truyền Nghị quyết 57-NQ/TW."
        ),
    },
    {
        "key": "content",
        "heading": "NỘI DUNG, QUÁN TRIỆT VÀ TUYÊN TRUYỀN",
        "body": (
            "1. Nội dung tuyên truyền\n"
            "- Nhằm biểu dương, khen thưởng các tập thể, cá nhân cán bộ, viên chức và người lao động có "
            "thành tích. Tôn vinh và nhân rộng những phát minh, sáng chế, cải tiến kỹ thuật. Đấu tranh, "
            "phản bác những thông tin, quan điểm sai trái, thù địch. Bảo vệ chủ trương của Đảng và chính "
            "sách của Nhà nước về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc "
            "gia. Nghị quyết 57-NQ/TW là một chủ trương mang tính chiến lược và cách mạng, nhằm tạo xung "
            "lực mới, đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, "
            "đưa đất nước phát triển mạnh mẽ trong kỷ nguyên mới.\n"
            "- Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là động lực then chốt cho sự phát "
            "triển của đất nước. Những lợi ích mà khoa học, công nghệ và chuyển đổi số mang lại cho cuộc "
            "sống hàng ngày, như cải thiện chất lượng dịch vụ công, tăng năng suất lao động, tạo ra nhiều "
            "cơ hội việc làm mới.\n"
            "- Chia sẻ, nhân rộng những mô hình thành công về ứng dụng khoa học, công nghệ và chuyển đổi "
            "số trong, ngoài nước. Tổ chức các buổi tọa đàm, giới thiệu các mô hình phát triển về khoa "
            "học, công nghệ và chuyển đổi số trong, ngoài ngành Giáo dục đến toàn thể CBVC-NLĐ học tập, "
            "nghiên cứu, sáng tạo, phát triển. Xây dựng các video clip, infographic, ứng dụng cung cấp "
            "thông tin và tài liệu liên quan, bài viết ngắn gọn, dễ hiểu lên trang thông tin điện tử nhà "
            "trường.\n"
            "- Tập trung vào các mục tiêu cụ thể đến năm 2030 và tầm nhìn đến năm 2045, như tăng tỷ trọng "
            "kinh tế số, nâng cao năng lực cạnh tranh số, phát triển nguồn nhân lực chất lượng cao.\n"
            "- Phát triển và hoàn thiện thể chế, tăng cường đầu tư hạ tầng, phát triển nhân lực, thúc đẩy "
            "ứng dụng công nghệ thông tin trong nhà trường. Nhấn mạnh vai trò và trách nhiệm của từng "
            "đối tượng trong việc thực hiện Nghị quyết.\n"
            "* Lưu ý: Tuyên truyền cần được thực hiện một cách thường xuyên, liên tục và có hệ thống. Nội "
            "dung và hình thức tuyên truyền cần được điều chỉnh phù hợp với nhiệm vụ chính trị chuyên môn "
            "của nhà trường. Có sự phối hợp chặt chẽ giữa các tổ chức, đoàn thể trong nhà trường để công "
            "tác tuyên truyền đảm bảo đạt hiệu quả.\n"
            "2. Đối tượng\n"
            "- Ban giám hiệu, Ban chấp hành Công đoàn, Chi đoàn thanh niên, các tổ chuyên môn, toàn thể "
            "CBVC, NLĐ trong nhà trường.\n"
            "3. Thời gian tuyên truyền\n"
            "- Bắt đầu từ tháng 3 năm 2025 và xuyên suốt trong các năm tiếp theo."
        ),
    },
    {
        "key": "organisation",
        "heading": "TỔ CHỨC THỰC HIỆN",
        "body": (
            "1. Nhiệm vụ chung\n"
            "Hiệu trưởng có trách nhiệm:\n"
            "- Tổ chức quán triệt đến toàn thể cán bộ, viên chức, người lao động trong nhà trường về quan "
            "điểm mục tiêu, nhiệm vụ, giải pháp để thực hiện có hiệu quả Nghị quyết số 57-NQ/TW và các "
            "văn bản hướng dẫn của các cấp.\n"
            "2. Nhiệm vụ cụ thể\n"
            "- Xây dựng kế hoạch công tác hằng năm để tuyên truyền, tổ chức thực hiện trong nhà trường; "
            "thường xuyên đánh giá kết quả thực hiện và kịp thời bổ sung các nhiệm vụ, giải pháp để triển "
            "khai thực hiện có hiệu quả Nghị quyết số 57-NQ/TW.\n"
            "- Cán bộ quản lý, nhân viên văn phòng, giáo viên trong nhà trường đẩy mạnh ứng dụng CNTT, "
            "chuyển đổi số, thường xuyên cập nhật phần mềm phát triển công nghệ phục vụ trong công việc; "
            "duy trì, phát triển Kho tài nguyên đề KTĐK tham khảo và Kho học liệu BGĐT e-Learning của "
            "nhà trường, ngành.\n"
            "- Chỉ đạo bộ phận chuyên môn và các tổ chức, đoàn thể trong nhà trường tập trung chuẩn bị chu "
            "đáo về nhân sự, các phương tiện, trang thiết bị phục vụ công tác phát triển khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia. Khai thác hiệu quả các hệ thống thông tin "
            "toàn ngành gồm:\n"
            "+ Cổng thông tin điện tử của Bộ GDĐT tại địa chỉ https://moet.gov.vn\n"
            "+ Kho bài giảng e-Learning và đào tạo trên Hệ tri thức Việt số hóa tại địa chỉ "
            "https://igiaoduc.vn/ và http://tthl.danang.edu.vn\n"
            "+ Phần mềm hỗ trợ dạy trực tuyến của Microsoft qua bộ công cụ phần mềm Office 365.\n"
            "+ Cổng thông tin điện tử của Sở GDĐT tại địa chỉ http://danang.edu.vn. Cổng thông tin điện "
            "tử của Phòng GDĐT tại địa chỉ: http://pgdthanhkhe.edu.vn. Cổng thông tin điện tử của nhà "
            "trường tại địa chỉ: http://thnguyenbinhkhiem.edu.vn.\n"
            "- Đẩy mạnh tuyên truyền nâng cao nhận thức của phụ huynh và học sinh về vai trò và lợi ích "
            "của phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong lĩnh vực giáo "
            "dục. Tăng cường sự tham gia của phụ huynh, học sinh cùng góp ý, giám sát và sử dụng các dịch "
            "vụ, tiện ích do chuyển đổi số mang lại, thực hiện việc sử dụng mạng an toàn. Triển khai các "
            "kênh hỗ trợ trực tiếp, trực tuyến (website, mạng xã hội) để hỗ trợ phụ huynh, học sinh sử "
            "dụng các dịch vụ giáo dục trực tuyến."
        ),
    },
]

CLOSING = (
    "Trên đây là Kế hoạch tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW ngày "
    "22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển "
    "đổi số quốc gia của Trường Tiểu học Nguyễn Bỉnh Khiêm./."
)

RECIPIENTS = [
    "UBND quận Thanh Khê",
    "PGDĐT quận Thanh Khê",
    "BGH, BCH CĐ, CĐ thanh niên",
    "Lưu: VT, HT",
]

# Section III, read as tasks: (section, title, who: a unit name, or "principal").
TASKS = [
    ("III.1", "Tổ chức quán triệt Nghị quyết 57-NQ/TW đến toàn thể CBVC-NLĐ", "principal"),
    (
        "III.2",
        "Xây dựng kế hoạch công tác hằng năm tuyên truyền, thực hiện Nghị quyết 57-NQ/TW",
        "Ban giám hiệu",
    ),
    ("III.2", "Duy trì, phát triển Kho tài nguyên đề KTĐK tham khảo", "Tổ 4"),
    ("III.2", "Duy trì, phát triển Kho học liệu BGĐT e-Learning của nhà trường", "Tổ 5"),
    ("III.2", "Cập nhật phần mềm, ứng dụng CNTT phục vụ công việc văn phòng", "Tổ Văn phòng"),
    (
        "III.2",
        "Chuẩn bị nhân sự, phương tiện, trang thiết bị phục vụ chuyển đổi số",
        "Ban giám hiệu",
    ),
    ("III.2", "Khai thác Office 365 và các cổng thông tin của ngành trong dạy học", "Tổ 3"),
    (
        "III.2",
        "Tuyên truyền phụ huynh, học sinh về chuyển đổi số và sử dụng mạng an toàn",
        "Chi đoàn thanh niên",
    ),
    ("III.2", "Vận hành kênh hỗ trợ trực tuyến (website, mạng xã hội) cho phụ huynh", "Tổ 1"),
]

MATERIALS = [
    (
        "Toàn văn Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "https://tulieuvankien.dangcongsan.vn/he-thong-van-ban/van-ban-cua-dang/nghi-quyet-so-57-nqtw",
        "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
    ),
    (
        "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ (Chương trình hành động)",
        "https://chinhphu.vn/nghi-quyet-03-nq-cp-2025",
        "Chương trình hành động của Chính phủ thực hiện Nghị quyết 57-NQ/TW.",
    ),
    (
        "Đề cương tuyên truyền: mục tiêu đến năm 2030, tầm nhìn 2045",
        "https://thnguyenbinhkhiem.edu.vn/de-cuong-nq57",
        "Kinh tế số ít nhất 30% GDP; chi cho nghiên cứu phát triển 2% GDP; trên 80% người dân dùng "
        "dịch vụ công trực tuyến; tầm nhìn 2045: kinh tế số ít nhất 50% GDP.",
    ),
]
