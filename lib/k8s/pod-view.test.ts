import { describe, expect, it } from 'vitest';
import { pod, pxcPod, running, SECRET_VALUE } from './__fixtures__/pods';
import { controllerOf, envSource, rowsFingerprint, toPodDetail, toPodRow, volumeSource } from './pod-view';
import { podYaml, redactPod } from './pod-yaml';

describe('toPodRow', () => {
  it('maps the demo pxc pod to the list columns, counting ephemeral containers and how many run', () => {
    expect(toPodRow(pxcPod())).toEqual({
      key: 'pxc/cluster1-pxc-0',
      uid: 'uid-pxc-0',
      name: 'cluster1-pxc-0',
      namespace: 'pxc',
      ready: '2/2',
      status: 'Running',
      phase: 'Running',
      restarts: 2,
      lastRestartAt: '2026-01-01T00:00:04Z',
      createdAt: '2026-01-01T00:00:00Z',
      node: 'node-a',
      ephemeral: { count: 2, running: 1 },
      labels: { 'app.kubernetes.io/component': 'pxc', 'app.kubernetes.io/instance': 'cluster1' },
    });
  });

  it('leaves the node empty while the pod is unscheduled, and counts an ephemeral container without a status as not running', () => {
    const unscheduled = pod({ spec: { nodeName: undefined, ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }, status: { phase: 'Pending', containerStatuses: [] } });
    expect(toPodRow(unscheduled)).toMatchObject({ node: '', ephemeral: { count: 1, running: 0 }, status: 'Pending' });
  });
});

describe('toPodDetail', () => {
  const detail = toPodDetail(pxcPod());

  it('lists containers, then ephemeral containers, each with its spec and status', () => {
    expect(detail.containers.map((c) => [c.kind, c.name, c.status.state])).toEqual([
      ['container', 'pxc', 'running'],
      ['container', 'logs', 'running'],
      ['ephemeral', 'debugger-abc12', 'running'],
      ['ephemeral', 'debugger-old', 'terminated'],
    ]);
    const debuggerView = detail.containers[2];
    expect(debuggerView).toMatchObject({
      image: 'busybox:1.36',
      command: ['sh'],
      targetContainer: 'pxc',
      stdin: true,
      tty: true,
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
      mounts: [{ volume: 'datadir', mountPath: '/var/lib/mysql', readOnly: true }],
      status: { state: 'running', startedAt: '2026-01-02T00:00:00Z', ready: false, restarts: 0 },
    });
    expect(detail.containers[3].status).toMatchObject({ state: 'terminated', reason: 'Completed', exitCode: 0, startedAt: '2026-01-01T12:00:00Z', finishedAt: '2026-01-01T12:00:01Z' });
  });

  it('keeps the last termination of a restarted container', () => {
    expect(detail.containers[0].status).toMatchObject({ restarts: 2, lastState: { state: 'terminated', exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:00:04Z' } });
    expect(detail.containers[0].resources).toEqual({ requests: { cpu: '600m', memory: '1G' } });
    expect(detail.containers[0].ports).toEqual(['3306/TCP (mysql)']);
  });

  it('shows each volume with its source and every container that mounts it, ephemeral ones included', () => {
    expect(detail.volumes).toEqual([
      {
        name: 'datadir',
        source: 'persistentVolumeClaim: datadir-cluster1-pxc-0',
        mountedBy: [
          { container: 'pxc', kind: 'container', mountPath: '/var/lib/mysql', readOnly: false },
          { container: 'logs', kind: 'container', mountPath: '/var/lib/mysql', readOnly: true },
          { container: 'debugger-abc12', kind: 'ephemeral', mountPath: '/var/lib/mysql', readOnly: true },
        ],
      },
      { name: 'config', source: 'emptyDir', mountedBy: [{ container: 'pxc', kind: 'container', mountPath: '/etc/percona-xtradb-cluster.conf.d', readOnly: false }] },
    ]);
  });

  it('has owner, node, conditions, labels and annotations', () => {
    expect(detail.owners).toEqual([{ kind: 'StatefulSet', name: 'cluster1-pxc', controller: true }]);
    expect(detail.row.node).toBe('node-a');
    expect(detail.conditions).toEqual([
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True', lastTransitionAt: '2026-01-01T00:00:10Z' },
    ]);
    expect(detail.annotations).toEqual({ 'kubectl.kubernetes.io/default-container': 'pxc' });
    expect(detail).toMatchObject({ qosClass: 'Burstable', hostIP: '10.0.0.11', podIPs: ['10.244.0.5'], serviceAccount: 'default' });
  });

  it('marks sidecars (init containers with restartPolicy Always) apart from init containers', () => {
    const withInit = toPodDetail(
      pod({ spec: { nodeName: 'n', initContainers: [{ name: 'setup', image: 's' }, { name: 'proxy', image: 'p', restartPolicy: 'Always' }], containers: [{ name: 'web', image: 'w' }] } }),
    );
    expect(withInit.containers.map((c) => [c.kind, c.name])).toEqual([['init', 'setup'], ['sidecar', 'proxy'], ['container', 'web']]);
  });
});

describe('Secrets never reach a view model', () => {
  it('shows an env var from a Secret as a reference', () => {
    const env = toPodDetail(pxcPod()).containers[0].env;
    expect(env).toEqual([
      { name: 'PXC_SERVICE', value: 'cluster1-pxc-unready' },
      { name: 'MYSQL_ROOT_PASSWORD', from: 'secretKeyRef: internal-cluster1/root' },
    ]);
    expect(toPodDetail(pxcPod()).containers[0].envFrom).toEqual(['secretRef: cluster1-env']);
  });

  it('drops a value smuggled beside a secretKeyRef, in the view model and in the YAML', () => {
    const hostile = pxcPod();
    const container = hostile.spec!.containers[0] as unknown as { env: Array<Record<string, unknown>> };
    container.env = [
      { name: 'A', value: SECRET_VALUE, valueFrom: { secretKeyRef: { name: 's', key: 'k', resolved: SECRET_VALUE } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } }, resolvedValue: SECRET_VALUE },
    ];
    const detail = toPodDetail(hostile);
    expect(detail.containers[0].env).toEqual([
      { name: 'A', from: 'secretKeyRef: s/k' },
      { name: 'B', from: 'secretKeyRef: s/k' },
    ]);
    expect(JSON.stringify(detail)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(toPodRow(hostile))).not.toContain(SECRET_VALUE);
    expect(podYaml(hostile)).not.toContain(SECRET_VALUE);
    expect((redactPod(hostile).spec as { containers: Array<{ env: unknown[] }> }).containers[0].env).toEqual([
      { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } },
    ]);
  });

  it('copies fields by name: nothing the mapper does not know reaches the view model', () => {
    const odd = pxcPod();
    (odd.metadata as Record<string, unknown>).secretData = SECRET_VALUE;
    (odd.status as Record<string, unknown>).resolvedEnv = { MYSQL_ROOT_PASSWORD: SECRET_VALUE };
    expect(JSON.stringify(toPodDetail(odd))).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(toPodRow(odd))).not.toContain(SECRET_VALUE);
  });

  it('names every other source by reference too', () => {
    expect(envSource({ name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } })).toEqual({ name: 'C', from: 'configMapKeyRef: cm/k' });
    expect(envSource({ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } })).toEqual({ name: 'N', from: 'fieldRef: metadata.name' });
    expect(envSource({ name: 'L', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu' } } })).toEqual({ name: 'L', from: 'resourceFieldRef: web.limits.cpu' });
  });
});

describe('podYaml', () => {
  it('is the pod without managedFields, with the Secret as a reference', () => {
    const yaml = podYaml(pxcPod());
    expect(yaml).not.toContain('managedFields');
    expect(yaml).toMatch(/- name: MYSQL_ROOT_PASSWORD\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: internal-cluster1\n\s+key: root\n/);
    expect(yaml).toContain('name: cluster1-pxc-0');
  });
});

describe('small mappers', () => {
  it('volumeSource names what a volume points at', () => {
    expect(volumeSource({ name: 'a', secret: { secretName: 'tls' } })).toBe('secret: tls');
    expect(volumeSource({ name: 'b', configMap: { name: 'cfg' } })).toBe('configMap: cfg');
    expect(volumeSource({ name: 'c', hostPath: { path: '/var/log' } })).toBe('hostPath: /var/log');
    expect(volumeSource({ name: 'd', projected: { sources: [] } })).toBe('projected');
  });

  it('controllerOf finds the managing owner only', () => {
    expect(controllerOf(pxcPod())).toEqual({ kind: 'StatefulSet', name: 'cluster1-pxc', controller: true });
    expect(controllerOf(pod({ metadata: { name: 'x', ownerReferences: [{ kind: 'Node', name: 'n', controller: false }] } }))).toBeUndefined();
    expect(controllerOf(pod())).toBeUndefined();
  });

  it('running() fixture is ready', () => {
    expect(running('x').ready).toBe(true);
  });
});

describe('rowsFingerprint', () => {
  it('changes when what a page shows changes (an ephemeral container starts), not with row order', () => {
    const before = toPodRow(pxcPod());
    const started = pxcPod();
    started.status!.ephemeralContainerStatuses![1] = running('debugger-old') as never;
    const after = toPodRow(started);
    const other = toPodRow(pod());
    expect(rowsFingerprint([before, other])).toBe(rowsFingerprint([other, before]));
    expect(rowsFingerprint([before])).not.toBe(rowsFingerprint([after]));
    expect(rowsFingerprint([])).toBe('');
  });
});
