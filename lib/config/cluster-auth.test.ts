import { describe, expect, it } from 'vitest';
import { authModeFor, parseClusterAuth } from './cluster-auth';

describe('parseClusterAuth', () => {
  it.each([
    ['impersonate', { default: 'impersonate', contexts: {} }],
    ['passthrough', { default: 'passthrough', contexts: {} }],
    ['prod-eu=passthrough, prod-us=passthrough', { default: 'impersonate', contexts: { 'prod-eu': 'passthrough', 'prod-us': 'passthrough' } }],
    ['passthrough,dev=impersonate', { default: 'passthrough', contexts: { dev: 'impersonate' } }],
    // Context names may contain "=" (kubeconfig allows it); the mode is after the last one.
    ['a=b=passthrough', { default: 'impersonate', contexts: { 'a=b': 'passthrough' } }],
  ])('%s', (value, setting) => {
    expect(parseClusterAuth(value)).toEqual({ ok: true, setting });
  });

  it.each([
    ['oidc', 'EPHEMERA_CLUSTER_AUTH: "oidc" is not a mode; use impersonate or passthrough, or context=mode'],
    ['dev=token', 'EPHEMERA_CLUSTER_AUTH: "token" (for dev) is not a mode; use impersonate or passthrough'],
    ['=passthrough', 'EPHEMERA_CLUSTER_AUTH: "=passthrough" names no context before "="'],
    ['passthrough,impersonate', 'EPHEMERA_CLUSTER_AUTH gives the default mode twice; name at most one bare mode'],
    ['dev=passthrough,dev=impersonate', 'EPHEMERA_CLUSTER_AUTH names dev twice'],
    [' , ', 'EPHEMERA_CLUSTER_AUTH is empty; set it to impersonate or passthrough, or unset it to impersonate everywhere'],
  ])('refuses %j', (value, problem) => {
    expect(parseClusterAuth(value)).toEqual({ ok: false, problem });
  });
});

describe('authModeFor', () => {
  const setting = { default: 'passthrough', contexts: { dev: 'impersonate', constructor: 'impersonate' } } as const;

  it('takes the named context’s mode, else the default', () => {
    expect(authModeFor(setting, 'dev')).toBe('impersonate');
    expect(authModeFor(setting, 'prod')).toBe('passthrough');
    expect(authModeFor({ default: 'impersonate', contexts: {} }, 'toString')).toBe('impersonate');
  });
});
