// A table of pods and what `kubectl get pods` prints for them (READY, STATUS,
// RESTARTS), following kubectl's printPod case by case.

import { describe, expect, it } from 'vitest';
import { pod, running, terminated, waiting } from './__fixtures__/pods';
import { podSummary } from './pod-status';

const NOT_READY = { ready: false };

describe('podSummary (kubectl printPod)', () => {
  it.each([
    ['a running, ready pod', pod(), { ready: '1/1', status: 'Running', restarts: 0 }],
    ['a pending pod without statuses', pod({ status: { phase: 'Pending', conditions: [], containerStatuses: [] } }), { ready: '0/1', status: 'Pending', restarts: 0 }],
    [
      'a crash loop, with the last restart time',
      pod({
        status: {
          phase: 'Running',
          containerStatuses: [
            waiting('web', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:10:00Z' } } }),
          ],
        },
      }),
      { ready: '0/1', status: 'CrashLoopBackOff', restarts: 4, lastRestartAt: '2026-01-01T00:10:00Z' },
    ],
    ['an image that cannot be pulled', pod({ status: { phase: 'Pending', containerStatuses: [waiting('web', 'ImagePullBackOff')] } }), { ready: '0/1', status: 'ImagePullBackOff', restarts: 0 }],
    [
      'a finished pod',
      pod({ status: { phase: 'Succeeded', conditions: [], containerStatuses: [terminated('web', { exitCode: 0, reason: 'Completed' })] } }),
      { ready: '0/1', status: 'Completed', restarts: 0 },
    ],
    [
      'a container killed by a signal, without a reason',
      pod({ status: { phase: 'Failed', containerStatuses: [terminated('web', { exitCode: 137, signal: 9 })] } }),
      { ready: '0/1', status: 'Signal:9', restarts: 0 },
    ],
    [
      'a container that exited without a reason',
      pod({ status: { phase: 'Failed', containerStatuses: [terminated('web', { exitCode: 3 })] } }),
      { ready: '0/1', status: 'ExitCode:3', restarts: 0 },
    ],
    [
      'an evicted pod: the pod reason',
      pod({ status: { phase: 'Failed', reason: 'Evicted', containerStatuses: [] } }),
      { ready: '0/1', status: 'Evicted', restarts: 0 },
    ],
    [
      'a pod waiting on a scheduling gate',
      pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }], containerStatuses: [] } }),
      { ready: '0/1', status: 'SchedulingGated', restarts: 0 },
    ],
  ])('%s', (_, input, expected) => {
    expect(podSummary(input)).toEqual(expected);
  });

  describe('init containers', () => {
    const withInit = (statuses: object[], conditions: object[] = []) =>
      pod({
        spec: { nodeName: 'n', initContainers: [{ name: 'init-a', image: 'i' }, { name: 'init-b', image: 'i' }], containers: [{ name: 'web', image: 'w' }] },
        status: { phase: 'Pending', conditions, initContainerStatuses: statuses, containerStatuses: [waiting('web', 'PodInitializing')] },
      });

    it('counts which one runs: Init:1/2', () => {
      expect(podSummary(withInit([terminated('init-a', { exitCode: 0 }), running('init-b', NOT_READY)])).status).toBe('Init:1/2');
    });
    it('shows a waiting reason: Init:CrashLoopBackOff, with its restarts', () => {
      expect(podSummary(withInit([waiting('init-a', 'CrashLoopBackOff', { restartCount: 3 })]))).toEqual({ ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: 3 });
    });
    it('shows a failure: Init:Error, Init:ExitCode:2, Init:Signal:9', () => {
      expect(podSummary(withInit([terminated('init-a', { exitCode: 1, reason: 'Error' })])).status).toBe('Init:Error');
      expect(podSummary(withInit([terminated('init-a', { exitCode: 2 })])).status).toBe('Init:ExitCode:2');
      expect(podSummary(withInit([terminated('init-a', { exitCode: 137, signal: 9 })])).status).toBe('Init:Signal:9');
    });
    it('ignores PodInitializing as a reason: Init:0/2', () => {
      expect(podSummary(withInit([waiting('init-a', 'PodInitializing')])).status).toBe('Init:0/2');
    });
    it('counts a started sidecar (restartPolicy Always) as a container', () => {
      const sidecar = pod({
        spec: { nodeName: 'n', initContainers: [{ name: 'proxy', image: 'p', restartPolicy: 'Always' }], containers: [{ name: 'web', image: 'w' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
          initContainerStatuses: [running('proxy', { restartCount: 1 })],
          containerStatuses: [running('web', { restartCount: 2 })],
        },
      });
      expect(podSummary(sidecar)).toEqual({ ready: '2/2', status: 'Running', restarts: 3 });
    });
  });

  it('says Running, not Completed, while another container still runs and the pod is Ready', () => {
    const sidecarDone = pod({
      spec: { nodeName: 'n', containers: [{ name: 'web', image: 'w' }, { name: 'job', image: 'j' }] },
      status: { phase: 'Running', containerStatuses: [running('web'), terminated('job', { exitCode: 0, reason: 'Completed' })] },
    });
    expect(podSummary(sidecarDone)).toEqual({ ready: '1/2', status: 'Running', restarts: 0 });
    const notReady = pod({ ...sidecarDone, status: { ...sidecarDone.status, conditions: [] } } as object);
    expect(podSummary(notReady).status).toBe('NotReady');
  });

  it('the first container has the last word (kubectl walks them backwards)', () => {
    const two = pod({
      spec: { nodeName: 'n', containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] },
      status: { phase: 'Pending', containerStatuses: [waiting('a', 'ErrImagePull'), waiting('b', 'ContainerCreating')] },
    });
    expect(podSummary(two).status).toBe('ErrImagePull');
  });

  it('Terminating while being deleted, unless the phase is final; Unknown when the node is lost', () => {
    expect(podSummary(pod({ metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:30Z' } })).status).toBe('Terminating');
    const done = pod({ metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:30Z' }, status: { phase: 'Succeeded', containerStatuses: [terminated('web', { exitCode: 0, reason: 'Completed' })] } });
    expect(podSummary(done).status).toBe('Completed');
    const lost = pod({ metadata: { name: 'x', deletionTimestamp: '2026-01-01T00:00:30Z' }, status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('web')] } });
    expect(podSummary(lost).status).toBe('Unknown');
  });

  it('reads Date timestamps from client-node objects as well as strings', () => {
    const restarted = pod({ status: { phase: 'Running', containerStatuses: [running('web', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: new Date('2026-01-01T00:10:00Z') } } })] } });
    expect(podSummary(restarted).lastRestartAt).toBe('2026-01-01T00:10:00Z');
  });
});
