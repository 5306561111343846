import { createElement } from 'react';
import { prerender } from 'react-dom/static';
import { describe, expect, it } from 'vitest';
import type { Permission } from '@/lib/k8s/permissions';
import { PermissionGate } from './can';

async function render(permission: Promise<Permission>, whenDenied?: 'hide' | 'disable'): Promise<string> {
  const element = createElement(PermissionGate, { permission, whenDenied, label: 'Debug', children: createElement('button', null, 'Start debugging') });
  const { prelude } = await prerender(element);
  return new Response(prelude).text();
}

describe('PermissionGate', () => {
  it('renders the control once the answer is yes', async () => {
    expect(await render(Promise.resolve({ allowed: true, reason: 'ok' }))).toContain('<button>Start debugging</button>');
  });

  it('renders nothing for a no, by default', async () => {
    expect(await render(Promise.resolve({ allowed: false, reason: 'RBAC says no' }))).not.toMatch(/Start debugging|RBAC says no/);
  });

  it('renders a disabled control with the reason when asked to', async () => {
    const html = await render(Promise.resolve({ allowed: false, reason: 'RBAC says no' }), 'disable');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Debug<\/button>/);
    expect(html).toContain('RBAC says no');
    expect(html).not.toContain('Start debugging');
  });

  it('fails closed when the check itself fails', async () => {
    const html = await render(Promise.reject(new Error('cluster unreachable')), 'disable');
    expect(html).toContain('cluster unreachable');
    expect(html).not.toContain('Start debugging');
  });
});
