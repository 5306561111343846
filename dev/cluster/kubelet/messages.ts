// Every sentence the simulated kubelet and container runtime say, worded as
// kubelet v1.32 + containerd 1.7 (runc 1.1) say them, so clients that show or
// match these strings behave as they do against a real node.
import type { Pod } from '../types';

/** The kubelet's format.Pod: `name_namespace(uid)`. */
export const podRef = (pod: Pod) =>
  `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})`;

/** Go's %q for the plain ASCII strings we quote. */
const q = (s: string) => JSON.stringify(s);

/** Go's time.Duration.String() for a number of milliseconds (10s, 1m20s, 5m0s, 300ms, 1.462s). */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  if (ms < 1000) return `${trim(ms, 3)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${trim((ms % 60_000) / 1000, 3)}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  if (m > 0) return `${m}m${s}`;
  return s;
}

// ── image manager (pkg/kubelet/images) ──────────────────────────────────────
export const pullingImage = (image: string) => `Pulling image ${q(image)}`;
export const pulledImage = (image: string, ms: number, size: number) =>
  `Successfully pulled image ${q(image)} in ${goDuration(Math.trunc(ms))} (${goDuration(Math.trunc(ms))} including waiting). Image size: ${size} bytes.`;
export const imagePresent = (image: string) => `Container image ${q(image)} already present on machine`;
export const imageNeverPull = (image: string) =>
  `Container image ${q(image)} is not present with pull policy of Never`;
export const failedToPull = (image: string, err: string) => `Failed to pull image ${q(image)}: ${err}`;
export const invalidImageName = (image: string, err: string) =>
  `Failed to apply default image tag ${q(image)}: couldn't parse image name ${q(image)}: ${err}`;
export const backOffPullingImage = (image: string) => `Back-off pulling image ${q(image)}`;
/** containerd's answer for a reference that does not resolve (as the CRI error string). */
export const imageNotFound = (ref: string) =>
  `rpc error: code = NotFound desc = failed to pull and unpack image ${q(ref)}: failed to resolve reference ${q(ref)}: ${ref}: not found`;

// ── container start (pkg/kubelet/kuberuntime) ───────────────────────────────
export const createdContainer = (name: string) => `Created container: ${name}`;
export const startedContainer = (name: string) => `Started container ${name}`;
export const stoppingContainer = (name: string) => `Stopping container ${name}`;
/** Event message for a failed step; the waiting/terminated message is `err` itself. */
export const eventError = (err: string) => `Error: ${err}`;

export const runAsNonRootImageRoot = (pod: Pod, container: string) =>
  `container has runAsNonRoot and image will run as root (pod: ${q(podRef(pod))}, container: ${container})`;
export const runAsUserBreaksNonRoot = (pod: Pod, container: string) =>
  `container's runAsUser breaks non-root policy (pod: ${q(podRef(pod))}, container: ${container})`;
export const runAsNonRootNonNumericUser = (pod: Pod, container: string, user: string) =>
  `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root (pod: ${q(podRef(pod))}, container: ${container})`;
export const noCommandSpecified = (containerId: string) =>
  `failed to generate container ${q(containerId)} spec: failed to generate spec: no command specified`;

/** runc's reason when the process cannot be executed, e.g. `exec: "sh": executable file not found in $PATH`. */
export const execNotFoundInPath = (cmd: string) => `exec: ${q(cmd)}: executable file not found in $PATH`;
export const execNoSuchFile = (path: string) => `exec: ${q(path)}: stat ${path}: no such file or directory`;
/** containerd's StartContainer error for a runc failure (terminated reason StartError, exit code 128). */
export const startFailed = (runcReason: string) =>
  `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${runcReason}: unknown`;
/** containerd's ExecSync/Exec error for a runc failure. */
export const execFailed = (runcReason: string) =>
  `OCI runtime exec failed: exec failed: unable to start container process: ${runcReason}: unknown`;

/** containerd's CreateContainer refusal for an ephemeral container whose target has no running process. */
export const targetNotRunning = (target: string, containerID: string | undefined) =>
  `failed to create containerd container: invalid target container: container ${q(containerID ?? target)} is not running - in state "CONTAINER_EXITED"`;
export const volumeNotFound = (volume: string) =>
  `failed to generate container spec: cannot find volume ${q(volume)} to mount into container`;
/** Not the kubelet's: what the simulated node cannot enforce, said where the user looks (kubectl describe). */
export const securityNotApplied = (what: string[]) =>
  `The dev cluster's node does not apply: ${what.join('; ')}. The container runs without it.`;

export const backOffRestartingEvent = (pod: Pod, container: string) =>
  `Back-off restarting failed container ${container} in pod ${podRef(pod)}`;
export const crashLoopBackOff = (pod: Pod, container: string, backoffMs: number) =>
  `back-off ${goDuration(backoffMs)} restarting failed container=${container} pod=${podRef(pod)}`;

// ── streaming and logs (pkg/kubelet, pkg/registry/core/pod, kubectl) ─────────
export const containerNotFound = (container: string) => `container not found (${q(container)})`;
export const containerNotValid = (container: string, pod: string) =>
  `container ${container} is not valid for pod ${pod}`;
export const noHostAssigned = (pod: string) => `pod ${pod} does not have a host assigned`;
export const cannotAttachCompleted = (phase: string) =>
  `cannot attach a container in a completed pod; current phase is ${phase}`;
/** The apiserver's validateContainer: every container name, init and ephemeral included, as Go prints a []string. */
export const containerNameRequired = (pod: string, names: string[]) =>
  `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`;
export const previousNotFound = (container: string, pod: string) =>
  `previous terminated container ${q(container)} in pod ${q(pod)} not found`;
export const containerNotAvailable = (container: string, pod: string) =>
  `container ${q(container)} in pod ${q(pod)} is not available`;
export const containerTerminatedNoLogs = (container: string, pod: string) =>
  `container ${q(container)} in pod ${q(pod)} is terminated`;
export function waitingToStart(container: string, pod: string, reason: string): string {
  const why =
    reason === 'ErrImagePull'
      ? "image can't be pulled"
      : reason === 'ImagePullBackOff'
        ? 'trying and failing to pull image'
        : reason;
  return `container ${q(container)} in pod ${q(pod)} is waiting to start: ${why}`;
}

// ── pod conditions (pkg/kubelet/status/generate.go) ─────────────────────────
export const incompleteInit = (names: string[]) => `containers with incomplete status: [${names.join(' ')}]`;
export const unknownStatus = (names: string[]) => `containers with unknown status: [${names.join(' ')}]`;
export const unreadyStatus = (names: string[]) => `containers with unready status: [${names.join(' ')}]`;
