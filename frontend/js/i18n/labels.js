// The words for codes the server sends (a role, a unit's kind, an attendance mark), one place each.
import { t, tOr } from "./index.js";

export function roleLabel(role) {
  return role ? t(`role.${role}`) : "";
}

// A kind these tables do not know yet reads as its code.
export function unitKindLabel(kind) {
  return tOr(`unitKind.${kind}`, kind);
}

// "Có mặt", "Muộn"…, or "not marked yet".
export function attendanceLabel(status) {
  return status ? t(`sessions.att.${status}`) : t("sessions.att.none");
}
