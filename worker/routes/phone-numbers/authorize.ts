/** Routes owned by the gate area; mounted in app.ts at /v1. The runway route rides along (runway.ts). */
import { Hono } from 'hono';
import { z } from 'zod';
import { requireManager } from '../../auth/access.js';
import type { AppEnv } from '../../env.js';
import { parseJsonBody } from '../../http/validate.js';
import { waIdSchema } from '../../input-rules.js';
import { authorizeMessage } from '../../gate/authorize-message.js';
import { loadGateNumber } from '../../gate/load-gate-number.js';
import { runwayRoutes } from './runway.js';

const authorizeSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    recipient: waIdSchema,
    kind: z.enum(['template', 'non_template']).optional(),
    category: z
      .enum(['marketing', 'utility', 'authentication', 'authentication_international', 'service'])
      .optional(),
    referral: z.object({ source_type: z.enum(['ad', 'post']) }).optional(),
    client: z.enum(['android', 'ios', 'web', 'desktop']).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    dry_run: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.direction === 'outbound' && !v.kind)
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'is required for outbound messages' });
    if (v.direction === 'outbound' && v.kind === 'template' && !v.category)
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'is required for templates' });
  });

export const gateRoutes = new Hono<AppEnv>()
  .route('/', runwayRoutes)
  .post('/phone-numbers/:id/messages/authorize', async (c) => {
    requireManager(c.var.principal);
    const input = await parseJsonBody(c, authorizeSchema);
    const { db, config, clock } = c.var.deps;
    const num = await loadGateNumber(db, c.var.principal, c.req.param('id'));
    const result = await authorizeMessage(db, config, num, {
      direction: input.direction,
      kind: input.kind,
      category: input.category,
      referral: input.referral,
      client: input.client,
      at: input.at ? Date.parse(input.at) : clock.now().getTime(),
      customer: input.recipient,
      dryRun: input.dry_run ?? false,
    });
    return c.json(result);
  });
