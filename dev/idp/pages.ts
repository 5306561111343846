// The dev IdP's two pages: the login form with the demo users beside it, and
// an error page. Plain HTML, one inline stylesheet (allowed by its hash in the
// page's CSP), no script.

import { createHash } from 'node:crypto';
import { DEMO_PASSWORD, type DemoUser } from './users';

const STYLE = `
:root { color-scheme: light dark; --muted: #52525b; --line: #d4d4d8; --accent: #2563eb; }
@media (prefers-color-scheme: dark) { :root { --muted: #a1a1aa; --line: #3f3f46; --accent: #60a5fa; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; display: grid; place-items: start center; min-height: 100vh; }
main { width: min(44rem, 100% - 2rem); margin: 3rem 0; }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
p { margin: .25rem 0 1rem; color: var(--muted); }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: 1.25rem; margin-bottom: 1.5rem; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input { width: 100%; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: .375rem; font: inherit; }
.actions { display: flex; gap: .75rem; align-items: center; margin-top: 1rem; }
button { padding: .45rem 1rem; border: 0; border-radius: .375rem; background: var(--accent); color: white; font: inherit; font-weight: 600; cursor: pointer; }
a { color: var(--accent); }
.error { border: 1px solid #dc2626; color: #dc2626; border-radius: .375rem; padding: .5rem .75rem; margin: 0 0 .5rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .75rem; color: var(--muted); font-weight: 600; }
code { font-family: ui-monospace, monospace; font-size: .85em; }
`;

/** The Content-Security-Policy of every page here; `formTargets` are where a login may end up (the clients' redirect URIs). */
export function pageCsp(formTargets: readonly string[]): string {
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const origins = [...new Set(formTargets.map((uri) => new URL(uri).origin))];
  // Chrome applies form-action to the redirects that follow a form post, and a
  // login ends with a redirect to the client: its origin has to be listed.
  // script-src is there for oidc-provider to extend: it adds the hash of the one
  // inline script it needs (the auto-submitted form that ends the previous
  // person's session when someone else signs in). 'self' rather than 'none',
  // which may not stand beside a hash; the IdP serves no script files.
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'sha256-${styleHash}'`,
    `form-action 'self' ${origins.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ephemera dev IdP</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface LoginPageInput {
  uid: string;
  /** Who is asking: the client's id, shown so a person knows where they are signing in to. */
  clientId: string;
  users: readonly DemoUser[];
  username?: string;
  error?: string;
}

export function loginPage({ uid, clientId, users, username = '', error }: LoginPageInput): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  const rows = users
    .map(
      (user) => `<tr><td><code>${escapeHtml(user.username)}</code></td><td>${escapeHtml(user.name)}</td>` +
        `<td>${user.groups.length ? user.groups.map((group) => `<code>${escapeHtml(group)}</code>`).join(', ') : '<em>none</em>'}</td>` +
        `<td>${escapeHtml(user.about)}</td></tr>`,
    )
    .join('\n');
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>Ephemera's development identity provider, signing you in to <code>${escapeHtml(clientId)}</code>.</p>
<form class="card" method="post" action="${action}/login">
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" value="${escapeHtml(username)}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <div class="actions"><button type="submit">Sign in</button> <a href="${action}/abort">Cancel</a></div>
</form>
<h2>Demo users</h2>
<p>Every demo user's password is <code>${escapeHtml(DEMO_PASSWORD)}</code>. Groups travel to the app in the ID token's <code>groups</code> claim.</p>
<table aria-label="Demo users">
<thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Groups</th><th scope="col">Who</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  );
}

export function errorPage(title: string, details: Record<string, string | undefined>): string {
  const lines = Object.entries(details)
    .filter(([, value]) => value)
    .map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(value!)}</td></tr>`)
    .join('\n');
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<div class="card"><table>${lines}</table></div>`);
}
