import { describe, expect, it } from 'vitest';
import { mergeCustom, mergeKeyedList } from './custom';

describe('mergeKeyedList (strategic merge of a keyed list)', () => {
  const env = (...names: string[]) => names.map((name) => ({ name }));

  it("merges items with the same key in place and puts the patch's items first, in the patch's order", () => {
    expect(mergeKeyedList([{ name: 'B', value: '3' }, { name: 'C', value: '4' }], [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], 'name')).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '4' },
    ]);
  });

  it('interleaves the original’s other items by their original positions', () => {
    expect(mergeKeyedList(env('C', 'B'), env('A', 'B'), 'name')).toEqual(env('A', 'C', 'B'));
    expect(mergeKeyedList(env('A', 'B', 'C', 'D'), env('C', 'A'), 'name')).toEqual(env('B', 'C', 'A', 'D'));
    expect(mergeKeyedList(env('P', 'M'), env('M', 'P'), 'name')).toEqual(env('M', 'P'));
    expect(mergeKeyedList(env('MODE'), env('DEBUG'), 'name')).toEqual(env('DEBUG', 'MODE'));
  });
});

describe('mergeCustom', () => {
  const container = {
    name: 'd',
    image: 'busybox',
    args: ['a'],
    resources: {},
    volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
    securityContext: { capabilities: { add: ['SYS_PTRACE'] }, privileged: true },
    stdin: true,
  };

  it('merges maps, replaces lists without a merge key, merges volume mounts by mountPath', () => {
    expect(
      mergeCustom(container, {
        args: ['b'],
        volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }],
        securityContext: { capabilities: { add: ['NET_RAW'] }, runAsUser: 0 },
        resources: { limits: { cpu: '1' } },
      }),
    ).toEqual({
      ...container,
      args: ['b'],
      volumeMounts: [{ name: 'host-root', mountPath: '/host', readOnly: true }],
      securityContext: { capabilities: { add: ['NET_RAW'] }, privileged: true, runAsUser: 0 },
      resources: { limits: { cpu: '1' } },
    });
  });

  it('ignores false and empty values Go leaves out of the custom file', () => {
    expect(mergeCustom(container, { stdin: false, workingDir: '' })).toEqual(container);
    expect(mergeCustom(container, { volumeMounts: [{ name: 'x', mountPath: '/x', readOnly: false }], env: [{ name: 'E', value: '' }] })).toMatchObject({
      volumeMounts: [{ name: 'x', mountPath: '/x' }, { name: 'host-root', mountPath: '/host' }],
      env: [{ name: 'E' }],
    });
  });

  it('leaves its input alone', () => {
    const before = structuredClone(container);
    mergeCustom(container, { securityContext: { runAsUser: 1 } });
    expect(container).toEqual(before);
  });
});
