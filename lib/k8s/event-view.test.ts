import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { eventsAbout, isAbout, toEventView } from './event-view';

const event = (overrides: Record<string, unknown> = {}): CoreV1Event =>
  ({
    metadata: { name: 'e', namespace: 'pxc' },
    involvedObject: { kind: 'Pod', namespace: 'pxc', name: 'cluster1-pxc-0', uid: 'u1' },
    type: 'Normal',
    reason: 'Started',
    message: 'Started container pxc\n',
    count: 1,
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    ...overrides,
  }) as unknown as CoreV1Event;

const target = { namespace: 'pxc', kind: 'Pod', name: 'cluster1-pxc-0', uid: 'u1' };

describe('events about a pod', () => {
  it('matches kind, namespace, name and uid; an earlier pod of the same name is another pod', () => {
    expect(isAbout(event(), target)).toBe(true);
    expect(isAbout(event({ involvedObject: { kind: 'Pod', namespace: 'pxc', name: 'cluster1-pxc-0', uid: 'old' } }), target)).toBe(false);
    expect(isAbout(event({ involvedObject: { kind: 'Pod', namespace: 'pxc', name: 'cluster1-pxc-0' } }), target)).toBe(true);
    expect(isAbout(event({ involvedObject: { kind: 'Node', name: 'cluster1-pxc-0' } }), target)).toBe(false);
    expect(isAbout(event({ involvedObject: { kind: 'Pod', namespace: 'shop', name: 'cluster1-pxc-0', uid: 'u1' } }), target)).toBe(false);
  });

  it('reads like kubectl describe: type, reason, from, count, message', () => {
    expect(toEventView(event({ type: 'Warning', reason: 'BackOff', count: 5 }))).toEqual({
      type: 'Warning',
      reason: 'BackOff',
      message: 'Started container pxc',
      count: 5,
      from: 'kubelet, node-a',
      firstAt: '2026-01-01T00:00:00Z',
      lastAt: '2026-01-01T00:00:00Z',
    });
    const modern = toEventView(event({ source: undefined, reportingComponent: 'default-scheduler', count: undefined, firstTimestamp: undefined, lastTimestamp: undefined, eventTime: '2026-01-02T00:00:00.000000Z' }));
    expect(modern).toMatchObject({ from: 'default-scheduler', count: 1, firstAt: '2026-01-02T00:00:00.000000Z' });
  });

  it('lists them oldest first', () => {
    const later = event({ reason: 'Pulled', lastTimestamp: '2026-01-01T00:05:00Z' });
    expect(eventsAbout([later, event()], target).map((e) => e.reason)).toEqual(['Started', 'Pulled']);
  });
});
