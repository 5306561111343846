import { describe, expect, it } from 'vitest';
import { explainWaitingReason } from './waiting';

// Messages as the kubelet v1.32 / containerd 1.7 word them (dev/cluster/kubelet/messages.ts).
const POD = '"web-0_shop(5b1f0c8e)"';

describe('explainWaitingReason', () => {
  it.each([
    [
      'CreateContainerConfigError',
      `container has runAsNonRoot and image will run as root (pod: ${POD}, container: dbg)`,
      /^The image runs as root, and the security context says runAsNonRoot.*start a new one with runAsUser set to a non-root user/,
    ],
    ['CreateContainerConfigError', `container's runAsUser breaks non-root policy (pod: ${POD}, container: dbg)`, /^runAsUser is 0 \(root\) while runAsNonRoot is true/],
    [
      'CreateContainerConfigError',
      `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: ${POD}, container: dbg)`,
      /^The image names its user \(nobody\) instead of a number/,
    ],
    ['CreateContainerConfigError', 'secret "db-creds" not found', /^The container refers to the Secret "db-creds", which does not exist/],
    ['CreateContainerConfigError', "couldn't find key password in Secret shop/db-creds", /^The Secret shop\/db-creds has no key "password"/],
    [
      'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nope:latest": failed to resolve reference "docker.io/library/nope:latest": docker.io/library/nope:latest: not found',
      /^The registry has no such image \(check the name and the tag\)\. An ephemeral container/,
    ],
    ['ImagePullBackOff', 'Back-off pulling image "nope"', /^The node could not pull the image \(Back-off pulling image "nope"\)\. Kubernetes keeps retrying/],
    ['ErrImagePull', 'failed to authorize: 401 Unauthorized', /^The registry refused to hand over the image/],
    [
      'RunContainerError',
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
      /^The image has no "sh" \(minimal and distroless images often have no shell\)\. Run a program the image has/,
    ],
    ['StartError', 'unable to start container process: exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown', /^There is no \/bin\/bash in the image/],
    ['CrashLoopBackOff', 'back-off 10s restarting failed container=app', /^The container keeps exiting/],
    ['InvalidImageName', 'Failed to apply default image tag "Busybox"', /^The image name is not a valid reference/],
    ['ErrImageNeverPull', '', /pull policy is Never/],
    ['ContainerCreating', '', /^The container is being created/],
    ['SomethingNew', 'details', /^The container is waiting \(SomethingNew: details\)\.$/],
  ])('%s: %s', (reason, message, expected) => {
    expect(explainWaitingReason(reason, message)).toMatch(expected);
  });
});
