import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnDefinitions, eventCells, humanDuration, namespaceCells, nodeCells, podCells, toTable, translateTimestampSince } from './tables';
import type { KubeObject } from './types';

const NOW = new Date('2025-03-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration (duration.HumanDuration)', () => {
  // The apimachinery test tables, in milliseconds.
  it.each([
    [1 * S, '1s'],
    [70 * S, '70s'],
    [190 * S, '3m10s'],
    [70 * M, '70m'],
    [47 * H, '47h'],
    [49 * H, '2d1h'],
    [(8 * 24 + 2) * H, '8d'],
    [367 * D, '367d'],
    [(365 * 2 * 24 + 25) * H, '2y1d'],
    [(365 * 8 * 24 + 2) * H, '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it.each([
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [1 * S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [3 * H + 4 * M + 59 * S, '3h4m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [2 * D + H, '2d1h'],
    [5 * D, '5d'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 23 * H, '2y'],
    [2 * Y + 23 * H + 59 * M, '2y'],
    [2 * Y + D - 1, '2y'],
    [2 * Y + D, '2y1d'],
    [2 * Y + 3 * D, '2y3d'],
    [3 * Y, '3y'],
    [4 * Y, '4y'],
    [5 * Y, '5y'],
    [6 * Y, '6y'],
    [7 * Y, '7y'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 364 * D, '8y'],
    [9 * Y, '9y'],
  ])('boundary %d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('translateTimestampSince: <unknown> for the zero time, else the age', () => {
    expect(translateTimestampSince(undefined, NOW)).toBe('<unknown>');
    expect(translateTimestampSince(null, NOW)).toBe('<unknown>');
    expect(translateTimestampSince('', NOW)).toBe('<unknown>');
    expect(translateTimestampSince('0001-01-01T00:00:00Z', NOW)).toBe('<unknown>');
    expect(translateTimestampSince(ago(5 * S), NOW)).toBe('5s');
    expect(translateTimestampSince(ago(2 * M + 3 * S), NOW)).toBe('2m3s');
    expect(translateTimestampSince(new Date(NOW.getTime() + 10 * S).toISOString(), NOW)).toBe('<invalid>');
    // MicroTime precision is fine too
    expect(translateTimestampSince('2025-03-10T11:59:30.123456Z', NOW)).toBe('29s');
  });
});

// ---------------------------------------------------------------------------
// Pods

type State = Record<string, unknown>;

function cs(name: string, state: State, extra: Record<string, unknown> = {}) {
  return {
    name,
    state,
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'docker.io/library/busybox:1.36',
    imageID: '',
    started: false,
    ...extra,
  };
}

const running = { running: { startedAt: ago(10 * M) } };

function pod(name: string, o: { spec?: Record<string, unknown>; status?: Record<string, unknown>; meta?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: ago(5 * D), ...o.meta },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], nodeName: 'kind-worker', ...o.spec },
    status: o.status ?? {},
  };
}

const status = (cells: (string | number)[]) => cells[2];

describe('pods (printPod)', () => {
  it('a running, ready pod', () => {
    const p = pod('web', {
      status: {
        phase: 'Running',
        podIP: '10.244.1.7',
        podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [cs('app', running, { ready: true, started: true })],
      },
    });
    expect(podCells(p, NOW)).toEqual({ cells: ['web', '1/1', 'Running', '0', '5d', '10.244.1.7', 'kind-worker', '<none>', '<none>'] });
  });

  it('a pending pod not yet scheduled', () => {
    const p = pod('queued', { spec: { nodeName: undefined }, status: { phase: 'Pending' } });
    expect(podCells(p, NOW).cells).toEqual(['queued', '0/1', 'Pending', '0', '5d', '<none>', '<none>', '<none>', '<none>']);
  });

  it('the podIP field when podIPs is absent, and the nominated node', () => {
    const p = pod('x', { status: { phase: 'Pending', podIP: '10.0.0.9', nominatedNodeName: 'kind-worker2' } });
    expect(podCells(p, NOW).cells.slice(5)).toEqual(['10.0.0.9', 'kind-worker', 'kind-worker2', '<none>']);
  });

  it.each([
    ['ContainerCreating', { waiting: { reason: 'ContainerCreating' } }, 'Pending'],
    ['ErrImagePull', { waiting: { reason: 'ErrImagePull', message: 'rpc error: not found' } }, 'Pending'],
    ['ImagePullBackOff', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope"' } }, 'Pending'],
    ['CreateContainerConfigError', { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } }, 'Pending'],
    ['CrashLoopBackOff', { waiting: { reason: 'CrashLoopBackOff' } }, 'Running'],
  ])('waiting reason %s', (want, state, phase) => {
    const p = pod('w', { status: { phase, containerStatuses: [cs('app', state)] } });
    const printed = podCells(p, NOW);
    expect(status(printed.cells)).toBe(want);
    expect(printed.cells[1]).toBe('0/1');
  });

  it('restarts show when the last container terminated: "3 (5m ago)"', () => {
    const p = pod('crashy', {
      status: {
        phase: 'Running',
        containerStatuses: [
          cs(
            'app',
            { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
            { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(6 * M), finishedAt: ago(5 * M) } } },
          ),
        ],
      },
    });
    expect(podCells(p, NOW).cells.slice(0, 5)).toEqual(['crashy', '0/1', 'CrashLoopBackOff', '3 (5m ago)', '5d']);
  });

  it('restarts without a last termination time are a bare count; the latest termination across containers wins', () => {
    const bare = pod('a', { status: { phase: 'Running', containerStatuses: [cs('app', running, { ready: true, restartCount: 2 })] } });
    expect(podCells(bare, NOW).cells[3]).toBe('2');
    const two = pod('b', {
      spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          cs('a', running, { ready: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * H) } } }),
          cs('b', running, { ready: true, restartCount: 4, lastState: { terminated: { exitCode: 137, finishedAt: ago(90 * S) } } }),
        ],
      },
    });
    expect(podCells(two, NOW).cells.slice(1, 4)).toEqual(['2/2', 'Running', '5 (90s ago)']);
  });

  it.each([
    ['Completed', { terminated: { exitCode: 0, reason: 'Completed' } }, 'Succeeded'],
    ['Error', { terminated: { exitCode: 1, reason: 'Error' } }, 'Failed'],
    ['OOMKilled', { terminated: { exitCode: 137, reason: 'OOMKilled' } }, 'Failed'],
    ['Signal:9', { terminated: { exitCode: 137, signal: 9 } }, 'Failed'],
    ['ExitCode:2', { terminated: { exitCode: 2 } }, 'Failed'],
  ])('terminated: %s', (want, state, phase) => {
    const p = pod('t', { status: { phase, containerStatuses: [cs('app', state)] } });
    expect(status(podCells(p, NOW).cells)).toBe(want);
  });

  it('finished pods carry the Completed row condition', () => {
    const ok = pod('ok', { status: { phase: 'Succeeded', containerStatuses: [cs('app', { terminated: { exitCode: 0, reason: 'Completed' } })] } });
    expect(podCells(ok, NOW).conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    const failed = pod('bad', { status: { phase: 'Failed', containerStatuses: [cs('app', { terminated: { exitCode: 1, reason: 'Error' } })] } });
    expect(podCells(failed, NOW).conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  });

  it('a completed container next to a running one reads Running, or NotReady without the Ready condition', () => {
    const statuses = [cs('app', running, { ready: true, started: true }), cs('job', { terminated: { exitCode: 0, reason: 'Completed' } })];
    const spec = { containers: [{ name: 'app', image: 'a' }, { name: 'job', image: 'b' }] };
    const ready = pod('mixed', { spec, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses } });
    expect(podCells(ready, NOW).cells.slice(1, 3)).toEqual(['1/2', 'Running']);
    const notReady = pod('mixed', { spec, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses } });
    expect(podCells(notReady, NOW).cells.slice(1, 3)).toEqual(['1/2', 'NotReady']);
  });

  it('evicted pods show the status reason', () => {
    const p = pod('ev', { status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } });
    expect(status(podCells(p, NOW).cells)).toBe('Evicted');
  });

  describe('init containers', () => {
    const initSpec = (n = 1) => ({
      initContainers: Array.from({ length: n }, (_, i) => ({ name: `init-${i}`, image: 'busybox' })),
    });

    it('Init:0/1 while the first init container runs', () => {
      const p = pod('i', {
        spec: initSpec(1),
        status: {
          phase: 'Pending',
          initContainerStatuses: [cs('init-0', running)],
          containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
        },
      });
      expect(podCells(p, NOW).cells.slice(1, 3)).toEqual(['0/1', 'Init:0/1']);
    });

    it('Init:1/2 once the first one completed; a PodInitializing wait counts as not started', () => {
      const p = pod('i', {
        spec: initSpec(2),
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            cs('init-0', { terminated: { exitCode: 0, reason: 'Completed' } }),
            cs('init-1', { waiting: { reason: 'PodInitializing' } }),
          ],
        },
      });
      expect(status(podCells(p, NOW).cells)).toBe('Init:1/2');
    });

    it.each([
      ['Init:CrashLoopBackOff', { waiting: { reason: 'CrashLoopBackOff' } }],
      ['Init:ErrImagePull', { waiting: { reason: 'ErrImagePull' } }],
      ['Init:Error', { terminated: { exitCode: 1, reason: 'Error' } }],
      ['Init:ExitCode:3', { terminated: { exitCode: 3 } }],
      ['Init:Signal:15', { terminated: { exitCode: 143, signal: 15 } }],
    ])('%s', (want, state) => {
      const p = pod('i', {
        spec: initSpec(1),
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            cs('init-0', state, { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * S) } } }),
          ],
          containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
        },
      });
      // while initializing, init container restarts are the ones counted
      expect(podCells(p, NOW).cells.slice(1, 4)).toEqual(['0/1', want, '2 (30s ago)']);
    });

    it('PodInitializing once init containers are done and the app container waits', () => {
      const p = pod('i', {
        spec: initSpec(1),
        status: {
          phase: 'Pending',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [cs('init-0', { terminated: { exitCode: 0, reason: 'Completed' } }, { restartCount: 1 })],
          containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
        },
      });
      // regular restarts only: the completed init container's restart does not count
      expect(podCells(p, NOW).cells.slice(1, 4)).toEqual(['0/1', 'PodInitializing', '0']);
    });

    it('a restartable init container (sidecar) counts in Ready and Restarts', () => {
      const p = pod('side', {
        spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
        status: {
          phase: 'Running',
          conditions: [
            { type: 'Initialized', status: 'True' },
            { type: 'Ready', status: 'True' },
          ],
          initContainerStatuses: [
            cs('proxy', running, { ready: true, started: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * M) } } }),
          ],
          containerStatuses: [
            cs('app', running, { ready: true, started: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * M) } } }),
          ],
        },
      });
      expect(podCells(p, NOW).cells.slice(1, 4)).toEqual(['2/2', 'Running', '3 (3m ago)']);
    });

    it('a sidecar that has not started yet holds the pod in Init', () => {
      const p = pod('side', {
        spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [cs('proxy', running, { started: false })],
          containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
        },
      });
      expect(podCells(p, NOW).cells.slice(1, 3)).toEqual(['0/2', 'Init:0/1']);
    });
  });

  it('Terminating when deletionTimestamp is set and the phase is not terminal', () => {
    const p = pod('bye', {
      meta: { deletionTimestamp: ago(-30 * S), deletionGracePeriodSeconds: 30 },
      status: { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] },
    });
    expect(podCells(p, NOW).cells.slice(1, 3)).toEqual(['1/1', 'Terminating']);
    const done = pod('done', {
      meta: { deletionTimestamp: ago(0) },
      status: { phase: 'Succeeded', containerStatuses: [cs('app', { terminated: { exitCode: 0, reason: 'Completed' } })] },
    });
    expect(status(podCells(done, NOW).cells)).toBe('Completed');
  });

  it('NodeLost, and Unknown once such a pod is being deleted', () => {
    const lost = pod('lost', { status: { phase: 'Unknown', reason: 'NodeLost', message: 'Node kind-worker which was running pod lost is unresponsive' } });
    expect(status(podCells(lost, NOW).cells)).toBe('NodeLost');
    const deleting = pod('lost', { meta: { deletionTimestamp: ago(M) }, status: { phase: 'Running', reason: 'NodeLost' } });
    expect(status(podCells(deleting, NOW).cells)).toBe('Unknown');
  });

  it('SchedulingGated from the PodScheduled condition', () => {
    const p = pod('gated', {
      spec: { nodeName: undefined, schedulingGates: [{ name: 'example.com/quota' }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }] },
    });
    expect(podCells(p, NOW).cells.slice(2, 3)).toEqual(['SchedulingGated']);
  });

  it('readiness gates: true conditions over gates', () => {
    const p = pod('rg', {
      spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'example.com/lb', status: 'True' },
          { type: 'example.com/dns', status: 'False' },
        ],
        containerStatuses: [cs('app', running, { ready: true })],
      },
    });
    expect(podCells(p, NOW).cells[8]).toBe('1/2');
  });
});

// ---------------------------------------------------------------------------
// Nodes, namespaces, events

function node(name: string, o: { labels?: Record<string, string>; spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: ago(30 * D + 4 * H), labels: o.labels ?? {} },
    spec: o.spec ?? {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.2' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.2',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.8.0-51-generic',
        containerRuntimeVersion: 'containerd://1.7.24',
      },
      ...o.status,
    },
  };
}

describe('nodes (printNode)', () => {
  it('a ready control-plane node, all columns', () => {
    const n = node('kind-control-plane', { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'kind-control-plane' } });
    expect(nodeCells(n, NOW)).toEqual([
      'kind-control-plane',
      'Ready',
      'control-plane',
      '30d',
      'v1.32.2',
      '172.18.0.2',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.8.0-51-generic',
      'containerd://1.7.24',
    ]);
  });

  it('roles: sorted, deduplicated, from node-role.kubernetes.io/* and kubernetes.io/role; <none> without', () => {
    const n = node('n', { labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'ingress', 'node-role.kubernetes.io/': 'x', 'node-role.kubernetes.io/ingress': '' } });
    expect(nodeCells(n, NOW)[2]).toBe('ingress,worker');
    expect(nodeCells(node('plain'), NOW)[2]).toBe('<none>');
  });

  it.each([
    ['NotReady', [{ type: 'Ready', status: 'False' }], {}],
    ['NotReady', [{ type: 'Ready', status: 'Unknown' }], {}],
    ['Unknown', [], {}],
    ['Ready,SchedulingDisabled', [{ type: 'Ready', status: 'True' }], { unschedulable: true }],
    ['NotReady,SchedulingDisabled', [{ type: 'Ready', status: 'False' }], { unschedulable: true }],
  ])('status %s', (want, conditions, spec) => {
    expect(nodeCells(node('n', { spec, status: { conditions } }), NOW)[1]).toBe(want);
  });

  it('external IP and missing node info', () => {
    const n = node('n', { status: { addresses: [{ type: 'ExternalIP', address: '203.0.113.4' }], nodeInfo: { kubeletVersion: 'v1.32.0' } } });
    expect(nodeCells(n, NOW).slice(4)).toEqual(['v1.32.0', '<none>', '203.0.113.4', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('namespaces (printNamespace)', () => {
  it('name, phase, age', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', creationTimestamp: ago(3 * H + 4 * M) }, status: { phase: 'Active' } };
    expect(namespaceCells(ns, NOW)).toEqual(['shop', 'Active', '3h4m']);
    const gone: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', creationTimestamp: ago(2 * Y + 3 * D), deletionTimestamp: ago(S) }, status: { phase: 'Terminating' } };
    expect(namespaceCells(gone, NOW)).toEqual(['old', 'Terminating', '2y3d']);
  });
});

function event(name: string, o: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'shop', creationTimestamp: ago(M) }, ...o };
}

describe('events (printEvent)', () => {
  it('a kubelet event, all columns', () => {
    const e = event('web.17f2a1b2c3d4e5f6', {
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod web_shop(uid)\n',
      source: { component: 'kubelet', host: 'kind-worker' },
      firstTimestamp: ago(10 * M),
      lastTimestamp: ago(5 * S),
      count: 12,
      type: 'Warning',
    });
    expect(eventCells(e, NOW)).toEqual([
      '5s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{app}',
      'kubelet, kind-worker',
      'Back-off restarting failed container app in pod web_shop(uid)',
      '10m',
      12,
      'web.17f2a1b2c3d4e5f6',
    ]);
  });

  it('events.k8s.io-style: eventTime only, reportingComponent, count 0 → 1', () => {
    const e = event('n1', {
      involvedObject: { kind: 'Node', name: 'kind-worker' },
      reason: 'RegisteredNode',
      message: 'Node kind-worker event: Registered Node kind-worker in Controller',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: '2025-03-10T11:58:00.000000Z',
      reportingComponent: 'node-controller',
      reportingInstance: '',
      type: 'Normal',
    });
    expect(eventCells(e, NOW)).toEqual(['2m', 'Normal', 'RegisteredNode', 'node/kind-worker', '', 'node-controller', 'Node kind-worker event: Registered Node kind-worker in Controller', '2m', 1, 'n1']);
  });

  it('series: last seen and count come from the series', () => {
    const e = event('s', {
      involvedObject: { kind: 'Pod', name: 'web' },
      reason: 'Unhealthy',
      message: 'Readiness probe failed',
      source: { component: 'kubelet' },
      eventTime: ago(H),
      series: { count: 7, lastObservedTime: ago(20 * S) },
      reportingComponent: 'kubelet',
      reportingInstance: 'kind-worker',
      type: 'Warning',
    });
    const cells = eventCells(e, NOW);
    expect(cells[0]).toBe('20s');
    expect(cells[5]).toBe('kubelet, kind-worker');
    expect(cells[7]).toBe('60m');
    expect(cells[8]).toBe(7);
  });

  it('an involved object without a name prints just its kind; no timestamps at all read <unknown>', () => {
    const e = event('x', { involvedObject: { kind: 'ClusterRole' }, reason: 'R', message: 'm', type: 'Normal' });
    const cells = eventCells(e, NOW);
    expect(cells[3]).toBe('clusterrole');
    expect(cells[0]).toBe('<unknown>');
    expect(cells[7]).toBe('<unknown>');
  });
});

// ---------------------------------------------------------------------------
// The Table document

describe('toTable', () => {
  const pods = [
    pod('web', { status: { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] } }),
    pod('job', { status: { phase: 'Succeeded', containerStatuses: [cs('app', { terminated: { exitCode: 0, reason: 'Completed' } })] } }),
  ];

  it('is a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const t = toTable('pods', pods, { includeObject: 'Metadata', resourceVersion: '1234' }, NOW) as any;
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '1234' });
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0].cells).toEqual(['web', '1/1', 'Running', '0', '5d', '<none>', 'kind-worker', '<none>', '<none>']);
    expect(t.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pods[0].metadata });
    expect(t.rows[0].conditions).toBeUndefined();
    expect(t.rows[1].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    // JSON-safe
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('includeObject=Object embeds the object, None leaves it out', () => {
    const full = toTable('pods', pods, { includeObject: 'Object', resourceVersion: '1' }, NOW) as any;
    expect(full.rows[1].object).toBe(pods[1]);
    const none = toTable('pods', pods, { includeObject: 'None', resourceVersion: '1' }, NOW) as any;
    expect('object' in none.rows[0]).toBe(false);
  });

  it('continue token and watch events without column definitions', () => {
    const t = toTable('namespaces', [], { includeObject: 'Metadata', resourceVersion: '9', continueToken: 'abc', withColumnDefinitions: false }, NOW) as any;
    expect(t.metadata).toEqual({ resourceVersion: '9', continue: 'abc' });
    expect(t.columnDefinitions).toEqual([]);
    expect(t.rows).toEqual([]);
  });

  it('column definitions as the apiserver declares them', () => {
    const summary = (r: 'pods' | 'nodes' | 'namespaces' | 'events') =>
      columnDefinitions(r).map((c) => `${c.name}:${c.type}:${c.format}:${c.priority}`);
    expect(summary('pods')).toEqual([
      'Name:string:name:0',
      'Ready:string::0',
      'Status:string::0',
      'Restarts:string::0',
      'Age:string::0',
      'IP:string::1',
      'Node:string::1',
      'Nominated Node:string::1',
      'Readiness Gates:string::1',
    ]);
    expect(summary('nodes')).toEqual([
      'Name:string:name:0',
      'Status:string::0',
      'Roles:string::0',
      'Age:string::0',
      'Version:string::0',
      'Internal-IP:string::1',
      'External-IP:string::1',
      'OS-Image:string::1',
      'Kernel-Version:string::1',
      'Container-Runtime:string::1',
    ]);
    expect(summary('namespaces')).toEqual(['Name:string:name:0', 'Status:string::0', 'Age:string::0']);
    expect(summary('events')).toEqual([
      'Last Seen:string::0',
      'Type:string::0',
      'Reason:string::0',
      'Object:string::0',
      'Subobject:string::1',
      'Source:string::1',
      'Message:string::0',
      'First Seen:string::1',
      'Count:string::1',
      'Name:string:name:1',
    ]);
    const podDefs = columnDefinitions('pods');
    expect(podDefs[0].description).toMatch(/^Name must be unique within a namespace\./);
    expect(podDefs[3].description).toBe(
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    );
    expect(podDefs[4].description).toContain('in UTC.\n\nPopulated by the system.');
    // every cell row has one cell per column
    for (const r of ['pods', 'nodes', 'namespaces', 'events'] as const) expect(columnDefinitions(r).length).toBeGreaterThan(0);
    expect(podCells(pods[0], NOW).cells).toHaveLength(podDefs.length);
    expect(nodeCells(node('n'), NOW)).toHaveLength(columnDefinitions('nodes').length);
    expect(eventCells(event('e', { involvedObject: { kind: 'Pod', name: 'p' } }), NOW)).toHaveLength(columnDefinitions('events').length);
  });
});

// ---------------------------------------------------------------------------
// What the real kubectl prints from these tables

const KUBECTL = '/usr/bin/kubectl';

describe.skipIf(!existsSync(KUBECTL))('kubectl v1.32 renders the tables', () => {
  let server: Server;
  let base = '';
  let cacheDir = '';
  const now = () => new Date();
  const agoReal = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const livePods = (): KubeObject[] => [
    {
      ...pod('web', {
        status: {
          phase: 'Running',
          podIP: '10.244.1.7',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [cs('app', running, { ready: true, restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: agoReal(5 * M + 10 * S) } } })],
        },
      }),
      metadata: { name: 'web', namespace: 'shop', creationTimestamp: agoReal(5 * D + H) },
    },
    {
      ...pod('init', {
        spec: { initContainers: [{ name: 'migrate', image: 'm' }] },
        status: { phase: 'Pending', initContainerStatuses: [cs('migrate', { waiting: { reason: 'CrashLoopBackOff' } })] },
      }),
      metadata: { name: 'init', namespace: 'shop', creationTimestamp: agoReal(2 * M + 3 * S) },
    },
  ];

  beforeAll(async () => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'kubectl-cache-'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (body: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      switch (url.pathname) {
        case '/version':
          return send({ major: '1', minor: '32', gitVersion: 'v1.32.2', platform: 'linux/amd64' });
        case '/api':
          return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
        case '/apis':
          return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
        case '/api/v1':
          return send({
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [
              { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'] },
              { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list', 'watch'], shortNames: ['no'] },
              { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'watch'], shortNames: ['ns'] },
              { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['get', 'list', 'watch'], shortNames: ['ev'] },
            ],
          });
        case '/api/v1/namespaces/shop/pods':
        case '/api/v1/pods':
          return send(toTable('pods', livePods(), { includeObject: 'Metadata', resourceVersion: '77' }, now()));
        case '/api/v1/namespaces/shop/events':
          return send(
            toTable(
              'events',
              [
                event('web.1', {
                  involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
                  reason: 'BackOff',
                  message: 'Back-off restarting failed container app',
                  source: { component: 'kubelet', host: 'kind-worker' },
                  firstTimestamp: agoReal(10 * M),
                  lastTimestamp: agoReal(5 * S),
                  count: 12,
                  type: 'Warning',
                }),
              ],
              { includeObject: 'Metadata', resourceVersion: '77' },
              now(),
            ),
          );
        case '/api/v1/nodes':
          return send(
            toTable('nodes', [{ ...node('kind-control-plane', { labels: { 'node-role.kubernetes.io/control-plane': '' }, spec: { unschedulable: true } }), metadata: { name: 'kind-control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' }, creationTimestamp: agoReal(30 * D) } }], { includeObject: 'Metadata', resourceVersion: '77' }, now()),
          );
        default:
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        KUBECTL,
        [`--server=${base}`, `--cache-dir=${cacheDir}`, ...args],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cacheDir, KUBECONFIG: path.join(cacheDir, 'none') } as unknown as NodeJS.ProcessEnv, timeout: 20_000 },
        (err: Error | null, stdout: string, stderr: string) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });

  const rows = (out: string) => out.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));

  it('kubectl get pods', async () => {
    expect(rows(await kubectl('get', 'pods', '-n', 'shop'))).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['web', '1/1', 'Running', '3 (5m10s ago)', '5d1h'],
      ['init', '0/1', 'Init:CrashLoopBackOff', '0', '2m3s'],
    ]);
  });

  it('kubectl get pods -o wide', async () => {
    expect(rows(await kubectl('get', 'pods', '-n', 'shop', '-o', 'wide'))).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ['web', '1/1', 'Running', '3 (5m10s ago)', '5d1h', '10.244.1.7', 'kind-worker', '<none>', '<none>'],
      ['init', '0/1', 'Init:CrashLoopBackOff', '0', '2m3s', '<none>', 'kind-worker', '<none>', '<none>'],
    ]);
  });

  it('kubectl get pods -A takes NAMESPACE from the row objects', async () => {
    expect(rows(await kubectl('get', 'pods', '-A'))).toEqual([
      ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['shop', 'web', '1/1', 'Running', '3 (5m10s ago)', '5d1h'],
      ['shop', 'init', '0/1', 'Init:CrashLoopBackOff', '0', '2m3s'],
    ]);
  });

  it('kubectl get events', async () => {
    expect(rows(await kubectl('get', 'events', '-n', 'shop'))).toEqual([
      ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      ['5s', 'Warning', 'BackOff', 'pod/web', 'Back-off restarting failed container app'],
    ]);
  });

  it('kubectl get nodes', async () => {
    expect(rows(await kubectl('get', 'nodes'))).toEqual([
      ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      ['kind-control-plane', 'Ready,SchedulingDisabled', 'control-plane', '30d', 'v1.32.2'],
    ]);
  });
});
