// Strings of a person's moves between schools (the person page), loaded with that section.
export default {
  "transfers.title": "Transfer to another school",
  "transfers.cameFrom": "Transferred from {school} on {date} (staff code there: {code}).",
  "transfers.movedTo": "Transferred to {school} on {date} (staff code there: {code}); her record here stays as it was.",
  "transfers.decision": "Decision no. {ref}",
  "transfers.decisionOn": "Decision no. {ref} of {date}",
  "transfers.lead":
    "She joins the new school from the moment this is recorded: this school's figures and issued reports stay as they are; the new school can read her learning record; her login follows her and her old personal links are revoked.",
  "transfers.school": "Move to school",
  "transfers.pickSchool": "— Choose a school —",
  "transfers.staffCode": "Staff code at the new school",
  "transfers.staffCodeHint": "Leave empty to keep her current code",
  "transfers.position": "Position at the new school",
  "transfers.positionHint": "Leave empty to keep her current position",
  "transfers.decisionRef": "Transfer decision number",
  "transfers.decisionRefHint": "e.g. 125/QĐ-UBND",
  "transfers.decidedOn": "Decision date",
  "transfers.note": "Note",
  "transfers.submit": "Transfer",
  "transfers.confirm": "Move {name} to {school}? This cannot be undone.",
};
