// The dev cluster's fidelity, measured with the real kubectl binary: if kubectl cannot use it, it is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { kubectl, startDevCluster, type RunningDevCluster } from './harness';

let cluster: RunningDevCluster;

beforeAll(async () => {
  cluster = await startDevCluster('demo');
  // Let the demo's containers start (pull delay is 50 ms in tests).
  await waitFor(async () => {
    const r = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', 'cluster1-pxc-0', '-o', 'jsonpath={.status.phase}']);
    return r.stdout === 'Running';
  });
});

afterAll(async () => {
  expect(await cluster?.stop()).toBe(0);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

async function podJson(namespace: string, name: string) {
  const r = await kubectl(cluster, ['get', 'pod', '-n', namespace, name, '-o', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('kubectl get', () => {
  it('prints the real pod columns from a server-side Table', async () => {
    const r = await kubectl(cluster, ['get', 'pods', '-n', 'pxc']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const pxc0 = rows.find((row) => row.startsWith('cluster1-pxc-0'));
    expect(pxc0).toMatch(/^cluster1-pxc-0\s+2\/2\s+Running\s+0\s+\d+s$/);
  });

  it('shows NAMESPACE with -A and wide columns with -o wide', async () => {
    const all = await kubectl(cluster, ['get', 'pods', '-A']);
    expect(all.stdout.split('\n')[0].split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(all.stdout).toMatch(/^shop\s+payments-5f7d9c8b7-m4p2w\s+1\/1\s+Running/m);
    const wide = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(wide.stdout).toMatch(/^cluster1-pxc-1\s.*\snode-b\s+<none>\s+<none>$/m);
  });

  it('lists nodes, namespaces and events with their columns', async () => {
    const nodes = await kubectl(cluster, ['get', 'nodes']);
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
    expect(nodes.stdout).toMatch(/^node-a\s+Ready\s+control-plane\s+\S+\s+v1\.32\.4$/m);
    const ns = await kubectl(cluster, ['get', 'ns']);
    expect(ns.stdout).toMatch(/^pxc\s+Active\s+\S+$/m);
    const events = await kubectl(cluster, ['get', 'events', '-n', 'pxc']);
    expect(events.stdout).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
    expect(events.stdout).toMatch(/Normal\s+Scheduled\s+pod\/cluster1-pxc-0\s+Successfully assigned pxc\/cluster1-pxc-0 to node-a/);
  });

  it('prints objects as YAML and selects by label and field', async () => {
    const yaml = await kubectl(cluster, ['get', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^kind: Pod$/m);
    expect(yaml.stdout).toMatch(/claimName: datadir-cluster1-pxc-0/);
    const byLabel = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', '-l', 'app.kubernetes.io/component=pxc', '-o', 'name']);
    expect(byLabel.stdout.trim().split('\n')).toEqual(['pod/cluster1-pxc-0', 'pod/cluster1-pxc-1', 'pod/cluster1-pxc-2']);
    const byNode = await kubectl(cluster, ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-c', '-o', 'name']);
    expect(byNode.stdout.trim().split('\n').sort()).toEqual(['pod/checkout-7d9f8b6c4-x2x9k', 'pod/cluster1-pxc-2']);
  });

  it('streams changes with --watch', async () => {
    const watcher = spawn('kubectl', ['--kubeconfig', cluster.kubeconfig, '--context', 'dev-admin', 'get', 'pods', '-n', 'default', '--watch']);
    let out = '';
    watcher.stdout.on('data', (d) => (out += d));
    watcher.stderr.on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 800));
    const run = await kubectl(cluster, ['run', 'watched', '-n', 'default', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo done']);
    expect(run.stderr).toBe('');
    await waitFor(async () => /watched\s+0\/1\s+Completed/.test(out));
    watcher.kill();
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(out).toMatch(/watched\s+0\/1\s+Pending/);
  });
});

describe('kubectl exec, attach and logs', () => {
  it('passes exit codes and both streams through exec', async () => {
    const r = await kubectl(cluster, ['exec', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'pxc', '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 7']);
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toContain('to-err\n');
    expect(r.stderr).toContain('command terminated with exit code 7');
    expect(r.code).toBe(7);
  });

  it('feeds stdin to exec -i', async () => {
    const r = await kubectl(cluster, ['exec', '-i', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'pxc', '--', 'cat'], { input: 'through stdin\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('through stdin\n');
  });

  it('reports the runtime error for exec of a shell in a distroless image', async () => {
    const r = await kubectl(cluster, ['exec', '-n', 'shop', 'payments-5f7d9c8b7-m4p2w', '--', 'sh']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('executable file not found in $PATH');
  });

  it('follows logs with -f and reads the previous instance of a crash-looping container', async () => {
    await waitFor(async () => {
      const p = await podJson('shop', 'checkout-7d9f8b6c4-x2x9k');
      return (p.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    });
    const previous = await kubectl(cluster, ['logs', '-n', 'shop', 'checkout-7d9f8b6c4-x2x9k', '--previous']);
    expect(previous.code).toBe(0);
    expect(previous.stdout.length).toBeGreaterThan(0);
    const table = await kubectl(cluster, ['get', 'pods', '-n', 'shop', 'checkout-7d9f8b6c4-x2x9k']);
    expect(table.stdout).toMatch(/checkout-7d9f8b6c4-x2x9k\s+[01]\/1\s+(CrashLoopBackOff|Error|Running)\s+\d+/);

    const follower = spawn('kubectl', ['--kubeconfig', cluster.kubeconfig, 'logs', '-f', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'pxc']);
    let out = '';
    follower.stdout.on('data', (d) => (out += d));
    await kubectl(cluster, ['exec', '-n', 'pxc', 'cluster1-pxc-0', '-c', 'pxc', '--', 'sh', '-c', 'true']);
    await waitFor(async () => out.length > 0);
    follower.kill();
  });

  it('attaches to a running ephemeral container and ends it with stdinOnce', async () => {
    const add = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-1', '--image=busybox', '-c', 'shell-1', '--attach=false', '-i', '--', 'sh']);
    expect(add.code).toBe(0);
    await waitFor(async () => {
      const p = await podJson('pxc', 'cluster1-pxc-1');
      return !!p.status.ephemeralContainerStatuses?.find((s: { name: string }) => s.name === 'shell-1')?.state?.running;
    });
    const r = await kubectl(cluster, ['attach', '-i', '-n', 'pxc', 'cluster1-pxc-1', '-c', 'shell-1'], { input: 'echo attached-$((40+2))\nexit 0\n' });
    expect(r.stdout).toContain('attached-42');
  });
});

// A non-TTY container's output before kubectl attaches is not replayed (as with
// containerd), so the commands below wait a moment before they print.
describe('kubectl debug', () => {
  const profiles: Record<string, unknown> = {
    general: { capabilities: { add: ['SYS_PTRACE'] } },
    baseline: undefined,
    netadmin: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
    sysadmin: { privileged: true },
  };
  for (const [profile, securityContext] of Object.entries(profiles)) {
    it(`adds an ephemeral container with --target and --profile=${profile}`, async () => {
      const name = `dbg-${profile}`;
      const r = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-0', '-i', `--image=busybox`, `--target=pxc`, `--profile=${profile}`, '-c', name, '--', 'sh', '-c', `sleep 1; echo hello-from-${profile}`], { timeoutMs: 30_000 });
      expect(r.stdout).toContain(`hello-from-${profile}`);
      const pod = await podJson('pxc', 'cluster1-pxc-0');
      const ec = pod.spec.ephemeralContainers.find((c: { name: string }) => c.name === name);
      expect(ec.targetContainerName).toBe('pxc');
      expect(ec.securityContext).toEqual(securityContext);
    });
  }

  it('applies the restricted profile, and the kubelet refuses runAsNonRoot for an image that runs as root', async () => {
    const r = await kubectl(cluster, ['debug', '-n', 'pxc', 'cluster1-pxc-2', '--image=busybox', '--profile=restricted', '-c', 'restricted-root', '--', 'id']);
    expect(r.code).toBe(0);
    await waitFor(async () => {
      const p = await podJson('pxc', 'cluster1-pxc-2');
      const s = p.status.ephemeralContainerStatuses?.find((c: { name: string }) => c.name === 'restricted-root');
      return s?.state?.waiting?.reason === 'CreateContainerConfigError';
    });
    const pod = await podJson('pxc', 'cluster1-pxc-2');
    const ec = pod.spec.ephemeralContainers.find((c: { name: string }) => c.name === 'restricted-root');
    expect(ec.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const s = pod.status.ephemeralContainerStatuses.find((c: { name: string }) => c.name === 'restricted-root');
    expect(s.state.waiting.message).toContain('container has runAsNonRoot and image will run as root');
  });

  it('debugs a node with a node-debugger pod', async () => {
    const r = await kubectl(cluster, ['debug', 'node/node-b', '-n', 'default', '-i', '--image=busybox', '--profile=sysadmin', '--', 'sh', '-c', 'sleep 1; echo on-the-node'], { timeoutMs: 30_000 });
    expect(r.stdout).toContain('on-the-node');
    const m = /Creating debugging pod (node-debugger-node-b-\w+)/.exec(r.stdout + r.stderr);
    expect(m).not.toBeNull();
    const pod = await podJson('default', m![1]);
    expect(pod.spec.nodeName).toBe('node-b');
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.hostPID).toBe(true);
    expect(pod.spec.containers[0].securityContext).toEqual({ privileged: true });
    expect(pod.spec.volumes[0].hostPath.path).toBe('/');
  });

  it('copies a crash-looping pod with --copy-to and --set-image', async () => {
    const r = await kubectl(cluster, ['debug', '-n', 'shop', 'checkout-7d9f8b6c4-x2x9k', '--copy-to=checkout-debug', '--container=checkout', '--set-image=*=busybox', '--share-processes', '--', 'sleep', '3600'], { timeoutMs: 30_000 });
    expect(r.stderr).not.toMatch(/error/i);
    const pod = await podJson('shop', 'checkout-debug');
    expect(pod.spec.shareProcessNamespace).toBe(true);
    expect(pod.spec.containers[0].image).toBe('busybox');
    expect(pod.metadata.ownerReferences).toBeUndefined();
    await kubectl(cluster, ['delete', 'pod', '-n', 'shop', 'checkout-debug', '--wait=true']);
    const gone = await kubectl(cluster, ['get', 'pod', '-n', 'shop', 'checkout-debug']);
    expect(gone.stderr).toContain('pods "checkout-debug" not found');
  });

  it('refuses a patch that would remove an ephemeral container, with the apiserver message', async () => {
    const r = await kubectl(cluster, ['patch', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '--subresource=ephemeralcontainers', '--type=json', '-p', '[{"op":"remove","path":"/spec/ephemeralContainers/0"}]']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('may not be removed');
  });

  it('refuses ports on an ephemeral container', async () => {
    const patch = JSON.stringify({ spec: { ephemeralContainers: [{ name: 'with-port', image: 'busybox', ports: [{ containerPort: 80 }] }] } });
    const r = await kubectl(cluster, ['patch', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '--subresource=ephemeralcontainers', '--type=strategic', '-p', patch]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.ephemeralContainers\[\d+\]\.ports: Forbidden: cannot be set for an Ephemeral Container/);
  });
});

describe('authorization', () => {
  it('answers auth can-i for impersonated users from RBAC', async () => {
    const alice = await kubectl(cluster, ['auth', 'can-i', 'patch', 'pods', '--subresource=ephemeralcontainers', '-n', 'pxc', '--as=alice', '--as-group=oncall']);
    expect(alice.stdout.trim()).toBe('yes');
    const sam = await kubectl(cluster, ['auth', 'can-i', 'patch', 'pods', '--subresource=ephemeralcontainers', '-n', 'pxc', '--as=sam', '--as-group=support']);
    expect(sam.stdout.trim()).toBe('no');
    expect(sam.code).toBe(1);
    const samView = await kubectl(cluster, ['auth', 'can-i', 'list', 'pods', '-n', 'pxc', '--as=sam', '--as-group=support']);
    expect(samView.stdout.trim()).toBe('yes');
  });

  it('refuses what RBAC does not allow, with the apiserver message', async () => {
    const r = await kubectl(cluster, ['get', 'pods', '-n', 'pxc', '--as=mallory']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods is forbidden: User "mallory" cannot list resource "pods" in API group "" in the namespace "pxc"');
  });

  it('lets the dashboard service account impersonate but not act as itself', async () => {
    const asItself = await kubectl(cluster, ['delete', 'pod', '-n', 'pxc', 'cluster1-pxc-0', '--dry-run=server'], { context: 'dev-dashboard' });
    expect(asItself.stderr).toContain('cannot delete resource "pods"');
    const asAda = await kubectl(cluster, ['auth', 'can-i', 'delete', 'pods', '-n', 'pxc', '--as=ada', '--as-group=platform-admins'], { context: 'dev-dashboard' });
    expect(asAda.stdout.trim()).toBe('yes');
  });

  it('answers whoami and 401 for a bad token', async () => {
    const who = await kubectl(cluster, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout).toBe('dev-admin');
    const bad = await kubectl(cluster, ['get', 'pods', '--token=not-a-token']);
    expect(bad.stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it('issues service-account tokens with kubectl create token', async () => {
    const r = await kubectl(cluster, ['create', 'token', 'default', '-n', 'pxc']);
    expect(r.code).toBe(0);
    const who = await kubectl(cluster, ['auth', 'whoami', '--token', r.stdout.trim(), '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout).toBe('system:serviceaccount:pxc:default');
  });
});
