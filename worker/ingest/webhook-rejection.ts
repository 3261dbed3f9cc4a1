/**
 * The one refusal of a webhook batch, whether it is loaded at once (POST /v1/ingest) or accepted into the
 * continuous intake: every issue sorted by line, the first ISSUE_CAP listed, nothing of the batch written.
 */
import { BatchRejectedError, type InputIssue } from '../errors.js';
import { ISSUE_CAP } from './validate-staged-units.js';

/** Throws the 422 that names the batch's issues; does nothing when there are none. */
export function rejectWebhookIssues(found: readonly InputIssue[]): void {
  if (found.length === 0) return;
  const issues = [...found].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = new Set(issues.map((i) => i.line)).size;
  throw new BatchRejectedError(
    `${lines} line(s) are invalid (${issues.length} issue(s)); the whole batch was rejected and nothing was written.`,
    issues.slice(0, ISSUE_CAP),
    { total_issues: issues.length, bad_rows: lines, issues_listed: Math.min(ISSUE_CAP, issues.length) },
  );
}
