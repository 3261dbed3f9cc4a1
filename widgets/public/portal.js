// Demo portal glue: get an embed token (from ?token= or the DEMO-ONLY /demo/embed-token route), then hand it to
// every widget on the page. A partner portal gets its token from its own back end instead (see embedding.html).
const params = new URLSearchParams(location.search);

async function demoToken() {
  const fromUrl = params.get('token');
  if (fromUrl) return { token: fromUrl, expires_at: null };
  const res = await fetch('/demo/embed-token');
  if (!res.ok) throw new Error('No demo token: start the server with DEMO_DATA=true and demo data loaded.');
  return res.json();
}

export async function configureWidgets(root = document) {
  const { token, expires_at } = await demoToken();
  if (expires_at) {
    // Tokens are short-lived: fetch a fresh one before this one expires; widgets reload on the new attribute.
    const refreshIn = Math.max(30_000, (Date.parse(expires_at) - Date.now()) * 0.8);
    setTimeout(() => configureWidgets(root), refreshIn);
  }
  const base = params.get('api-base') ?? location.origin;
  for (const el of root.querySelectorAll('[data-widget]')) {
    el.setAttribute('api-base', base);
    for (const a of ['phone-number-id', 'waba-id', 'locale', 'currency']) {
      if (params.get(a)) el.setAttribute(a, params.get(a));
    }
    el.setAttribute('token', token);
  }
}

/** Sandbox pages: ?widgets=ci-funds-table,ci-add-funds creates just those elements (tests and benchmarks). */
export function createRequestedWidgets(container) {
  for (const tag of (params.get('widgets') ?? '').split(',').filter(Boolean)) {
    if (!/^ci-[a-z-]+$/.test(tag)) continue;
    const el = document.createElement(tag);
    el.setAttribute('data-widget', '');
    container.append(el);
  }
}

for (const button of document.querySelectorAll('.snippet button')) {
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(button.parentElement.querySelector('code').textContent);
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
}
