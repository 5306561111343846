import { describe, expect, it } from 'vitest';
import { setDenialSink } from '@/lib/auth/denials';
import type { EphemeraUser } from '@/lib/auth/types';
import { jsonBody, refusalResponse, sessionBody } from './http';

const alice: EphemeraUser = { name: 'alice', groups: ['oncall'], roles: ['debugger'] };

describe('sessionBody', () => {
  it('takes { request, mode } or a bare request', () => {
    expect(sessionBody({ request: { kind: 'ephemeral' }, mode: 'oneshot' })).toEqual({ request: { kind: 'ephemeral' }, mode: 'oneshot' });
    expect(sessionBody({ request: { kind: 'node' } })).toEqual({ request: { kind: 'node' }, mode: 'interactive' });
    expect(sessionBody({ kind: 'ephemeral', pod: 'x' })).toEqual({ request: { kind: 'ephemeral', pod: 'x' }, mode: 'interactive' });
  });

  it('refuses (400) what is neither', () => {
    expect(() => sessionBody([1])).toThrow('The body must be a JSON object');
    expect(() => sessionBody({ request: {}, mode: 'batch' })).toThrow('mode must be one of interactive, oneshot.');
    expect(() => sessionBody({ request: {}, colour: 'red' })).toThrow('Unknown field colour in the body');
  });
});

describe('jsonBody', () => {
  it('refuses an empty body and one that is not JSON', async () => {
    await expect(jsonBody(new Request('http://x/', { method: 'POST' }))).rejects.toThrow('The request has no body');
    await expect(jsonBody(new Request('http://x/', { method: 'POST', body: '{nope' }))).rejects.toThrow(/^The body is not JSON/);
  });
});

describe('refusalResponse', () => {
  it('answers with the refusal’s status and records a policy refusal with its rule', async () => {
    const lines: string[] = [];
    const previous = setDenialSink((line) => lines.push(line));
    try {
      const response = refusalResponse({ ok: false, status: 403, rule: 'namespaces.disabled', message: 'Debugging is switched off in namespace kube-system.' }, alice, new Request('http://x/api/clusters/dev/sessions', { method: 'POST' }));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ ok: false, error: 'Debugging is switched off in namespace kube-system.', message: 'Debugging is switched off in namespace kube-system.', rule: 'namespaces.disabled' });
      expect(JSON.parse(lines[0])).toMatchObject({ reason: 'policy', user: 'alice', route: 'POST /api/clusters/dev/sessions', detail: 'namespaces.disabled: Debugging is switched off in namespace kube-system.' });
      const bad = refusalResponse({ ok: false, status: 400, errors: [{ field: 'image', message: 'image: Required value' }], message: 'image: Required value' }, alice, new Request('http://x/'));
      expect(await bad.json()).toEqual({ ok: false, error: 'image: Required value', message: 'image: Required value', errors: [{ field: 'image', message: 'image: Required value' }] });
      expect(lines).toHaveLength(1);
    } finally {
      setDenialSink(previous);
    }
  });
});
