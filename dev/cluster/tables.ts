// Server-side printing: the meta.k8s.io/v1 Table a real apiserver answers when
// `kubectl get` asks for `as=Table`. Columns, descriptions and cell values follow
// kubernetes/pkg/printers/internalversion/printers.go (v1.32) as the apiserver
// runs it: with every column filled (GenerateOptions{Wide: true}); kubectl then
// hides the priority-1 columns unless `-o wide`.
//
// Objects arrive as v1 JSON; where the printers read the internal type the
// v1 → internal conversion is applied by hand (status.podIP → podIPs[0], …).

import type { KubeObject } from './types';

export type TableResource = 'pods' | 'nodes' | 'namespaces' | 'events';

export interface TableOptions {
  /** The `includeObject` query parameter; the apiserver's default is Metadata. */
  includeObject: 'None' | 'Metadata' | 'Object';
  resourceVersion: string;
  continueToken?: string;
  /** false for watch events after the first (the apiserver sets NoHeaders then). Default true. */
  withColumnDefinitions?: boolean;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

// ---------------------------------------------------------------------------
// duration.HumanDuration and translateTimestampSince

/**
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration: a duration (in
 * milliseconds) as "5s", "2m3s", "10m", "3h4m", "5d", "2y3d", …; up to 2 seconds
 * in the future counts as "0s" (clock skew), further is "<invalid>".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A metav1.Time / MicroTime as it travels; null, "" and absent are the zero time. */
function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  // Go's zero time (0001-01-01T00:00:00Z) is IsZero() too.
  if (Number.isNaN(t) || value.startsWith('0001-01-01T00:00:00')) return undefined;
  return t;
}

/** printers.go translateTimestampSince: "<unknown>" for the zero time, else HumanDuration(now - t). */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

// ---------------------------------------------------------------------------
// Column definitions (descriptions are the v1.32 SwaggerDoc() strings)

const DESC = {
  name:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  creationTimestamp:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  podIP: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  nodeName:
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
  nominatedNodeName:
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  readinessGates:
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  kubeletVersion: 'Kubelet Version reported by the node.',
  addresses:
    "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  osImage: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  containerRuntimeVersion: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
  lastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
  firstTimestamp: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  count: 'The number of times this event has occurred.',
  eventType: 'Type of this event (Normal, Warning), new types could be added in the future',
  reason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  involvedObject: 'The object that this event is about.',
  fieldPath:
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  source: 'The component reporting this event. Should be a short machine understandable string.',
  message: 'A human-readable description of the status of this operation.',
};

function col(name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

const COLUMNS: Record<TableResource, TableColumnDefinition[]> = {
  pods: [
    col('Name', 'string', DESC.name, 0, 'name'),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    col('Age', 'string', DESC.creationTimestamp),
    col('IP', 'string', DESC.podIP, 1),
    col('Node', 'string', DESC.nodeName, 1),
    col('Nominated Node', 'string', DESC.nominatedNodeName, 1),
    col('Readiness Gates', 'string', DESC.readinessGates, 1),
  ],
  nodes: [
    col('Name', 'string', DESC.name, 0, 'name'),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    col('Age', 'string', DESC.creationTimestamp),
    col('Version', 'string', DESC.kubeletVersion),
    col('Internal-IP', 'string', DESC.addresses, 1),
    col('External-IP', 'string', DESC.addresses, 1),
    col('OS-Image', 'string', DESC.osImage, 1),
    col('Kernel-Version', 'string', DESC.kernelVersion, 1),
    col('Container-Runtime', 'string', DESC.containerRuntimeVersion, 1),
  ],
  namespaces: [
    col('Name', 'string', DESC.name, 0, 'name'),
    col('Status', 'string', 'The status of the namespace'),
    col('Age', 'string', DESC.creationTimestamp),
  ],
  events: [
    col('Last Seen', 'string', DESC.lastTimestamp),
    col('Type', 'string', DESC.eventType),
    col('Reason', 'string', DESC.reason),
    col('Object', 'string', DESC.involvedObject),
    col('Subobject', 'string', DESC.fieldPath, 1),
    col('Source', 'string', DESC.source, 1),
    col('Message', 'string', DESC.message),
    col('First Seen', 'string', DESC.firstTimestamp, 1),
    col('Count', 'string', DESC.count, 1),
    col('Name', 'string', DESC.name, 1, 'name'),
  ],
};

/** The column definitions the apiserver sends for a resource (a fresh copy). */
export function columnDefinitions(resource: TableResource): TableColumnDefinition[] {
  return COLUMNS[resource].map((c) => ({ ...c }));
}

// ---------------------------------------------------------------------------
// Small JSON readers

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);

// ---------------------------------------------------------------------------
// Pods

const podSuccessConditions: RowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const podFailedConditions: RowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

function isRestartableInitContainer(container: Json | undefined): boolean {
  return container !== undefined && container.restartPolicy === 'Always';
}

function conditionIs(status: Json, type: string, wanted: string): boolean {
  for (const c of arr(status.conditions)) {
    const cond = obj(c);
    if (cond.type === type) return cond.status === wanted;
  }
  return false;
}

function hasPodReadyCondition(status: Json): boolean {
  return arr(status.conditions).some((c) => obj(c).type === 'Ready' && obj(c).status === 'True');
}

/** The cells printPod gives for one pod (all nine, as with Wide), and its row conditions. */
export function podCells(pod: KubeObject, now: Date): { cells: Cell[]; conditions?: RowCondition[] } {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const containers = arr(spec.containers);
  const initContainerSpecs = arr(spec.initContainers).map(obj);

  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestartDate: number | undefined;
  let lastRestartableInitContainerRestartDate: number | undefined;

  const podPhase = str(status.phase);
  let reason = podPhase;
  if (str(status.reason) !== '') reason = str(status.reason);

  // {type: PodScheduled, reason: SchedulingGated} wins over the phase.
  for (const c of arr(status.conditions)) {
    const cond = obj(c);
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let conditions: RowCondition[] | undefined;
  if (podPhase === 'Succeeded') conditions = podSuccessConditions;
  else if (podPhase === 'Failed') conditions = podFailedConditions;

  const initContainers = new Map<string, Json>();
  for (const c of initContainerSpecs) {
    initContainers.set(str(c.name), c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  const later = (current: number | undefined, candidate: unknown): number | undefined => {
    const t = parseTime(candidate);
    if (t === undefined) return current;
    return current === undefined || current < t ? t : current;
  };

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const state = obj(container.state);
    const lastTerminated = obj(container.lastState).terminated;
    const restartCount = int(container.restartCount);
    restarts += restartCount;
    if (lastTerminated != null) lastRestartDate = later(lastRestartDate, obj(lastTerminated).finishedAt);
    const restartable = isRestartableInitContainer(initContainers.get(str(container.name)));
    if (restartable) {
      restartableInitContainerRestarts += restartCount;
      if (lastTerminated != null) {
        lastRestartableInitContainerRestartDate = later(lastRestartableInitContainerRestartDate, obj(lastTerminated).finishedAt);
      }
    }
    const terminated = state.terminated != null ? obj(state.terminated) : undefined;
    const waiting = state.waiting != null ? obj(state.waiting) : undefined;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      if (str(terminated.reason) === '') {
        reason = int(terminated.signal) !== 0 ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`;
      } else {
        reason = 'Init:' + str(terminated.reason);
      }
      initializing = true;
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = 'Init:' + str(waiting.reason);
      initializing = true;
    } else {
      reason = `Init:${i}/${initContainerSpecs.length}`;
      initializing = true;
    }
    break;
  }

  if (!initializing || conditionIs(status, 'Initialized', 'True')) {
    restarts = restartableInitContainerRestarts;
    lastRestartDate = lastRestartableInitContainerRestartDate;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      const state = obj(container.state);
      restarts += int(container.restartCount);
      const lastTerminated = obj(container.lastState).terminated;
      if (lastTerminated != null) lastRestartDate = later(lastRestartDate, obj(lastTerminated).finishedAt);
      const waiting = state.waiting != null ? obj(state.waiting) : undefined;
      const terminated = state.terminated != null ? obj(state.terminated) : undefined;
      if (waiting && str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      } else if (container.ready === true && state.running != null) {
        hasRunning = true;
        readyContainers++;
      }
    }

    // back to "Running" if at least one container still reports running
    if (reason === 'Completed' && hasRunning) reason = hasPodReadyCondition(status) ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata.deletionTimestamp != null && pod.metadata.deletionTimestamp !== '';
  if (deleting && status.reason === 'NodeLost') {
    reason = 'Unknown';
  } else if (deleting && podPhase !== 'Failed' && podPhase !== 'Succeeded') {
    reason = 'Terminating';
  }

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestartDate !== undefined) {
    restartsStr = `${restarts} (${humanDuration(now.getTime() - lastRestartDate)} ago)`;
  }

  let podIP = str(obj(arr(status.podIPs)[0]).ip);
  if (podIP === '' && arr(status.podIPs).length === 0) podIP = str(status.podIP);
  const nodeName = str(spec.nodeName) || '<none>';
  const nominatedNodeName = str(status.nominatedNodeName) || '<none>';

  let readinessGates = '<none>';
  const gates = arr(spec.readinessGates).map(obj);
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      for (const c of arr(status.conditions)) {
        const cond = obj(c);
        if (cond.type === gate.conditionType) {
          if (cond.status === 'True') trueConditions++;
          break;
        }
      }
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }

  return {
    cells: [
      pod.metadata.name,
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsStr,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      podIP || '<none>',
      nodeName,
      nominatedNodeName,
      readinessGates,
    ],
    ...(conditions ? { conditions: conditions.map((c) => ({ ...c })) } : {}),
  };
}

// ---------------------------------------------------------------------------
// Nodes

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

function findNodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role.length > 0) roles.add(role);
    } else if (k === NODE_LABEL_ROLE && v !== '') {
      roles.add(v);
    }
  }
  // sets.String.List(): sorted byte-wise
  return [...roles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function nodeCells(node: KubeObject, now: Date): Cell[] {
  const spec = obj(node.spec);
  const status = obj(node.status);
  const nodeInfo = obj(status.nodeInfo);

  // Only the Ready condition is shown; the last one of a type wins, as in the map the printer builds.
  let ready: Json | undefined;
  for (const c of arr(status.conditions)) if (obj(c).type === 'Ready') ready = obj(c);
  const statuses: string[] = [];
  if (ready) statuses.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (statuses.length === 0) statuses.push('Unknown');
  if (spec.unschedulable === true) statuses.push('SchedulingDisabled');

  const roles = findNodeRoles((node.metadata.labels ?? {}) as Record<string, string>).join(',') || '<none>';

  const address = (type: string) => {
    for (const a of arr(status.addresses)) if (obj(a).type === type) return str(obj(a).address);
    return '<none>';
  };

  return [
    node.metadata.name,
    statuses.join(','),
    roles,
    translateTimestampSince(node.metadata.creationTimestamp, now),
    str(nodeInfo.kubeletVersion),
    address('InternalIP'),
    address('ExternalIP'),
    str(nodeInfo.osImage) || '<unknown>',
    str(nodeInfo.kernelVersion) || '<unknown>',
    str(nodeInfo.containerRuntimeVersion) || '<unknown>',
  ];
}

// ---------------------------------------------------------------------------
// Namespaces

export function namespaceCells(ns: KubeObject, now: Date): Cell[] {
  return [ns.metadata.name, str(obj(ns.status).phase), translateTimestampSince(ns.metadata.creationTimestamp, now)];
}

// ---------------------------------------------------------------------------
// Events (core/v1 Event, as printEvent reads the internal type)

function formatEventSource(event: Json): string {
  const source = obj(event.source);
  // v1 reportingComponent is the internal ReportingController
  const component = str(source.component) || str(event.reportingComponent);
  const instance = str(source.host) || str(event.reportingInstance);
  return instance.length === 0 ? component : `${component}, ${instance}`;
}

export function eventCells(event: KubeObject, now: Date): Cell[] {
  let firstTimestamp = translateTimestampSince(event.firstTimestamp, now);
  if (parseTime(event.firstTimestamp) === undefined) firstTimestamp = translateTimestampSince(event.eventTime, now);

  let lastTimestamp = translateTimestampSince(event.lastTimestamp, now);
  if (parseTime(event.lastTimestamp) === undefined) lastTimestamp = firstTimestamp;

  let count = int(event.count);
  if (event.series != null) {
    const series = obj(event.series);
    lastTimestamp = translateTimestampSince(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    // singleton events don't have a count set in the new API
    count = 1;
  }

  const involved = obj(event.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name).length > 0 ? `${kind}/${str(involved.name)}` : kind;

  return [
    lastTimestamp,
    str(event.type),
    str(event.reason),
    target,
    str(involved.fieldPath),
    formatEventSource(event),
    str(event.message).trim(),
    firstTimestamp,
    count,
    event.metadata.name,
  ];
}

// ---------------------------------------------------------------------------
// The Table

function rowObject(o: KubeObject, includeObject: TableOptions['includeObject']): Record<string, unknown> {
  if (includeObject === 'None') return {};
  if (includeObject === 'Object') return { object: o };
  return { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } };
}

/**
 * A meta.k8s.io/v1 Table for `objects`, as the apiserver's TableConvertor gives it:
 * columnDefinitions (empty when withColumnDefinitions is false), one row per
 * object with its cells and, per includeObject, a PartialObjectMetadata (the
 * default), the full object, or nothing. `now` is the clock the ages are measured against.
 */
export function toTable(
  resource: TableResource,
  objects: KubeObject[],
  opts: TableOptions,
  now: Date,
): Record<string, unknown> {
  const rows = objects.map((o) => {
    let cells: Cell[];
    let conditions: RowCondition[] | undefined;
    switch (resource) {
      case 'pods': {
        const printed = podCells(o, now);
        cells = printed.cells;
        conditions = printed.conditions;
        break;
      }
      case 'nodes':
        cells = nodeCells(o, now);
        break;
      case 'namespaces':
        cells = namespaceCells(o, now);
        break;
      case 'events':
        cells = eventCells(o, now);
        break;
      default:
        throw new Error(`no table printer for ${String(resource)}`);
    }
    return { cells, ...(conditions ? { conditions } : {}), ...rowObject(o, opts.includeObject) };
  });

  const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion };
  if (opts.continueToken) metadata.continue = opts.continueToken;

  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.withColumnDefinitions === false ? [] : columnDefinitions(resource),
    rows,
  };
}
