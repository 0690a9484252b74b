// A plan's question bank from a spreadsheet: the template to fill in, and the import (checked
// first with a dry run, then all rows or none).
import { downloadFile } from "../lib/download.js";
import { api, query } from "./client.js";

export const downloadQuestionTemplate = (planId) => downloadFile(`/plans/${planId}/quiz/questions/template`, "mau-cau-hoi-kiem-tra.xlsx");

export function importQuestions(planId, file, dryRun) {
  const body = new FormData();
  body.append("file", file);
  return api.post(`/plans/${planId}/quiz/questions/import${query({ dry_run: dryRun })}`, body);
}
