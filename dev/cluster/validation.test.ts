import { describe, expect, it } from 'vitest';
import { invalid } from './status';
import type { ContainerSpec, Pod, StatusCause } from './types';
import {
  generateObjectName,
  isQualifiedName,
  isValidLabelValue,
  MAX_GENERATED_NAME_LENGTH,
  prepareEphemeralContainersUpdate,
  validateEphemeralContainersUpdate,
  validateObjectName,
  validatePodCreate,
} from './validation';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** "field: message", as the apiserver's aggregate message lists each cause. */
const lines = (causes: StatusCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

// ---------------------------------------------------------------------------
// Names

describe('validateObjectName', () => {
  it.each([
    ['Pod', 'Bad_Name', [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`]],
    ['pods', 'web-7d4b9c.v2', []],
    ['Node', 'kind-worker.example.com', []],
    ['Event', 'web.17f2a1b2c3d4e5f6', []],
    ['Node', 'a'.repeat(253), []],
    ['Node', 'a'.repeat(254), ['metadata.name: Invalid value: "' + 'a'.repeat(254) + '": must be no more than 253 characters']],
    ['Namespace', 'team-a', []],
    ['Namespace', 'team.a', ['metadata.name: Invalid value: "team.a": must not contain dots']],
    ['namespaces', 'Team', [`metadata.name: Invalid value: "Team": ${LABEL_MSG}`]],
    ['Namespace', 'a'.repeat(64), ['metadata.name: Invalid value: "' + 'a'.repeat(64) + '": must be no more than 63 characters']],
    ['Pod', '', ['metadata.name: Required value: name or generateName is required']],
    ['Pod', '-x', [`metadata.name: Invalid value: "-x": ${SUBDOMAIN_MSG}`]],
  ])('%s %j', (kind, name, want) => {
    expect(lines(validateObjectName(kind, name, kind.toLowerCase().startsWith('n') ? false : true))).toEqual(want);
  });

  it('causes carry the field error type as reason', () => {
    expect(validateObjectName('Pod', 'Bad_Name', true)).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}` },
    ]);
    expect(validateObjectName('Pod', undefined, true)[0].reason).toBe('FieldValueRequired');
  });

  it('generateName: checked as a prefix (a trailing dash is fine); the name is generated later', () => {
    expect(validateObjectName('Pod', undefined, true, { generateName: 'node-debugger-kind-worker-' })).toEqual([]);
    expect(lines(validateObjectName('Pod', undefined, true, { generateName: 'Debug-' }))).toEqual([
      // maskTrailingDash turns "Debug-" into "Debua" before checking
      `metadata.generateName: Invalid value: "Debug-": ${SUBDOMAIN_MSG}`,
    ]);
    expect(lines(validateObjectName('Pod', 'web-x1z2q', true, { generateName: 'web-' }))).toEqual([]);
  });

  it('namespace: required and a DNS label for namespaced kinds, forbidden otherwise', () => {
    expect(lines(validateObjectName('Pod', 'web', true, { namespace: '' }))).toEqual(['metadata.namespace: Required value']);
    expect(lines(validateObjectName('Pod', 'web', true, { namespace: 'My_NS' }))).toEqual([
      `metadata.namespace: Invalid value: "My_NS": ${LABEL_MSG}`,
    ]);
    expect(lines(validateObjectName('Node', 'n1', false, { namespace: 'default' }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
    expect(validateObjectName('Node', 'n1', false, { namespace: '' })).toEqual([]);
  });

  it('generateObjectName: base cut to 58, plus 5 characters from the apiserver alphabet', () => {
    const name = generateObjectName('node-debugger-kind-worker-');
    expect(name).toMatch(/^node-debugger-kind-worker-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(generateObjectName('x'.repeat(70))).toHaveLength(MAX_GENERATED_NAME_LENGTH + 5);
    expect(generateObjectName('web-', () => 0)).toBe('web-bbbbb');
  });

  it('qualified names and label values', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('-bad')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
});

// ---------------------------------------------------------------------------
// Pod create

/** What `kubectl run web --image=nginx -n shop` sends (namespace filled from the URL). */
function kubectlRunPod(): Pod {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: null as unknown as string, labels: { run: 'web' } },
    spec: {
      containers: [{ name: 'web', image: 'nginx', resources: {} }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
    status: {},
  } as Pod;
}

/** What `kubectl debug node/kind-worker -it --image=busybox --profile=sysadmin` creates. */
function nodeDebugPod(): Pod {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'node-debugger-kind-worker-x7k2p', namespace: 'default', creationTimestamp: null as unknown as string },
    spec: {
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
      containers: [
        {
          name: 'debugger',
          image: 'busybox',
          resources: {},
          volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'Always',
          securityContext: { privileged: true },
          stdin: true,
          tty: true,
        },
      ],
      restartPolicy: 'Never',
      nodeName: 'kind-worker',
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      tolerations: [{ operator: 'Exists' }],
    },
    status: {},
  } as Pod;
}

/** What `kubectl debug web --copy-to=web-debug --container=debugger --image=busybox` creates: a defaulted copy. */
function copyToPod(): Pod {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'web-debug', namespace: 'shop', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/default-container': 'app' } },
    spec: {
      volumes: [
        { name: 'config', configMap: { name: 'web-config', defaultMode: 420 } },
        {
          name: 'kube-api-access-abcde',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'LOG_LEVEL', value: 'debug' },
          ],
          resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true },
            { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          ],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
        {
          name: 'debugger',
          image: 'busybox',
          stdin: true,
          tty: true,
          resources: {},
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'Always',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      shareProcessNamespace: true,
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
  } as Pod;
}

type Mutation = (pod: Pod) => void;
const c0 = (pod: Pod) => pod.spec.containers[0] as ContainerSpec & Record<string, unknown>;

describe('validatePodCreate', () => {
  it('accepts the pods kubectl run / debug node / debug --copy-to create', () => {
    expect(validatePodCreate(kubectlRunPod())).toEqual([]);
    expect(validatePodCreate(nodeDebugPod())).toEqual([]);
    expect(validatePodCreate(copyToPod())).toEqual([]);
  });

  it('accepts init containers, sidecars with probes, and a pod without defaulted fields', () => {
    const pod = kubectlRunPod();
    pod.spec.initContainers = [
      { name: 'migrate', image: 'migrate:1' },
      { name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15000 } } } as ContainerSpec,
    ];
    delete pod.spec.restartPolicy;
    expect(validatePodCreate(pod)).toEqual([]);
  });

  it.each<[string, Mutation, string[]]>([
    ['no containers', (p) => (p.spec.containers = []), ['spec.containers: Required value']],
    [
      'a bad container name',
      (p) => (c0(p).name = 'Web_1'),
      [`spec.containers[0].name: Invalid value: "Web_1": ${LABEL_MSG}`],
    ],
    ['no container name', (p) => (c0(p).name = ''), ['spec.containers[0].name: Required value']],
    [
      'duplicate container names',
      (p) => p.spec.containers.push({ name: 'web', image: 'busybox' }),
      ['spec.containers[1].name: Duplicate value: "web"'],
    ],
    [
      'an init container named like a container',
      (p) => (p.spec.initContainers = [{ name: 'web', image: 'busybox' }]),
      ['spec.initContainers[0].name: Duplicate value: "web"'],
    ],
    ['no image', (p) => delete c0(p).image, ['spec.containers[0].image: Required value']],
    [
      'an image with a trailing space',
      (p) => (c0(p).image = 'nginx '),
      ['spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace'],
    ],
    [
      'an unknown restartPolicy',
      (p) => ((p.spec as Record<string, unknown>).restartPolicy = 'Sometimes'),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'an unknown dnsPolicy',
      (p) => (p.spec.dnsPolicy = 'Google'),
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    [
      'a mount of a volume that does not exist',
      (p) => (c0(p).volumeMounts = [{ name: 'x', mountPath: '/x' }]),
      ['spec.containers[0].volumeMounts[0].name: Not found: "x"'],
    ],
    [
      'a mount without a path, and a repeated path',
      (p) => {
        p.spec.volumes = [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }];
        c0(p).volumeMounts = [
          { name: 'a', mountPath: '' },
          { name: 'a', mountPath: '/data' },
          { name: 'b', mountPath: '/data' },
        ];
      },
      ['spec.containers[0].volumeMounts[0].mountPath: Required value', 'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/data": must be unique'],
    ],
    [
      'a subPath that climbs out',
      (p) => {
        p.spec.volumes = [{ name: 'a', emptyDir: {} }];
        c0(p).volumeMounts = [{ name: 'a', mountPath: '/a', subPath: '../etc' }];
      },
      ['spec.containers[0].volumeMounts.subPath: Invalid value: "../etc": must not contain \'..\''],
    ],
    [
      'duplicate volume names (the mount of it still resolves to the first)',
      (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }]),
      ['spec.volumes[1].name: Duplicate value: "data"'],
    ],
    [
      'a volume without a source',
      (p) => (p.spec.volumes = [{ name: 'data' }]),
      ['spec.volumes[0]: Required value: must specify a volume type'],
    ],
    [
      'a volume with two sources',
      (p) => (p.spec.volumes = [{ name: 'data', emptyDir: {}, hostPath: { path: '/tmp' } }]),
      ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'a bad volume name (and the mount of it)',
      (p) => {
        p.spec.volumes = [{ name: 'My_Vol', emptyDir: {} }];
        c0(p).volumeMounts = [{ name: 'My_Vol', mountPath: '/v' }];
      },
      [`spec.volumes[0].name: Invalid value: "My_Vol": ${LABEL_MSG}`, 'spec.containers[0].volumeMounts[0].name: Not found: "My_Vol"'],
    ],
    [
      'hostPath problems',
      (p) =>
        (p.spec.volumes = [
          { name: 'a', hostPath: { path: '' } },
          { name: 'b', hostPath: { path: '/var/../etc' } },
          { name: 'c', hostPath: { path: '/dev/sda', type: 'Disk' } },
        ]),
      [
        'spec.volumes[0].hostPath.path: Required value',
        'spec.volumes[1].hostPath.path: Invalid value: "/var/../etc": must not contain \'..\'',
        'spec.volumes[2].hostPath.type: Unsupported value: "Disk": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      'configMap and secret volumes without names',
      (p) => (p.spec.volumes = [{ name: 'a', configMap: {} }, { name: 'b', secret: { defaultMode: 1000 } }]),
      [
        'spec.volumes[0].configMap.name: Required value',
        'spec.volumes[1].secret.secretName: Required value',
        'spec.volumes[1].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      ],
    ],
    [
      'ports',
      (p) =>
        (c0(p).ports = [
          { containerPort: 0 },
          { containerPort: 70000 },
          { containerPort: 80, protocol: 'HTTP' },
          { name: 'Web_Port', containerPort: 81 },
          { name: 'http', containerPort: 82 },
          { name: 'http', containerPort: 83, hostPort: 8080 },
          { containerPort: 84, hostPort: 8080 },
        ]),
      [
        'spec.containers[0].ports[0].containerPort: Required value',
        'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].ports[2].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[3].name: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[5].name: Duplicate value: "http"',
        'spec.containers[0].ports[6].hostPort: Duplicate value: "TCP//8080"',
      ],
    ],
    [
      'hostNetwork with a hostPort unlike the containerPort',
      (p) => {
        p.spec.hostNetwork = true;
        c0(p).ports = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }];
      },
      ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
    ],
    [
      'ephemeral containers on create',
      (p) => (p.spec.ephemeralContainers = [{ name: 'debugger', image: 'busybox', terminationMessagePolicy: 'File' }]),
      ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
    ],
    [
      'restartPolicy on a regular container',
      (p) => (c0(p).restartPolicy = 'Always'),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'probes on a plain init container, and an init restartPolicy other than Always',
      (p) =>
        (p.spec.initContainers = [
          { name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } } as ContainerSpec,
          { name: 'init2', image: 'busybox', restartPolicy: 'OnFailure' } as ContainerSpec,
        ]),
      [
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
        'spec.initContainers[1].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
      ],
    ],
    [
      'a probe without a handler, and one with two',
      (p) => {
        c0(p).livenessProbe = { periodSeconds: 5 };
        c0(p).readinessProbe = { exec: { command: [] }, tcpSocket: { port: 'web' } };
      },
      [
        'spec.containers[0].livenessProbe: Required value: must specify a handler type',
        'spec.containers[0].readinessProbe.exec.command: Required value',
        'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'env',
      (p) =>
        (c0(p).env = [
          { name: '' },
          { name: 'A=B', value: 'x' },
          { name: 'FROM', valueFrom: {} },
          { name: 'BOTH', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } },
        ]),
      [
        'spec.containers[0].env[0].name: Required value',
        "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
        'spec.containers[0].env[3].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
        'spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      'terminationMessagePolicy and imagePullPolicy values',
      (p) => {
        c0(p).terminationMessagePolicy = 'Everything';
        c0(p).imagePullPolicy = 'Sometimes';
      },
      [
        'spec.containers[0].terminationMessagePolicy: Unsupported value: "Everything": supported values: "File", "FallbackToLogsOnError"',
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      'requests above limits',
      (p) => (c0(p).resources = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1500m', memory: '512Mi' } }),
      ['spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1'],
    ],
    [
      'an unknown resource name',
      (p) => (c0(p).resources = { limits: { cpus: '1' } }),
      [
        'spec.containers[0].resources.limits[cpus]: Invalid value: cpus: must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[cpus]: Invalid value: cpus: must be a standard resource for containers',
      ],
    ],
    [
      'security context ranges',
      (p) => {
        c0(p).securityContext = { runAsUser: -1, allowPrivilegeEscalation: false, privileged: true };
        p.spec.securityContext = { fsGroup: 3_000_000_000 };
      },
      [
        'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
        'spec.containers[0].securityContext: Invalid value: {"runAsUser":-1,"allowPrivilegeEscalation":false,"privileged":true}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
        'spec.securityContext.fsGroup: Invalid value: 3000000000: must be between 0 and 2147483647, inclusive',
      ],
    ],
    [
      'shareProcessNamespace with hostPID',
      (p) => {
        p.spec.shareProcessNamespace = true;
        p.spec.hostPID = true;
      },
      ['spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled'],
    ],
    [
      'tolerations',
      (p) =>
        (p.spec.tolerations = [
          { operator: 'Equal', value: 'x' },
          { key: 'k', operator: 'Exists', value: 'v' },
          { key: 'k', operator: 'Equal', effect: 'NoSchedule', tolerationSeconds: 5 },
          { key: 'k', operator: 'Maybe' },
        ]),
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
        "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        'spec.tolerations[3].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      ],
    ],
    [
      'a nodeName while scheduling gates remain, and a bad nodeName',
      (p) => {
        p.spec.nodeName = 'Kind_Worker';
        p.spec.schedulingGates = [{ name: 'example.com/quota' }];
      },
      [`spec.nodeName: Invalid value: "Kind_Worker": ${SUBDOMAIN_MSG}`, 'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
    ],
    [
      'metadata: name, namespace and labels',
      (p) => {
        p.metadata.name = 'Web';
        delete p.metadata.namespace;
        p.metadata.labels = { 'bad key!': 'ok', app: '-bad' };
      },
      [
        `metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`,
        'metadata.namespace: Required value',
        "metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      'activeDeadlineSeconds and hostname',
      (p) => {
        p.spec.activeDeadlineSeconds = 0;
        p.spec.hostname = 'web.local';
      },
      [
        'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
        'spec.hostname: Invalid value: "web.local": must not contain dots',
      ],
    ],
  ])('%s', (_name, mutate, want) => {
    const pod = kubectlRunPod();
    mutate(pod);
    expect(lines(validatePodCreate(pod))).toEqual(want);
  });

  it('becomes the 422 a real apiserver answers', () => {
    const pod = kubectlRunPod();
    pod.spec.containers = [];
    pod.spec.restartPolicy = 'Sometimes' as 'Always';
    const status = invalid('Pod', '', 'web', validatePodCreate(pod)).status;
    expect(status.code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toBe(
      'Pod "web" is invalid: [spec.containers: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
    );
    expect(status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.restartPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      },
    ]);
  });
});

// ---------------------------------------------------------------------------
// The ephemeralcontainers subresource

/** A running pod as the dev cluster stores it (defaulted). */
function runningPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'pxc', uid: 'b7b0c1e2', resourceVersion: '100', creationTimestamp: '2025-03-10T11:00:00Z' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }],
      initContainers: [{ name: 'migrate', image: 'migrate:1', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      nodeName: 'kind-worker',
    },
    status: { phase: 'Running' },
  } as Pod;
}

/** The container kubectl v1.32 sends for `kubectl debug web -it --image=busybox --target=app` (general profile). */
const kubectlDebugContainer = (name = 'debugger-x7k2p'): ContainerSpec =>
  ({
    name,
    image: 'busybox',
    stdin: true,
    tty: true,
    targetContainerName: 'app',
    resources: {},
    terminationMessagePolicy: 'File',
    securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
  }) as ContainerSpec;

/** The pod after the strategic merge patch adds `containers` as ephemeral containers. */
function withEphemeral(pod: Pod, ...containers: ContainerSpec[]): Pod {
  const next = structuredClone(pod);
  next.spec.ephemeralContainers = [...(pod.spec.ephemeralContainers ?? []), ...containers];
  return next;
}

describe('validateEphemeralContainersUpdate', () => {
  it("accepts kubectl's real patch body, resources: {} included", () => {
    // {"spec":{"ephemeralContainers":[{"name":"d1","image":"busybox","stdin":true,"targetContainerName":"app","resources":{},"terminationMessagePolicy":"File","securityContext":{"capabilities":{"add":["SYS_PTRACE"]}}}]}}
    const body = JSON.parse(
      '{"spec":{"ephemeralContainers":[{"name":"d1","image":"busybox","stdin":true,"targetContainerName":"app","resources":{},"terminationMessagePolicy":"File","securityContext":{"capabilities":{"add":["SYS_PTRACE"]}}}]}}',
    );
    const old = runningPod();
    expect(validateEphemeralContainersUpdate(old, withEphemeral(old, body.spec.ephemeralContainers[0]))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['baseline', {}],
    ['restricted', { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }],
    ['netadmin', { securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } }],
    ['sysadmin', { securityContext: { privileged: true } }],
    ['--custom with env, pull policy, user and a mount', { env: [{ name: 'DEBUG', value: '1' }], imagePullPolicy: 'Always', securityContext: { runAsUser: 1000 }, volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }] }],
    ['no target', { targetContainerName: undefined }],
    ['targeting the init container', { targetContainerName: 'migrate' }],
    ['stdin only, FallbackToLogsOnError', { tty: false, stdinOnce: true, terminationMessagePolicy: 'FallbackToLogsOnError' }],
  ])('accepts the %s profile', (_profile, overrides) => {
    const old = runningPod();
    const ec = { ...kubectlDebugContainer('d1'), securityContext: undefined, ...overrides } as ContainerSpec;
    expect(validateEphemeralContainersUpdate(old, withEphemeral(old, ec))).toEqual([]);
  });

  it('accepts a second container with the first kept unchanged ($setElementOrder patch)', () => {
    const first = runningPod();
    const once = withEphemeral(first, kubectlDebugContainer('d1'));
    // the stored copy got defaults; the merged patch keeps the stored element as is
    (once.spec.ephemeralContainers![0] as Record<string, unknown>).imagePullPolicy = 'Always';
    (once.spec.ephemeralContainers![0] as Record<string, unknown>).terminationMessagePath = '/dev/termination-log';
    expect(validateEphemeralContainersUpdate(once, withEphemeral(once, kubectlDebugContainer('d2')))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a target that does not exist', { targetContainerName: 'nope' }, ['spec.ephemeralContainers[0].targetContainerName: Not found: "nope"']],
    ['ports', { ports: [{ containerPort: 8080 }] }, ['spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container']],
    [
      'non-empty resources',
      { resources: { limits: { cpu: '100m' } } },
      ['spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container'],
    ],
    [
      'resources with an empty (non-nil) map',
      { resources: { requests: {} } },
      ['spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container'],
    ],
    [
      'probes and lifecycle',
      {
        livenessProbe: { exec: { command: ['true'] } },
        readinessProbe: { exec: { command: ['true'] } },
        startupProbe: { exec: { command: ['true'] } },
        lifecycle: { preStop: { exec: { command: ['true'] } } },
      },
      [
        'spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
      ],
    ],
    [
      'restartPolicy and resizePolicy',
      { restartPolicy: 'Always', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] },
      [
        'spec.ephemeralContainers[0].resizePolicy: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
      ],
    ],
    [
      'subPath and subPathExpr mounts',
      {
        volumeMounts: [
          { name: 'data', mountPath: '/a', subPath: 'x' },
          { name: 'data', mountPath: '/b', subPathExpr: '$(POD_NAME)' },
        ],
      },
      [
        'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].volumeMounts[1].subPathExpr: Forbidden: cannot be set for an Ephemeral Container',
      ],
    ],
    [
      'a mount of a volume the pod does not have',
      { volumeMounts: [{ name: 'host-root', mountPath: '/host' }] },
      ['spec.ephemeralContainers[0].volumeMounts[0].name: Not found: "host-root"'],
    ],
    ['no image', { image: undefined }, ['spec.ephemeralContainers[0].image: Required value']],
    ['no name', { name: '' }, ['spec.ephemeralContainers[0].name: Required value']],
    ['a bad name', { name: 'Debug_1' }, [`spec.ephemeralContainers[0].name: Invalid value: "Debug_1": ${LABEL_MSG}`]],
    ['the name of a container', { name: 'app' }, ['spec.ephemeralContainers[0].name: Duplicate value: "app"']],
    ['the name of an init container', { name: 'migrate' }, ['spec.ephemeralContainers[0].name: Duplicate value: "migrate"']],
    [
      'an unknown terminationMessagePolicy',
      { terminationMessagePolicy: 'Always' },
      ['spec.ephemeralContainers[0].terminationMessagePolicy: Unsupported value: "Always": supported values: "File", "FallbackToLogsOnError"'],
    ],
    [
      'an image with a leading space',
      { image: ' busybox' },
      ['spec.ephemeralContainers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace'],
    ],
  ])('refuses %s', (_name, overrides, want) => {
    const old = runningPod();
    const ec = { ...kubectlDebugContainer('d1'), ...overrides } as ContainerSpec;
    expect(lines(validateEphemeralContainersUpdate(old, withEphemeral(old, ec)))).toEqual(want);
  });

  it('refuses a name used by an earlier ephemeral container, and a target that is ephemeral', () => {
    const once = withEphemeral(runningPod(), kubectlDebugContainer('d1'));
    expect(lines(validateEphemeralContainersUpdate(once, withEphemeral(once, kubectlDebugContainer('d1'))))).toEqual([
      'spec.ephemeralContainers[1].name: Duplicate value: "d1"',
    ]);
    const targetingEphemeral = { ...kubectlDebugContainer('d2'), targetContainerName: 'd1' } as ContainerSpec;
    expect(lines(validateEphemeralContainersUpdate(once, withEphemeral(once, targetingEphemeral)))).toEqual([
      'spec.ephemeralContainers[1].targetContainerName: Not found: "d1"',
    ]);
  });

  it('refuses removing an existing ephemeral container', () => {
    const once = withEphemeral(runningPod(), kubectlDebugContainer('d1'));
    const removed = structuredClone(once);
    removed.spec.ephemeralContainers = [];
    const causes = validateEphemeralContainersUpdate(once, removed);
    expect(causes).toEqual([
      {
        reason: 'FieldValueForbidden',
        field: 'spec.ephemeralContainers',
        // the apiserver's message ends in a newline too
        message: 'Forbidden: existing ephemeral containers "d1" may not be removed\n',
      },
    ]);
    expect(invalid('Pod', '', 'web', causes).status.message).toBe(
      'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "d1" may not be removed\n',
    );
  });

  it('refuses changing an existing ephemeral container, with a diff after the message', () => {
    const once = withEphemeral(runningPod(), kubectlDebugContainer('d1'));
    const changed = structuredClone(once);
    changed.spec.ephemeralContainers![0].image = 'alpine';
    const [cause, ...rest] = validateEphemeralContainersUpdate(once, changed);
    expect(rest).toEqual([]);
    expect(cause.field).toBe('spec.ephemeralContainers');
    expect(cause.reason).toBe('FieldValueForbidden');
    expect(cause.message).toMatch(/^Forbidden: existing ephemeral containers "d1" may not be changed\n/);
    expect(cause.message).toContain('-\timage: "busybox"\n+\timage: "alpine"');
  });

  it('compares existing containers as the apiserver does: null, {} resources, empty lists and false are unset', () => {
    const once = withEphemeral(runningPod(), kubectlDebugContainer('d1'));
    const same = structuredClone(once);
    const ec = same.spec.ephemeralContainers![0] as Record<string, unknown>;
    delete ec.resources;
    ec.command = [];
    ec.stdinOnce = false;
    ec.workingDir = null;
    expect(validateEphemeralContainersUpdate(once, same)).toEqual([]);
    // but securityContext fields are pointers: privileged: false is not unset
    const sc = structuredClone(once);
    (sc.spec.ephemeralContainers![0].securityContext as Record<string, unknown>).privileged = false;
    expect(lines(validateEphemeralContainersUpdate(once, sc))[0]).toMatch(/may not be changed/);
  });

  it('drops changes outside spec.ephemeralContainers instead of refusing them', () => {
    const old = runningPod();
    const next = withEphemeral(old, kubectlDebugContainer('d1'));
    next.spec.containers[0].image = 'nginx:2';
    next.spec.restartPolicy = 'Bogus' as 'Always';
    next.metadata.labels = { sneaky: 'yes' };
    expect(validateEphemeralContainersUpdate(old, next)).toEqual([]);
    const stored = prepareEphemeralContainersUpdate(old, next);
    expect(stored.spec.containers[0].image).toBe('nginx:1.27');
    expect(stored.spec.restartPolicy).toBe('Always');
    expect(stored.metadata.labels).toBeUndefined();
    expect(stored.spec.ephemeralContainers?.map((c) => c.name)).toEqual(['d1']);
    expect(old.spec.ephemeralContainers).toBeUndefined();
  });

  it('metadata that identifies the pod may not change; an empty uid keeps the stored one', () => {
    const old = runningPod();
    const renamed = withEphemeral(old, kubectlDebugContainer('d1'));
    renamed.metadata.name = 'other';
    renamed.metadata.uid = 'ffff';
    expect(lines(validateEphemeralContainersUpdate(old, renamed))).toEqual([
      'metadata.name: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "ffff": field is immutable',
    ]);
    const noUid = withEphemeral(old, kubectlDebugContainer('d1'));
    delete noUid.metadata.uid;
    expect(validateEphemeralContainersUpdate(old, noUid)).toEqual([]);
    expect(prepareEphemeralContainersUpdate(old, noUid).metadata.uid).toBe('b7b0c1e2');
  });

  it('refuses static (mirror) pods outright', () => {
    const old = runningPod();
    old.metadata.annotations = { 'kubernetes.io/config.mirror': 'abc123' };
    expect(validateEphemeralContainersUpdate(old, withEphemeral(old, kubectlDebugContainer('d1')))).toEqual([
      { reason: 'FieldValueForbidden', field: '', message: 'Forbidden: static pods do not support ephemeral containers' },
    ]);
  });

  it('reports several problems at once, in the apiserver order', () => {
    const old = runningPod();
    const ec = { ...kubectlDebugContainer('app'), targetContainerName: 'nope', ports: [{ containerPort: 0 }], image: '' } as ContainerSpec;
    expect(lines(validateEphemeralContainersUpdate(old, withEphemeral(old, ec)))).toEqual([
      'spec.ephemeralContainers[0].image: Required value',
      'spec.ephemeralContainers[0].ports[0].containerPort: Required value',
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
      'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });
});
