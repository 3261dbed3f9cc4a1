/**
 * Acceptance of raw webhook envelopes into the continuous intake: the same parser and checks as the synchronous
 * ingest (parse-webhooks.ts, the ownership checks of stage-webhooks.ts, the one refusal of webhook-rejection.ts),
 * made on a reader so they never wait for the writer. A refused request leaves nothing in the intake.
 */
import type { Queryable } from '../db/db.js';
import { parseWebhooks, type ParsedWebhooks } from '../ingest/parse-webhooks.js';
import { checkParsedOwnership } from '../ingest/stage-webhooks.js';
import { rejectWebhookIssues } from '../ingest/webhook-rejection.js';
import type { ContinuousIntake, IntakeAnswer } from './continuous-intake.js';

/**
 * The dedupe key of each event, as the store deduplicates them: a status by (wamid, status, timestamp), so the
 * delivered and read of one message are two events; an inbound message by its wamid.
 */
export function webhookEventKeys(parsed: ParsedWebhooks): string[] {
  const { events, inbound } = parsed;
  const keys = events.wamid.map((w, i) => `s ${w} ${events.status[i]} ${events.status_ts[i]}`);
  for (const w of inbound.wamid) keys.push(`m ${w}`);
  return keys;
}

export async function acceptWebhooks(
  intake: ContinuousIntake,
  reader: Queryable,
  input: { readonly text: string; readonly partnerId: string | null; readonly now: Date },
): Promise<IntakeAnswer> {
  const parsed = parseWebhooks(input.text);
  const owners = intake.owners;
  if (parsed.issues.length === 0 && !owners.covers(parsed, input.partnerId))
    await owners.learn(reader, parsed);
  // Unknown numbers (registered when derived), other partners' WABAs and bad lines get the query's answer.
  if (parsed.issues.length > 0 || !owners.covers(parsed, input.partnerId))
    rejectWebhookIssues([...parsed.issues, ...(await checkParsedOwnership(reader, parsed, input.partnerId))]);
  return intake.accept({
    partnerId: input.partnerId,
    format: 'webhooks',
    text: input.text,
    keys: webhookEventKeys(parsed),
    rows: parsed.lines,
    at: input.now,
    parsed,
  });
}
