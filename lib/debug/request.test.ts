import { describe, expect, it } from 'vitest';
import { parseDebugRequest } from './request';

const errors = (input: unknown) => {
  const parsed = parseDebugRequest(input);
  return parsed.ok ? [] : parsed.errors.map((e) => e.message);
};

describe('parseDebugRequest', () => {
  it("fills kubectl's defaults, and restricted as the profile", () => {
    const parsed = parseDebugRequest({ kind: 'ephemeral', namespace: 'shop', pod: 'web-0' });
    expect(parsed).toEqual({
      ok: true,
      request: { kind: 'ephemeral', namespace: 'shop', pod: 'web-0', profile: 'restricted', env: [], stdin: false, tty: false, stdinOnce: false, volumeMounts: [] },
    });
    const copy = parseDebugRequest({ kind: 'copy', namespace: 'shop', pod: 'web-0', copyTo: 'c' });
    expect(copy.ok && copy.request.kind === 'copy' && [copy.request.keep, copy.request.setImages, copy.request.sameNode, copy.request.replace]).toEqual([
      { labels: false, annotations: false, liveness: false, readiness: false, startup: false, initContainers: true },
      {},
      false,
      false,
    ]);
    const node = parseDebugRequest({ kind: 'node', namespace: 'default', node: 'node-a' });
    expect(node.ok && node.request.kind === 'node' && node.request.chroot).toBe(false);
  });

  it('mounts volumes read-only unless told otherwise', () => {
    const parsed = parseDebugRequest({ kind: 'ephemeral', namespace: 'shop', pod: 'web-0', volumeMounts: [{ name: 'data', mountPath: '/d' }] });
    expect(parsed.ok && parsed.request.kind === 'ephemeral' && parsed.request.volumeMounts).toEqual([{ name: 'data', mountPath: '/d', readOnly: true }]);
  });

  it('names every field that is wrong, as the apiserver would', () => {
    expect(errors({})).toEqual(['kind: Required value: one of "ephemeral", "node", "copy"']);
    expect(errors({ kind: 'exec' })).toEqual(['kind: Unsupported value: "exec": supported values: "ephemeral", "node", "copy"']);
    expect(
      errors({ kind: 'ephemeral', namespace: 'shop', profile: 'root', stdin: 'yes', runAsUser: -1, volumeMounts: [{ name: 'd' }], custom: { ports: 80, capabilities: {} }, extra: 1 }),
    ).toEqual([
      'pod: Required value',
      'volumeMounts[0].mountPath: Required value',
      'profile: Unsupported value: "root": supported values: "legacy", "general", "baseline", "restricted", "netadmin", "sysadmin"',
      'stdin: Invalid value: "yes": expected boolean',
      'runAsUser: Invalid value: -1: expected number to be >=0',
      'custom.ports: Invalid value: 80: expected array',
      'custom.capabilities: Forbidden: unknown field. Remove it (check its spelling)',
      'extra: Forbidden: unknown field. Remove it (check its spelling)',
    ]);
  });

  it('refuses fields of another kind', () => {
    expect(errors({ kind: 'node', namespace: 'default', node: 'n', target: 'app' })).toEqual(['target: Forbidden: unknown field. Remove it (check its spelling)']);
  });
});
