import { describe, expect, it } from 'vitest';
import { containerStatus, stepFor } from './follow';

describe('stepFor', () => {
  it('no status yet: pending', () => {
    expect(stepFor(undefined)).toEqual({ kind: 'pending' });
    expect(stepFor({ name: 'x' })).toEqual({ kind: 'pending' });
  });

  it('running, with when it started', () => {
    expect(stepFor({ name: 'x', state: { running: { startedAt: '2026-11-27T06:00:00Z' } } })).toEqual({ kind: 'running', startedAt: new Date('2026-11-27T06:00:00Z') });
  });

  it('waiting: the reason explained, and the cluster’s own words when the explanation leaves them out', () => {
    const message = 'failed to resolve reference "ghcr.io/x/y:1": ghcr.io/x/y:1: not found';
    expect(stepFor({ name: 'x', state: { waiting: { reason: 'ImagePullBackOff', message } } })).toEqual({
      kind: 'waiting',
      reason: 'ImagePullBackOff',
      rawMessage: message,
      message: `The registry has no such image (check the name and the tag). Kubernetes keeps retrying, waiting longer each time. An ephemeral container cannot be changed or removed, so start a new one with an image that exists. The cluster says: ${message}`,
    });
    expect(stepFor({ name: 'x', state: { waiting: { reason: 'ContainerCreating' } } })).toMatchObject({ message: 'The container is being created. Wait a moment.' });
  });

  it('terminated after running: exited with its code', () => {
    expect(stepFor({ name: 'x', state: { terminated: { exitCode: 3, reason: 'Error', startedAt: '2026-11-27T06:00:00Z' } } })).toEqual({
      kind: 'terminated',
      exitCode: 3,
      reason: 'Error',
      message: 'The container exited with code 3.',
      started: true,
    });
  });

  it('terminated without running: why it could not start', () => {
    const step = stepFor({ name: 'x', state: { terminated: { exitCode: 128, reason: 'StartError', message: 'exec: "bash": executable file not found in $PATH' } } });
    expect(step).toMatchObject({ kind: 'terminated', started: false, exitCode: 128 });
    expect(step.kind === 'terminated' && step.message).toBe('The container could not start (StartError). The image has no "bash" (minimal and distroless images often have no shell). Run a program the image has, or use a debug image that has it.');
  });
});

describe('containerStatus', () => {
  const pod = { status: { containerStatuses: [{ name: 'app' }], ephemeralContainerStatuses: [{ name: 'debugger-x' }] } };
  it('reads ephemeral and regular statuses apart', () => {
    expect(containerStatus(pod, 'debugger-x', true)).toEqual({ name: 'debugger-x' });
    expect(containerStatus(pod, 'debugger-x', false)).toBeUndefined();
    expect(containerStatus(pod, 'app', false)).toEqual({ name: 'app' });
  });
});
