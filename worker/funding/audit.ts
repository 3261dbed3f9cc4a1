/** The funding audit log: who changed what on a number's funding settings, when, before and after. */
import type { Queryable } from '../db/db.js';
import { isoMillis } from '../db/instant-text.js';

export interface AuditEntry {
  readonly phone_number_id: string;
  readonly actor: string;
  readonly action: string;
  readonly at: Date;
  readonly before: unknown;
  readonly after: unknown;
}

/** Appends one audit entry (before/after stored as JSON). */
export async function writeAudit(tx: Queryable, e: AuditEntry): Promise<void> {
  await tx.run(
    `INSERT INTO funding_audit VALUES ($id, nextval('funding_audit_seq'), $p, $actor, $action, $at::TIMESTAMPTZ,
       $before, $after)`,
    {
      id: `au_${crypto.randomUUID()}`,
      p: e.phone_number_id,
      actor: e.actor,
      action: e.action,
      at: e.at.toISOString(),
      before: e.before === null || e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === null || e.after === undefined ? null : JSON.stringify(e.after),
    },
  );
}

/** The audit entries of a number, oldest first, with before/after parsed back. */
export async function listAudit(db: Queryable, phoneNumberId: string): Promise<Record<string, unknown>[]> {
  const rows = await db.all<{
    actor: string;
    action: string;
    at: string;
    before: string | null;
    after: string | null;
  }>(
    `SELECT actor, action, changed_at AS at, before_json AS before, after_json AS after FROM funding_audit
      WHERE phone_number_id = $p ORDER BY seq`,
    { p: phoneNumberId },
  );
  return rows.map((r) => ({
    actor: r.actor,
    action: r.action,
    at: isoMillis(r.at),
    before: r.before ? (JSON.parse(r.before) as unknown) : null,
    after: r.after ? (JSON.parse(r.after) as unknown) : null,
  }));
}
