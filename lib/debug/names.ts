// Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation, worded as
// the apiserver words them) and the names kubectl debug makes up.
import type { PodSpec, RandomSource } from './types';

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const LABEL_MAX = 63;
const SUBDOMAIN_MAX = 253;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '" +
  LABEL_FMT +
  "')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" +
  SUBDOMAIN_FMT +
  "')";

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** IsDNS1123Label: container names, namespaces. Empty list = valid. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > LABEL_MAX) errors.push(`must be no more than ${LABEL_MAX} characters`);
  if (!new RegExp(`^${LABEL_FMT}$`).test(value)) {
    errors.push(new RegExp(`^${SUBDOMAIN_FMT}$`).test(value) ? 'must not contain dots' : LABEL_MSG);
  }
  return errors;
}

/** IsDNS1123Subdomain: pod and node names. Empty list = valid. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > SUBDOMAIN_MAX) errors.push(`must be no more than ${SUBDOMAIN_MAX} characters`);
  if (!new RegExp(`^${SUBDOMAIN_FMT}$`).test(value)) errors.push(SUBDOMAIN_MSG);
  return errors;
}

/** IsRelaxedEnvVarName (on by default in v1.32): printable ASCII but '='. */
export function envVarNameErrors(value: string): string[] {
  if (value === '') return ['environment variable name must be non-empty'];
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp >= 0x7f || ch === '=') {
      return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
    }
  }
  return [];
}

// utilrand.String's alphabet: no vowels (no words) and no 0, 1, 3 (no look-alikes).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A random suffix as kubectl makes it (`utilrand.String(5)`), from an injected source. */
export function randomSuffix(random: RandomSource, length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length) % SUFFIX_ALPHABET.length];
  return suffix;
}

/** Every container name in the pod: regular, init and ephemeral (they share one namespace). */
export function containerNames(spec: PodSpec): Set<string> {
  return new Set([...spec.containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name));
}

/** A random source that never yields a free name would loop forever; kubectl's would not in practice. */
const MAX_NAME_ATTEMPTS = 100;

/** `debugger-xxxxx`, unique across all the pod's containers, as kubectl's computeDebugContainerName. */
export function defaultDebugContainerName(spec: PodSpec, random: RandomSource): string {
  const taken = containerNames(spec);
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const name = `debugger-${randomSuffix(random)}`;
    if (!taken.has(name)) return name;
  }
  throw new Error(`no free debugger-xxxxx name after ${MAX_NAME_ATTEMPTS} attempts: the random source repeats itself`);
}

/** `node-debugger-<node>-xxxxx`, as kubectl names node debug pods. */
export function nodeDebugPodName(node: string, random: RandomSource): string {
  return `node-debugger-${node}-${randomSuffix(random)}`;
}
