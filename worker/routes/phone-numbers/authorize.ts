/** POST /v1/phone-numbers/{id}/messages/authorize: the send gate's decision for one message. */
import { z } from 'zod';
import { authorizeMessage } from '../../gate/authorize-message.js';
import { waIdSchema } from '../../input-rules.js';
import { defineRoute, routeApp } from '../define-route.js';
import { errors, jsonBody, ok, phoneIdPath } from '../doc-schemas.js';
import { manager } from '../guards.js';

const authorizeSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    recipient: waIdSchema.meta({ description: 'Customer wa_id (digits); for inbound, the sender' }),
    kind: z.enum(['template', 'non_template']).optional().meta({ description: 'Required for outbound' }),
    category: z
      .enum(['marketing', 'utility', 'authentication', 'authentication_international', 'service'])
      .optional()
      .meta({ description: 'Required for templates' }),
    referral: z
      .object({ source_type: z.enum(['ad', 'post']) })
      .optional()
      .meta({ description: 'Inbound from a Click-to-WhatsApp ad or Page call-to-action' }),
    client: z.enum(['android', 'ios', 'web', 'desktop']).optional().meta({ description: 'Unknown = mobile' }),
    at: z.iso.datetime({ offset: true }).optional().meta({ description: 'Default: now' }),
    dry_run: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.direction === 'outbound' && !v.kind)
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'is required for outbound messages' });
    if (v.direction === 'outbound' && v.kind === 'template' && !v.category)
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'is required for templates' });
  });

const decision = z.object({
  allowed: z.boolean(),
  opens_unit: z.boolean().meta({
    description: 'CBP: the message opens a conversation. PMP: the message is a billing unit itself.',
  }),
  paid: z.boolean(),
  category: z.string().nullable().meta({ example: 'marketing' }),
  pricing_model: z.enum(['CBP', 'PMP']),
  pricing_type: z
    .enum(['regular', 'free_customer_service', 'free_entry_point', 'free_tier'])
    .nullable()
    .optional()
    .meta({
      description: "free_tier: a service reply inside the number's monthly free allowance (from 2026-10-01)",
    }),
  reason: z.string().meta({
    example: 'opens_marketing_conversation',
    description:
      'e.g. opens_marketing_conversation, utility_free_in_csw, template_charged, csw_closed; from 2026-10-01 ' +
      'service_in_free_allowance or service_charged',
  }),
  window: z.object({
    csw_open_until: z.iso.datetime().nullable(),
    fep_open_until: z.iso.datetime().nullable(),
  }),
  dry_run: z.boolean().optional(),
});

export const authorizeRoutes = routeApp();

defineRoute(
  authorizeRoutes,
  {
    method: 'post',
    path: '/messages/authorize',
    summary:
      'Authorize a message now: decide CBP/PMP/FEP charging, check the balance, record the window state',
    description:
      'Inbound is always allowed and opens/refreshes the 24-h customer service window (a CTWA/Page CTA referral ' +
      'from Android/iOS lets the next business answer within 24 h open a 72-h free entry point). An allowed ' +
      'outbound message is recorded (opens conversations etc.); `dry_run: true` asks without recording. A paid ' +
      'send with settled balance ≤ 0 answers 402 insufficient_balance; a free-form message outside the window ' +
      'answers 422 window_closed. API keys only (not embed tokens).',
    middleware: [manager],
    request: { params: phoneIdPath, body: jsonBody(authorizeSchema) },
    responses: { ...ok('Decision', decision), ...errors(400, 401, 402, 403, 404, 422) },
  },
  async (c) => {
    const input = c.req.valid('json');
    const { services, config, clock } = c.var.deps;
    const num = await services.gate.numbers.load(c.var.principal, c.req.valid('param').id);
    const result = await authorizeMessage(services.gate, config, num, {
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
  },
);
