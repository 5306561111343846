import { describe, expect, it } from 'vitest';
import { buildPodCopy, type PodCopyBuild } from './copy';
import type { Refusal } from './types';
import { copy, spelling, webPod } from './test-support';

const base = { namespace: 'shop', pod: 'web-0', copyTo: 'web-0-debug' };

function ok(built: PodCopyBuild | Refusal): PodCopyBuild {
  if (!built.ok) throw new Error(built.errors.map((e) => e.message).join('\n'));
  return built;
}
const refused = (built: PodCopyBuild | Refusal) => (built.ok ? [] : built.errors.map((e) => e.message));

describe('buildPodCopy', () => {
  it('starts from a fresh pod: no owner, uid, status, node or ephemeral containers', () => {
    const original = webPod();
    original.spec.ephemeralContainers = [{ name: 'old', image: 'busybox' }];
    const built = ok(buildPodCopy(copy({ ...base, image: 'busybox:1.36', name: 'dbg' }), original, { random: spelling() }));
    expect(built.pod.metadata).toEqual({ name: 'web-0-debug', namespace: 'shop' });
    expect(built.pod.status).toBeUndefined();
    expect(built.pod.spec.nodeName).toBeUndefined();
    expect(built.pod.spec.ephemeralContainers).toBeUndefined();
    expect(built.deleteOriginal).toBeUndefined();
  });

  it('keeps the node with sameNode, and labels, annotations, probes as asked; drops init containers when asked', () => {
    const request = copy({
      ...base, image: 'busybox:1.36', name: 'dbg', sameNode: true,
      keep: { labels: true, annotations: true, liveness: true, readiness: false, startup: true, initContainers: false },
    });
    const pod = ok(buildPodCopy(request, webPod(), { random: spelling() })).pod;
    expect(pod.spec.nodeName).toBe('node-a');
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    const app = pod.spec.containers[0];
    expect([app.livenessProbe !== undefined, app.readinessProbe !== undefined, app.startupProbe !== undefined]).toEqual([true, false, true]);
    expect(pod.spec.initContainers).toBeUndefined();
  });

  it('sets images per container or for all with *, and with only that, adds no container and applies no profile (as kubectl)', () => {
    const original = webPod();
    original.spec.containers.push({ name: 'sidecar', image: 'envoy:1.31' });
    const built = ok(buildPodCopy(copy({ ...base, setImages: { '*': 'busybox:1.36', sidecar: 'envoy:debug' } }), original, { random: spelling() }));
    expect(built.pod.spec.containers.map((c) => c.image)).toEqual(['busybox:1.36', 'envoy:debug']);
    expect(built.pod.spec.initContainers?.[0].image).toBe('shop/web:1.0');
    expect(built.containerName).toBeUndefined();
    expect(built.pod.metadata.labels).toEqual({ app: 'web' });
    expect(built.pod.spec.containers[0].livenessProbe).toBeDefined();
  });

  it("changes an existing container's command: args go, env is replaced, stdin and tty follow the request", () => {
    const original = webPod();
    original.spec.containers[0].env = [{ name: 'OLD', value: '1' }];
    original.spec.containers[0].stdin = true;
    const request = copy({ ...base, name: 'app', command: ['sh'], env: [{ name: 'NEW', value: '2' }], profile: 'baseline' });
    const app = ok(buildPodCopy(request, original, { random: spelling() })).pod.spec.containers[0];
    expect(app.command).toEqual(['sh']);
    expect(app.args).toBeUndefined();
    expect(app.env).toEqual([{ name: 'NEW', value: '2' }]);
    expect(app.stdin).toBeUndefined();
    expect(app.image).toBe('shop/web:1.0');
  });

  it('changes only the args with args alone (kubectl --arguments-only)', () => {
    const app = ok(buildPodCopy(copy({ ...base, name: 'app', args: ['--debug'] }), webPod(), { random: spelling() })).pod.spec.containers[0];
    expect(app.args).toEqual(['--debug']);
    expect(app.command).toBeUndefined();
  });

  it('shares processes only as the profile or the request says', () => {
    const share = (shareProcesses: boolean | undefined, profile: 'legacy' | 'restricted') =>
      ok(buildPodCopy(copy({ ...base, image: 'busybox:1.36', name: 'dbg', shareProcesses, profile }), webPod(), { random: spelling() })).pod.spec.shareProcessNamespace;
    expect(share(undefined, 'restricted')).toBe(true);
    expect(share(false, 'restricted')).toBe(false);
    expect(share(undefined, 'legacy')).toBeUndefined();
    expect(share(true, 'legacy')).toBe(true);
  });

  it('names a new debug container debugger-xxxxx, unique among the copy’s containers', () => {
    const original = webPod();
    original.spec.containers.push({ name: 'debugger-bbbbb', image: 'x' });
    const built = ok(buildPodCopy(copy({ ...base, image: 'busybox:1.36' }), original, { random: spelling('bbbbb', 'x7k2p') }));
    expect(built.containerName).toBe('debugger-x7k2p');
    expect(built.request.name).toBe('debugger-x7k2p');
  });

  it('mounts pod volumes into the debug container read-only, and records --replace', () => {
    const request = copy({ ...base, image: 'busybox:1.36', name: 'dbg', replace: true, volumeMounts: [{ name: 'data', mountPath: '/debug/data' }] });
    const built = ok(buildPodCopy(request, webPod(), { random: spelling() }));
    expect(built.pod.spec.containers[1].volumeMounts).toEqual([{ name: 'data', mountPath: '/debug/data', readOnly: true }]);
    expect(built.deleteOriginal).toEqual({ namespace: 'shop', name: 'web-0' });
  });
});

describe('buildPodCopy refuses', () => {
  const build = (r: Omit<Parameters<typeof copy>[0], 'namespace' | 'pod' | 'copyTo'> & { copyTo?: string }) =>
    refused(buildPodCopy(copy({ ...base, ...r }), webPod(), { random: spelling('x7k2p') }));

  it('a copy with nothing to change (kubectl: you must specify --image, --set-image or command arguments.)', () => {
    expect(build({})).toEqual([expect.stringMatching(/^image: Required value\. A copy needs an image/)]);
  });

  it('a command with neither a container nor an image', () => {
    expect(build({ command: ['sh'] })).toEqual([expect.stringMatching(/^name: Required value\. Name the container whose command changes/)]);
  });

  it('a new container without an image, and an init container', () => {
    expect(build({ name: 'nope', command: ['sh'] })).toEqual([expect.stringMatching(/^image: Required value\. "nope" is not a container of the pod/)]);
    expect(build({ name: 'migrate', command: ['sh'] })).toEqual([expect.stringMatching(/^name: Invalid value: "migrate": is an init container/)]);
  });

  it('set-image for a container the pod lacks, or a bad image', () => {
    expect(build({ setImages: { sidecar: 'busybox', app: 'Bad Image' } })).toEqual([
      'setImages[sidecar]: Not found: "sidecar". Set the image of one of app, or * for all',
      'setImages[app]: Invalid value: "Bad Image": invalid reference format. Use a reference like registry.example.com/team/tool:1.2',
    ]);
  });

  it('a copy name that is not a pod name', () => {
    expect(build({ image: 'busybox', copyTo: 'Web_Copy' })).toEqual([expect.stringMatching(/^copyTo: Invalid value: "Web_Copy": a lowercase RFC 1123 subdomain/)]);
  });

  it('a custom variable that would end up with both value and valueFrom (kubectl would even leak valueFrom into another variable)', () => {
    const original = webPod();
    original.spec.containers[0].env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    const request = copy({ ...base, name: 'app', command: ['sh'], custom: { env: [{ name: 'TOKEN', value: 'x' }] } });
    expect(refused(buildPodCopy(request, original, { random: spelling() }))).toEqual([
      'custom.env[0]: Invalid value: "TOKEN": a custom variable merges into the container\'s, and the result would have both value and valueFrom (the apiserver refuses it). Set the variable with env instead, which replaces the container\'s variables',
    ]);
    const replaced = copy({ ...base, name: 'app', command: ['sh'], env: [{ name: 'TOKEN', value: 'x' }] });
    expect(buildPodCopy(replaced, original, { random: spelling() }).ok).toBe(true);
  });
});
