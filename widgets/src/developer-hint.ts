/**
 * A line in the browser's console for the partner's developer when a call fails for a reason only the embedding
 * page can fix (the token, the allowed origins, api-base). The widget shows the end user a short message in
 * their language; the console says what to change and where the embedding guide explains it. English on
 * purpose: it is read by developers, never shown in the page. Once per page and reason, not once per widget.
 */
import type { ApiError } from './api-error.js';

const GUIDE = 'the embedding guide (/embedding.html#errors on the service)';
const said = new Set<string>();

function hintFor(error: ApiError): string | null {
  const { apiBase, origin } = error.params as { apiBase?: string; origin?: string };
  switch (error.key) {
    case 'expired':
      return 'the embed token has expired. Mint a new one on your back end (POST /v1/embed-tokens) before the old one expires and set it as the token attribute; the widgets reload by themselves.';
    case 'originNotAllowed':
      return `${origin ?? 'this origin'} is not in the partner's allowed_origins. Add it exactly as written here: PATCH /v1/partners/{partner_id} {"allowed_origins":[…]} with the admin token, or npm run partners -- origins <partner_id> --add ${origin ?? '<origin>'}.`;
    case 'corsBlocked':
      return `the browser refused the answers of ${apiBase ?? 'the service'} for ${origin ?? 'this page'}, though the origin is allowed: check that no proxy drops the Access-Control-Allow-Origin header.`;
    case 'unreachable':
    case 'network':
      return `${apiBase ?? 'the service'} could not be reached: set api-base to the service's address (scheme, host, port; no /v1) and check that ${apiBase ?? 'it'}/v1/health answers.`;
    case 'missingConfig':
      return "no token attribute was set: fetch an embed token from your back end and set it on every widget (the guide's step 3).";
    case 'unauthorized':
      return 'the token was refused: use an embed token minted by POST /v1/embed-tokens on the service named by api-base (never an API key).';
    default:
      return null;
  }
}

/** Writes the developer's line for this error, once per page and reason. */
export function hintDeveloper(error: ApiError): void {
  const hint = hintFor(error);
  if (!hint || said.has(error.key)) return;
  said.add(error.key);
  console.warn(`Convo Insights widgets: ${hint} See ${GUIDE}.`);
}
