import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { sendRefusal } from './send';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'dev', server: 'https://127.0.0.1:6443' }],
  users: [{ name: 'u' }],
  contexts: [{ name: 'dev', cluster: 'dev', user: 'u' }],
  currentContext: 'dev',
});
const client = { cluster: 'dev', mode: 'impersonate' as const, kubeConfig };
const status = (code: number, body: object) => ({ code, body: JSON.stringify({ kind: 'Status', code, ...body }) });

describe('sendRefusal', () => {
  it('403: the cluster’s words', () => {
    expect(sendRefusal(client, status(403, { message: 'pods "web-0" is forbidden: User "sam" cannot patch resource "pods/ephemeralcontainers"' }), 'add ephemeral container d to pod shop/web-0')).toEqual({
      ok: false,
      status: 403,
      message: 'dev refused to add ephemeral container d to pod shop/web-0: pods "web-0" is forbidden: User "sam" cannot patch resource "pods/ephemeralcontainers". Ask a cluster administrator if you need it.',
    });
  });

  it('409: a name taken', () => {
    expect(sendRefusal(client, status(409, { message: 'pods "web-debug" already exists' }), 'create pod shop/web-debug')).toMatchObject({ status: 409, message: expect.stringContaining('pods "web-debug" already exists. Choose another name') });
  });

  it('422: each cause a field error', () => {
    const refusal = sendRefusal(
      client,
      status(422, { message: 'Pod "web-0" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"', details: { causes: [{ field: 'spec.ephemeralContainers[0].name', message: 'Duplicate value: "app"' }] } }),
      'add ephemeral container app to pod shop/web-0',
    );
    expect(refusal).toEqual({
      ok: false,
      status: 422,
      errors: [{ field: 'spec.ephemeralContainers[0].name', message: 'spec.ephemeralContainers[0].name: Duplicate value: "app"' }],
      message: 'dev refused the object: Pod "web-0" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"',
    });
  });

  it('no answer: 502 saying what went wrong', () => {
    expect(sendRefusal(client, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'create pod shop/x')).toMatchObject({
      status: 502,
      message: expect.stringContaining('Connection refused by 127.0.0.1:6443'),
    });
  });
});
