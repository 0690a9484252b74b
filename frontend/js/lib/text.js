// Text as a filter compares it.

// "Nguyễn Thị Đào" → "nguyen thi dao": what a filter typed without accents still finds.
export function foldText(text) {
  return text
    .toLocaleLowerCase("vi")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d");
}
