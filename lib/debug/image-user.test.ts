import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../dev/cluster/kubelet/images';
import { effectiveRunAs, imageUserOf, imageUserWarning } from './image-user';

const RESTRICTED = { runAsNonRoot: true };
const DEBUG_TOOLS = 'ghcr.io/ephemera/debug-tools:1.0';

describe('imageUserOf', () => {
  it("reads the dev cluster's catalogue, tags included", () => {
    expect(imageUserOf('busybox', CATALOGUE)).toBe(0);
    expect(imageUserOf(DEBUG_TOOLS, CATALOGUE)).toBe(65532);
    expect(imageUserOf('gcr.io/distroless/static:nonroot', CATALOGUE)).toBe(65532);
    expect(imageUserOf('gcr.io/distroless/static:latest', CATALOGUE)).toBe(0);
    expect(imageUserOf('example.com/unknown:1', CATALOGUE)).toBeUndefined();
  });

  it('takes a lookup function instead', () => {
    expect(imageUserOf('anything', () => 1001)).toBe(1001);
  });
});

describe('imageUserWarning', () => {
  it('predicts the kubelet refusing a root image under runAsNonRoot, and proposes a user or a non-root image', () => {
    expect(imageUserWarning('busybox', CATALOGUE, RESTRICTED, { nonRootImages: [DEBUG_TOOLS] })).toEqual({
      code: 'imageRunsAsRoot',
      image: 'busybox',
      proposals: [{ kind: 'runAsUser', runAsUser: 65532 }, { kind: 'image', image: DEBUG_TOOLS }],
      message:
        'busybox runs as root (uid 0) and runAsNonRoot is true, so the kubelet will refuse to start it (CreateContainerConfigError: container has runAsNonRoot and image will run as root). Set runAsUser to 65532, or use ghcr.io/ephemera/debug-tools:1.0, which runs as a non-root user.',
    });
  });

  it('says nothing when the image runs as non-root, a non-zero runAsUser is set, or runAsNonRoot is off', () => {
    expect(imageUserWarning(DEBUG_TOOLS, CATALOGUE, RESTRICTED)).toBeUndefined();
    expect(imageUserWarning('busybox', CATALOGUE, { runAsNonRoot: true, runAsUser: 1000 })).toBeUndefined();
    expect(imageUserWarning('busybox', CATALOGUE, {})).toBeUndefined();
    expect(imageUserWarning('busybox', CATALOGUE, undefined)).toBeUndefined();
  });

  it('warns about runAsUser 0 under runAsNonRoot, whatever the image', () => {
    expect(imageUserWarning(DEBUG_TOOLS, CATALOGUE, { runAsNonRoot: true, runAsUser: 0 })?.code).toBe('runAsUserRoot');
  });

  it('says when it cannot know, proposing the given uid', () => {
    const warning = imageUserWarning('example.com/tool:1', CATALOGUE, RESTRICTED, { runAsUser: 1000 });
    expect(warning?.code).toBe('imageUserUnknown');
    expect(warning?.proposals).toEqual([{ kind: 'runAsUser', runAsUser: 1000 }]);
  });

  it('reads the container over the pod, as the kubelet does', () => {
    expect(effectiveRunAs({ runAsNonRoot: true, runAsUser: 1001 }, { runAsUser: 0 })).toEqual({ runAsNonRoot: true, runAsUser: 0 });
    expect(effectiveRunAs({ runAsNonRoot: true }, undefined)).toEqual({ runAsNonRoot: true, runAsUser: undefined });
  });
});
