// Validation as the apiserver does it, worded as it words it.
//
// Ported (facts, not code) from k8s.io/apimachinery/pkg/util/validation,
// apimachinery/pkg/api/validation (ObjectMeta, names) and
// kubernetes/pkg/apis/core/validation/validation.go (Pod create, ephemeral
// containers) as of v1.32. Every function returns the StatusCauses a 422 Invalid
// would carry (reason = field error type, field = path, message = ErrorBody);
// an empty list means valid. Pass them to status.invalid().
//
// The apiserver defaults an object before validating it, so a field that
// defaulting fills (restartPolicy, dnsPolicy, terminationMessagePolicy,
// imagePullPolicy, ports[].protocol, probe thresholds, hostPath.type,
// terminationGracePeriodSeconds, …) is accepted here when absent or "" —
// a "Required value" for it never reaches a real client either.

import type { ContainerSpec, ObjectMeta, Pod, StatusCause } from './types';
import { fieldCause, goQuote, GoValue } from './status';

type Json = Record<string, unknown>;
type Errs = StatusCause[];

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Set as a Go pointer or non-zero value would be: present and not null. */
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** Go's byte-wise sort, as sets.List() gives. */
const sorted = (values: Iterable<string>) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------------------
// Field paths, as field.Path renders them: a.b[0].c, map keys as [key]

const child = (p: string, name: string) => (p === '' ? name : `${p}.${name}`);
const index = (p: string, i: number) => `${p}[${i}]`;
const key = (p: string, k: string) => `${p}[${k}]`;

// Field error constructors (field.Required, field.Invalid, …)
const required = (path: string, detail = '') => fieldCause('FieldValueRequired', path, undefined, detail);
const forbidden = (path: string, detail: string) => fieldCause('FieldValueForbidden', path, undefined, detail);
const invalidValue = (path: string, value: unknown, detail: string) => fieldCause('FieldValueInvalid', path, value, detail);
const duplicate = (path: string, value: unknown) => fieldCause('FieldValueDuplicate', path, value);
const notFound = (path: string, value: unknown) => fieldCause('FieldValueNotFound', path, value);
const tooLong = (path: string, maxLength: number) =>
  fieldCause('FieldValueTooLong', path, undefined, `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`);
function notSupported(path: string, value: unknown, validValues: readonly string[]): StatusCause {
  const detail = validValues.length > 0 ? 'supported values: ' + validValues.map((v) => goQuote(v)).join(', ') : '';
  return fieldCause('FieldValueNotSupported', path, value, detail);
}

// ---------------------------------------------------------------------------
// k8s.io/apimachinery/pkg/util/validation

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_CHAR_FMT = '[A-Za-z0-9]';
const QUALIFIED_NAME_EXT_CHAR_FMT = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FMT = `(${QUALIFIED_NAME_CHAR_FMT}${QUALIFIED_NAME_EXT_CHAR_FMT}*)?${QUALIFIED_NAME_CHAR_FMT}`;
const QUALIFIED_NAME_ERR_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH = 63;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_ERR_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+';
const HTTP_HEADER_NAME_ERR_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'";
const RELAXED_ENV_VAR_NAME_ERR_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123LabelRegexp = whole(DNS1123_LABEL_FMT);
const dns1123SubdomainRegexp = whole(DNS1123_SUBDOMAIN_FMT);
const qualifiedNameRegexp = whole(QUALIFIED_NAME_FMT);
const labelValueRegexp = whole(LABEL_VALUE_FMT);
const configMapKeyRegexp = whole(CONFIG_MAP_KEY_FMT);
const httpHeaderNameRegexp = whole(HTTP_HEADER_NAME_FMT);

/** Go's len(): bytes of the UTF-8 encoding. */
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

export const maxLenError = (length: number) => `must be no more than ${length} characters`;
export const emptyError = () => 'must be non-empty';
export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

/** validation.RegexError: note the doubled space before " or ", as the apiserver prints it. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = msg + ' (e.g. ';
  examples.forEach((example, i) => {
    if (i > 0) out += ' or ';
    out += `'${example}', `;
  });
  return out + `regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRegexp.test(value)) {
    // a valid subdomain but not a label: the length was checked, so it must be dots
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** validation.IsQualifiedName: label keys, annotation keys, condition types. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part ' + emptyError());
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => 'prefix part ' + m));
  } else {
    return [
      'a qualified name ' +
        regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part ' + emptyError());
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push('name part ' + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
  if (!qualifiedNameRegexp.test(name)) {
    errs.push('name part ' + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'));
  }
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 && Number.isInteger(port) ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// v1.32 limits libcontainer UIDs/GIDs to 0 … 2^31-1.
const MAX_ID = 2147483647;
const isValidID = (id: number) => (id >= 0 && id <= MAX_ID ? [] : [inclusiveRangeError(0, MAX_ID)]);

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is beta and on in v1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name ' + emptyError());
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7f || cp < 0x20 || cp === 0x7f || ch === '=') {
      errs.push(RELAXED_ENV_VAR_NAME_ERR_MSG);
      break;
    }
  }
  return errs;
}

function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRegexp.test(value)) errs.push(regexError(CONFIG_MAP_KEY_ERR_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

// ---------------------------------------------------------------------------
// Names (apimachinery/pkg/api/validation: NameIsDNSSubdomain, NameIsDNSLabel)

/** maskTrailingDash, as the apiserver has it: for a generateName prefix, "ab-" is checked as "aa". */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return name.slice(0, name.length - 2) + 'a';
  return name;
}

export type NameValidator = (name: string, prefix: boolean) => string[];

export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** The name rule per kind: DNS-1123 label for namespaces, subdomain for pods, nodes, events. */
export function nameValidatorFor(kind: string): NameValidator {
  switch (kind.toLowerCase()) {
    case 'namespace':
    case 'namespaces':
      return nameIsDNSLabel;
    case 'pod':
    case 'pods':
    case 'node':
    case 'nodes':
    case 'event':
    case 'events':
      return nameIsDNSSubdomain;
    default:
      return nameIsDNSSubdomain;
  }
}

const GENERATED_NAME_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
/** maxNameLength (63) - randomLength (5) */
export const MAX_GENERATED_NAME_LENGTH = 58;

/**
 * names.SimpleNameGenerator: base (cut to 58 bytes) plus 5 random characters
 * from "bcdfghjklmnpqrstvwxz2456789", as the registry does for generateName.
 */
export function generateObjectName(base: string, random: () => number = Math.random): string {
  const cut = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATED_NAME_ALPHANUMS[Math.floor(random() * GENERATED_NAME_ALPHANUMS.length)];
  return cut + suffix;
}

/**
 * metadata.name (and generateName) of an object of `kind` ("Pod", "pods",
 * "Namespace", …), as ValidateObjectMeta checks them:
 * `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of …`.
 * With meta.generateName set and no name, only generateName is checked (the
 * registry generates the name before validating; see generateObjectName).
 * With `meta.namespace` given, a namespaced kind needs one (a DNS label) and a
 * cluster-scoped kind must have none.
 */
export function validateObjectName(
  kind: string,
  name: string | undefined,
  namespaced: boolean,
  meta: { generateName?: string; namespace?: string } = {},
): StatusCause[] {
  const nameFn = nameValidatorFor(kind);
  const errs: Errs = [];
  const generateName = meta.generateName ?? '';
  if (generateName.length !== 0) {
    for (const msg of nameFn(generateName, true)) errs.push(invalidValue('metadata.generateName', generateName, msg));
  }
  if (!name) {
    if (generateName.length === 0) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(invalidValue('metadata.name', name, msg));
  }
  if ('namespace' in meta) errs.push(...validateNamespaceField(meta.namespace, namespaced, 'metadata'));
  return errs;
}

function validateNamespaceField(namespace: string | undefined, namespaced: boolean, metaPath: string): Errs {
  const errs: Errs = [];
  const path = child(metaPath, 'namespace');
  if (namespaced) {
    if (!namespace) errs.push(required(path));
    else for (const msg of nameIsDNSLabel(namespace, false)) errs.push(invalidValue(path, namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(path, 'not allowed on this type'));
  }
  return errs;
}

/** metav1 validation.ValidateLabels: every key a qualified name, every value a label value. */
export function validateLabels(labels: unknown, path: string): StatusCause[] {
  const errs: Errs = [];
  for (const [k, v] of Object.entries(obj(labels))) {
    for (const msg of isQualifiedName(k)) errs.push(invalidValue(path, k, msg));
    for (const msg of isValidLabelValue(str(v))) errs.push(invalidValue(path, str(v), msg));
  }
  return errs;
}

const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

/** ValidateAnnotations: keys are qualified names (case-insensitive), 256 KiB in all. */
export function validateAnnotations(annotations: unknown, path: string): StatusCause[] {
  const errs: Errs = [];
  let total = 0;
  for (const [k, v] of Object.entries(obj(annotations))) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(path, k, msg));
    total += byteLength(k) + byteLength(str(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/**
 * ValidateObjectMeta for a create: name / generateName (per `nameFn`),
 * namespace, generation, labels, annotations, finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameFn: NameValidator, metaPath = 'metadata'): StatusCause[] {
  const m = (meta ?? {}) as ObjectMeta;
  const errs: Errs = [];
  const generateName = str(m.generateName);
  if (generateName.length !== 0) {
    for (const msg of nameFn(generateName, true)) errs.push(invalidValue(child(metaPath, 'generateName'), generateName, msg));
  }
  const name = str(m.name);
  if (name.length === 0) errs.push(required(child(metaPath, 'name'), 'name or generateName is required'));
  else for (const msg of nameFn(name, false)) errs.push(invalidValue(child(metaPath, 'name'), name, msg));
  errs.push(...validateNamespaceField(str(m.namespace), namespaced, metaPath));
  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalidValue(child(metaPath, 'generation'), m.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(m.labels, child(metaPath, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(metaPath, 'annotations')));
  arr(m.finalizers).forEach((f, i) => {
    for (const msg of isQualifiedName(str(f))) errs.push(invalidValue(index(child(metaPath, 'finalizers'), i), str(f), msg));
  });
  return errs;
}

// ---------------------------------------------------------------------------
// Quantities (resource.Quantity), enough to compare requests with limits

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's value, or undefined when it does not parse. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return undefined;
  const n = Number(m[1]);
  const suffix = m[2];
  if (suffix in QUANTITY_SUFFIX) return n * QUANTITY_SUFFIX[suffix];
  const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
  if (exp) return n * 10 ** Number(exp[1]);
  return undefined;
}

const quantityText = (q: unknown) => (typeof q === 'number' ? String(q) : str(q));

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** helper.IsStandardResourceName (quota names included). */
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const isOvercommitAllowed = (name: string) => isNativeResource(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: string): Errs {
  const errs: Errs = [];
  for (const msg of isQualifiedName(name)) errs.push(invalidValue(path, new GoValue(name), msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name) && !name.startsWith('requests.hugepages-')) {
      errs.push(invalidValue(path, new GoValue(name), 'must be a standard resource type or fully qualified'));
    }
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalidValue(path, new GoValue(name), 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name)) {
    // IsExtendedResourceName: "requests." + name must be a qualified name too
    if (name.startsWith('requests.') || isQualifiedName('requests.' + name).length !== 0) {
      errs.push(invalidValue(path, new GoValue(name), "doesn't follow extended resource name standard"));
    }
  }
  return errs;
}

function validateQuantityValue(q: unknown, path: string): Errs {
  const value = parseQuantity(q);
  if (value === undefined) {
    // the apiserver refuses such a body while decoding it; report it here anyway
    return [
      invalidValue(path, quantityText(q), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ];
  }
  if (value < 0) return [invalidValue(path, quantityText(q), 'must be greater than or equal to 0')];
  return [];
}

/** ValidateContainerResourceRequirements (names, non-negative quantities, requests ≤ limits). */
function validateResources(resources: unknown, path: string): Errs {
  const errs: Errs = [];
  const r = obj(resources);
  const limits = obj(r.limits);
  const requests = obj(r.requests);
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  for (const [name, q] of Object.entries(limits)) {
    errs.push(...validateContainerResourceName(name, key(limPath, name)));
    errs.push(...validateQuantityValue(q, key(limPath, name)));
  }
  for (const [name, q] of Object.entries(requests)) {
    errs.push(...validateContainerResourceName(name, key(reqPath, name)));
    errs.push(...validateQuantityValue(q, key(reqPath, name)));
    const request = parseQuantity(q);
    if (name in limits) {
      const limit = parseQuantity(limits[name]);
      if (request === undefined || limit === undefined) continue;
      if (request !== limit && !isOvercommitAllowed(name)) {
        errs.push(invalidValue(reqPath, quantityText(q), `must be equal to ${name} limit of ${quantityText(limits[name])}`));
      } else if (request > limit) {
        errs.push(invalidValue(reqPath, quantityText(q), `must be less than or equal to ${name} limit of ${quantityText(limits[name])}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

// ---------------------------------------------------------------------------
// Volumes

/** validateVolumeSource's order; the second name is the path a "more than 1 volume type" error uses. */
const VOLUME_SOURCES: Array<[string, string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'], // sic
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

function isAbsPath(p: string) {
  return p.startsWith('/');
}

function validatePathNoBacksteps(target: string, path: string): Errs {
  if (target.split('/').includes('..')) return [invalidValue(path, target, "must not contain '..'")];
  return [];
}

function validateLocalDescendingPath(target: string, path: string): Errs {
  const errs: Errs = [];
  if (isAbsPath(target)) errs.push(invalidValue(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

function validateKeyToPaths(items: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(items).forEach((item, i) => {
    const kp = obj(item);
    const itemPath = index(path, i);
    if (str(kp.key).length === 0) errs.push(required(child(itemPath, 'key')));
    if (str(kp.path).length === 0) errs.push(required(child(itemPath, 'path')));
    errs.push(...validateLocalNonReservedPath(str(kp.path), child(itemPath, 'path')));
    if (typeof kp.mode === 'number' && (kp.mode > 0o777 || kp.mode < 0)) {
      errs.push(invalidValue(child(itemPath, 'mode'), kp.mode, FILE_MODE_ERROR_MSG));
    }
  });
  return errs;
}

function validateLocalNonReservedPath(target: string, path: string): Errs {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..')) errs.push(invalidValue(path, target, "must not start with '..'"));
  return errs;
}

function validateDefaultMode(mode: unknown, path: string): Errs {
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) return [invalidValue(path, mode, FILE_MODE_ERROR_MSG)];
  return [];
}

function validateVolumeSource(vol: Json, path: string): Errs {
  const errs: Errs = [];
  let numVolumes = 0;
  for (const [field, forbiddenName] of VOLUME_SOURCES) {
    if (!isSet(vol[field])) continue;
    if (numVolumes > 0) {
      errs.push(forbidden(child(path, forbiddenName), 'may not specify more than 1 volume type'));
      continue;
    }
    numVolumes++;
    const source = obj(vol[field]);
    switch (field) {
      case 'hostPath': {
        const p = child(path, 'hostPath');
        if (str(source.path).length === 0) {
          errs.push(required(child(p, 'path')));
          break;
        }
        errs.push(...validatePathNoBacksteps(str(source.path), child(p, 'path')));
        if (isSet(source.type) && !HOST_PATH_TYPES.includes(str(source.type))) {
          errs.push(notSupported(child(p, 'type'), source.type, HOST_PATH_TYPES));
        }
        break;
      }
      case 'secret': {
        const p = child(path, 'secret');
        if (str(source.secretName).length === 0) errs.push(required(child(p, 'secretName')));
        errs.push(...validateDefaultMode(source.defaultMode, child(p, 'defaultMode')));
        errs.push(...validateKeyToPaths(source.items, child(p, 'items')));
        break;
      }
      case 'configMap': {
        const p = child(path, 'configMap');
        if (str(source.name).length === 0) errs.push(required(child(p, 'name')));
        errs.push(...validateDefaultMode(source.defaultMode, child(p, 'defaultMode')));
        errs.push(...validateKeyToPaths(source.items, child(p, 'items')));
        break;
      }
      case 'persistentVolumeClaim': {
        const p = child(path, 'persistentVolumeClaim');
        if (str(source.claimName).length === 0) errs.push(required(child(p, 'claimName')));
        break;
      }
      case 'gitRepo': {
        const p = child(path, 'gitRepo');
        if (str(source.repository).length === 0) errs.push(required(child(p, 'repository')));
        errs.push(...validateLocalDescendingPath(str(source.directory), child(p, 'directory')));
        break;
      }
      case 'nfs': {
        const p = child(path, 'nfs');
        if (str(source.server).length === 0) errs.push(required(child(p, 'server')));
        if (str(source.path).length === 0) errs.push(required(child(p, 'path')));
        else if (!isAbsPath(str(source.path))) errs.push(invalidValue(child(p, 'path'), str(source.path), 'must be an absolute path'));
        break;
      }
      case 'csi': {
        const p = child(path, 'csi');
        if (str(source.driver).length === 0) errs.push(required(child(p, 'driver')));
        break;
      }
      case 'image': {
        const p = child(path, 'image');
        if (str(source.reference).length === 0) errs.push(required(child(p, 'reference')));
        break;
      }
      default:
        break;
    }
  }
  if (numVolumes === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: the valid volumes by name (a mount may only name these), and the errors. */
function validateVolumes(volumes: unknown, path: string): { vols: Map<string, Json>; errs: Errs } {
  const errs: Errs = [];
  const vols = new Map<string, Json>();
  arr(volumes).forEach((v, i) => {
    const vol = obj(v);
    const idxPath = index(path, i);
    const namePath = child(idxPath, 'name');
    const name = str(vol.name);
    const el = validateVolumeSource(vol, idxPath);
    if (name.length === 0) el.push(required(namePath));
    else for (const msg of isDNS1123Label(name)) el.push(invalidValue(namePath, name, msg));
    if (vols.has(name)) el.push(duplicate(namePath, name));
    if (el.length === 0) vols.set(name, vol);
    else errs.push(...el);
  });
  return { vols, errs };
}

// ---------------------------------------------------------------------------
// Containers

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const RECURSIVE_READ_ONLY = ['Disabled', 'Enabled', 'IfPossible'];

function validateContainerPorts(ports: unknown, path: string): Errs {
  const errs: Errs = [];
  const names = new Set<string>();
  arr(ports).forEach((p, i) => {
    const port = obj(p);
    const idxPath = index(path, i);
    const name = str(port.name);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length !== 0) for (const msg of msgs) errs.push(invalidValue(child(idxPath, 'name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else names.add(name);
    }
    const containerPort = typeof port.containerPort === 'number' ? port.containerPort : 0;
    if (containerPort === 0) errs.push(required(child(idxPath, 'containerPort')));
    else for (const msg of isValidPortNum(containerPort)) errs.push(invalidValue(child(idxPath, 'containerPort'), containerPort, msg));
    const hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(invalidValue(child(idxPath, 'hostPort'), hostPort, msg));
    const protocol = str(port.protocol);
    if (protocol !== '' && !PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(child(idxPath, 'protocol'), protocol, PORT_PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** What ConvertDownwardAPIFieldLabel knows for v1 pods (besides labels / annotations). */
const CONVERTIBLE_FIELD_PATHS = new Set([
  ...ENV_FIELD_PATHS,
  'metadata.annotations',
  'metadata.labels',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const ENV_RESOURCE_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

function validateEnvVarValueFrom(ev: Json, path: string): Errs {
  const errs: Errs = [];
  if (!isSet(ev.valueFrom)) return errs;
  const from = obj(ev.valueFrom);
  let numSources = 0;
  if (isSet(from.fieldRef)) {
    numSources++;
    const fs = obj(from.fieldRef);
    const p = child(path, 'fieldRef');
    const fieldPath = str(fs.fieldPath);
    if (fieldPath.length === 0) {
      errs.push(required(child(p, 'fieldPath')));
    } else {
      const subscripted = /^(metadata\.(labels|annotations))\['(.*)'\]$/.exec(fieldPath);
      if (subscripted) {
        const sub = subscripted[2] === 'annotations' ? subscripted[3].toLowerCase() : subscripted[3];
        for (const msg of isQualifiedName(sub)) errs.push(invalidValue(p, sub, msg));
      } else if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath)) {
        errs.push(invalidValue(child(p, 'fieldPath'), fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`));
      } else if (!ENV_FIELD_PATHS.includes(fieldPath)) {
        errs.push(notSupported(child(p, 'fieldPath'), fieldPath, ENV_FIELD_PATHS));
      }
    }
  }
  if (isSet(from.resourceFieldRef)) {
    numSources++;
    const rs = obj(from.resourceFieldRef);
    const p = child(path, 'resourceFieldRef');
    const resource = str(rs.resource);
    if (resource.length === 0) errs.push(required(child(p, 'resource')));
    else if (!ENV_RESOURCE_PATHS.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) {
      errs.push(notSupported(child(p, 'resource'), resource, ENV_RESOURCE_PATHS));
    }
  }
  for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
    if (!isSet(from[kind])) continue;
    numSources++;
    const sel = obj(from[kind]);
    const p = child(path, kind);
    const name = str(sel.name);
    for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalidValue(child(p, 'name'), name, msg));
    const k = str(sel.key);
    if (k.length === 0) errs.push(required(child(p, 'key')));
    else for (const msg of isConfigMapKey(k)) errs.push(invalidValue(child(p, 'key'), k, msg));
  }
  if (numSources === 0) {
    errs.push(invalidValue(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(ev.value).length !== 0) {
    errs.push(invalidValue(path, '', 'may not be specified when `value` is not empty'));
  } else if (numSources > 1) {
    errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

function validateEnv(env: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(env).forEach((e, i) => {
    const ev = obj(e);
    const idxPath = index(path, i);
    const name = str(ev.name);
    if (name.length === 0) errs.push(required(child(idxPath, 'name')));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalidValue(child(idxPath, 'name'), name, msg));
    errs.push(...validateEnvVarValueFrom(ev, child(idxPath, 'valueFrom')));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(envFrom).forEach((e, i) => {
    const ev = obj(e);
    const idxPath = index(path, i);
    const prefix = str(ev.prefix);
    if (prefix.length > 0) for (const msg of isRelaxedEnvVarName(prefix)) errs.push(invalidValue(child(idxPath, 'prefix'), prefix, msg));
    let numSources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (!isSet(ev[kind])) continue;
      numSources++;
      const name = str(obj(ev[kind]).name);
      const p = child(child(idxPath, kind), 'name');
      if (name.length === 0) errs.push(required(p));
      else for (const msg of nameIsDNSSubdomain(name, true)) errs.push(invalidValue(p, name, msg));
    }
    if (numSources === 0) errs.push(invalidValue(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (numSources > 1) errs.push(invalidValue(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(ctr: Json, vols: Map<string, Json>, path: string): Errs {
  const errs: Errs = [];
  const devices = new Map<string, string>();
  for (const d of arr(ctr.volumeDevices)) devices.set(str(obj(d).name), str(obj(d).devicePath));
  const mountpoints = new Set<string>();
  const privileged = obj(ctr.securityContext).privileged === true;
  arr(ctr.volumeMounts).forEach((m, i) => {
    const mnt = obj(m);
    const idxPath = index(path, i);
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (name.length === 0) errs.push(required(child(idxPath, 'name')));
    if (!vols.has(name)) errs.push(notFound(child(idxPath, 'name'), name));
    if (mountPath.length === 0) errs.push(required(child(idxPath, 'mountPath')));
    if (mountpoints.has(mountPath)) errs.push(invalidValue(child(idxPath, 'mountPath'), mountPath, 'must be unique'));
    mountpoints.add(mountPath);
    if (devices.has(name)) errs.push(invalidValue(child(idxPath, 'name'), name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(mountPath)) {
      errs.push(invalidValue(child(idxPath, 'mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    }
    const subPath = str(mnt.subPath);
    const subPathExpr = str(mnt.subPathExpr);
    const vol = vols.get(name);
    if (vol && isSet(vol.image)) {
      if (subPath.length !== 0) errs.push(invalidValue(child(idxPath, 'subPath'), subPath, 'not allowed in image volume sources'));
      if (subPathExpr.length !== 0) errs.push(invalidValue(child(idxPath, 'subPathExpr'), subPathExpr, 'not allowed in image volume sources'));
    }
    // (sic: these two use the list's path, not the item's)
    if (subPath.length > 0) errs.push(...validateLocalDescendingPath(subPath, child(path, 'subPath')));
    if (subPathExpr.length > 0) {
      if (subPath.length > 0) errs.push(invalidValue(child(idxPath, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, child(path, 'subPathExpr')));
    }
    if (isSet(mnt.mountPropagation)) {
      const mp = str(mnt.mountPropagation);
      const p = child(path, 'mountPropagation');
      if (!MOUNT_PROPAGATIONS.includes(mp)) errs.push(notSupported(p, mp, MOUNT_PROPAGATIONS));
      if (mp === 'Bidirectional' && !privileged) errs.push(forbidden(p, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    if (isSet(mnt.recursiveReadOnly)) {
      const rro = str(mnt.recursiveReadOnly);
      const p = child(path, 'recursiveReadOnly');
      if (!RECURSIVE_READ_ONLY.includes(rro)) errs.push(notSupported(p, rro, RECURSIVE_READ_ONLY));
      else if (rro !== 'Disabled') {
        if (mnt.readOnly !== true) errs.push(forbidden(p, 'may only be specified when readOnly is true'));
        if (isSet(mnt.mountPropagation) && mnt.mountPropagation !== 'None') {
          errs.push(forbidden(p, 'may only be specified when mountPropagation is None or not specified'));
        }
      }
    }
  });
  return errs;
}

function validateVolumeDevices(ctr: Json, vols: Map<string, Json>, path: string): Errs {
  const errs: Errs = [];
  const mounts = new Map<string, string>();
  for (const m of arr(ctr.volumeMounts)) mounts.set(str(obj(m).name), str(obj(m).mountPath));
  const names = new Set<string>();
  const paths = new Set<string>();
  arr(ctr.volumeDevices).forEach((d, i) => {
    const dev = obj(d);
    const idxPath = index(path, i);
    const name = str(dev.name);
    const devicePath = str(dev.devicePath);
    const vol = vols.get(name);
    const isPVC = vol !== undefined && (isSet(vol.persistentVolumeClaim) || isSet(vol.ephemeral));
    if (name.length === 0) errs.push(required(child(idxPath, 'name')));
    if (names.has(name)) errs.push(invalidValue(child(idxPath, 'name'), name, 'must be unique'));
    if (vol !== undefined && !isPVC) {
      errs.push(invalidValue(child(idxPath, 'name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (vol === undefined) errs.push(notFound(child(idxPath, 'name'), name));
    if (devicePath.length === 0) errs.push(required(child(idxPath, 'devicePath')));
    if (paths.has(devicePath)) errs.push(invalidValue(child(idxPath, 'devicePath'), devicePath, 'must be unique'));
    if (devicePath.length > 0 && devicePath.split('/').includes('..')) {
      errs.push(invalidValue(child(idxPath, 'devicePath'), devicePath, "can not contain backsteps ('..')"));
    } else {
      paths.add(devicePath);
    }
    if (mounts.has(name)) errs.push(invalidValue(child(idxPath, 'name'), name, 'must not already exist in volumeMounts'));
    if ([...mounts.values()].includes(devicePath)) {
      errs.push(invalidValue(child(idxPath, 'devicePath'), devicePath, 'must not already exist as a path in volumeMounts'));
    }
    if (name.length > 0) names.add(name);
  });
  return errs;
}

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const APPARMOR_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

function validateSeccompProfile(sp: unknown, path: string): Errs {
  if (!isSet(sp)) return [];
  const errs: Errs = [];
  const profile = obj(sp);
  const type = str(profile.type);
  if (type === '') errs.push(required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(notSupported(child(path, 'type'), type, SECCOMP_TYPES));
  if (type === 'Localhost') {
    if (!isSet(profile.localhostProfile)) errs.push(required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(str(profile.localhostProfile), child(path, 'localhostProfile')));
  } else if (isSet(profile.localhostProfile)) {
    errs.push(invalidValue(child(path, 'localhostProfile'), profile, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfile(ap: unknown, path: string): Errs {
  if (!isSet(ap)) return [];
  const errs: Errs = [];
  const profile = obj(ap);
  const type = str(profile.type);
  if (type === 'Localhost') {
    if (!isSet(profile.localhostProfile)) {
      errs.push(required(child(path, 'localhostProfile'), 'must be set when AppArmor type is Localhost'));
    } else {
      const lp = str(profile.localhostProfile);
      if (lp.trim() !== lp) errs.push(invalidValue(child(path, 'localhostProfile'), lp, 'must not be padded with whitespace'));
      else if (lp === '') errs.push(required(child(path, 'localhostProfile'), 'must be set when AppArmor type is Localhost'));
      if (byteLength(lp) > 4095) errs.push(tooLong(child(path, 'localhostProfile'), 4095));
    }
  } else if (type === 'RuntimeDefault' || type === 'Unconfined') {
    if (isSet(profile.localhostProfile)) {
      errs.push(invalidValue(child(path, 'localhostProfile'), str(profile.localhostProfile), 'can only be set when AppArmor type is Localhost'));
    }
  } else if (type === '') {
    errs.push(required(child(path, 'type'), 'type is required when appArmorProfile is set'));
  } else {
    errs.push(notSupported(child(path, 'type'), type, APPARMOR_TYPES));
  }
  return errs;
}

/** ValidateSecurityContext for one container (privileged containers are allowed, as in most clusters). */
function validateSecurityContext(scValue: unknown, path: string, hostUsers: boolean): Errs {
  if (!isSet(scValue)) return [];
  const errs: Errs = [];
  const sc = obj(scValue);
  if (typeof sc.runAsUser === 'number') for (const msg of isValidID(sc.runAsUser)) errs.push(invalidValue(child(path, 'runAsUser'), sc.runAsUser, msg));
  if (typeof sc.runAsGroup === 'number') for (const msg of isValidID(sc.runAsGroup)) errs.push(invalidValue(child(path, 'runAsGroup'), sc.runAsGroup, msg));
  if (isSet(sc.procMount)) {
    const pm = str(sc.procMount);
    if (pm !== 'Default' && pm !== 'Unmasked') errs.push(notSupported(child(path, 'procMount'), pm, ['Default', 'Unmasked']));
    if (hostUsers && pm === 'Unmasked') errs.push(invalidValue(child(path, 'procMount'), pm, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of arr(obj(sc.capabilities).add)) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(path, 'appArmorProfile')));
  return errs;
}

/** validateContainerCommon: what regular, init and ephemeral containers share. */
function validateContainerCommon(ctr: Json, vols: Map<string, Json>, path: string, hostUsers: boolean): Errs {
  const errs: Errs = [];
  const namePath = child(path, 'name');
  const name = str(ctr.name);
  if (name.length === 0) errs.push(required(namePath));
  else for (const msg of isDNS1123Label(name)) errs.push(invalidValue(namePath, name, msg));
  if (str(ctr.image).length === 0) errs.push(required(child(path, 'image')));
  const tmp = str(ctr.terminationMessagePolicy);
  if (tmp !== '' && !TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateContainerPorts(ctr.ports, child(path, 'ports')));
  errs.push(...validateEnv(ctr.env, child(path, 'env')));
  errs.push(...validateEnvFrom(ctr.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(ctr, vols, child(path, 'volumeMounts')));
  errs.push(...validateVolumeDevices(ctr, vols, child(path, 'volumeDevices')));
  const pull = str(ctr.imagePullPolicy);
  if (pull !== '' && !PULL_POLICIES.includes(pull)) errs.push(notSupported(child(path, 'imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateResources(ctr.resources, child(path, 'resources')));
  errs.push(...validateSecurityContext(ctr.securityContext, child(path, 'securityContext'), hostUsers));
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): Errs {
  const errs: Errs = [];
  if (typeof port === 'number') for (const msg of isValidPortNum(port)) errs.push(invalidValue(path, port, msg));
  else if (typeof port === 'string') for (const msg of isValidPortName(port)) errs.push(invalidValue(path, port, msg));
  else errs.push(invalidValue(path, 0, inclusiveRangeError(1, 65535)));
  return errs;
}

function validateHandler(h: Json, gracePeriod: number, path: string, kinds: readonly string[]): Errs {
  const errs: Errs = [];
  let numHandlers = 0;
  for (const kind of kinds) {
    if (!isSet(h[kind])) continue;
    const p = child(path, kind);
    if (numHandlers > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    numHandlers++;
    const action = obj(h[kind]);
    switch (kind) {
      case 'exec':
        if (arr(action.command).length === 0) errs.push(required(child(p, 'command')));
        break;
      case 'httpGet': {
        errs.push(...validatePortNumOrName(action.port, child(p, 'port')));
        const scheme = str(action.scheme);
        if (scheme !== '' && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(child(p, 'scheme'), scheme, ['HTTP', 'HTTPS']));
        for (const header of arr(action.httpHeaders)) {
          const name = str(obj(header).name);
          if (!httpHeaderNameRegexp.test(name)) {
            errs.push(invalidValue(child(p, 'httpHeaders'), name, regexError(HTTP_HEADER_NAME_ERR_MSG, HTTP_HEADER_NAME_FMT, 'X-Header-Name')));
          }
        }
        break;
      }
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(action.port, child(p, 'port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof action.port === 'number' ? action.port : 0, child(p, 'port')));
        break;
      case 'sleep': {
        const seconds = typeof action.seconds === 'number' ? action.seconds : 0;
        if (seconds <= 0 || seconds > gracePeriod) {
          errs.push(
            invalidValue(
              p,
              seconds,
              `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
            ),
          );
        }
        break;
      }
    }
  }
  if (numHandlers === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probeValue: unknown, gracePeriod: number, path: string, kind: 'liveness' | 'readiness' | 'startup'): Errs {
  if (!isSet(probeValue)) return [];
  const errs: Errs = [];
  const probe = obj(probeValue);
  errs.push(...validateHandler(probe, gracePeriod, path, PROBE_HANDLERS));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = probe[f];
    if (typeof v === 'number' && v < 0) errs.push(invalidValue(child(path, f), v, 'must be greater than or equal to 0'));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidValue(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind === 'readiness' && isSet(probe.terminationGracePeriodSeconds)) {
    errs.push(invalidValue(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  // successThreshold defaults to 1
  if (kind !== 'readiness' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 0 && probe.successThreshold !== 1) {
    errs.push(invalidValue(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lcValue: unknown, gracePeriod: number, path: string): Errs {
  const errs: Errs = [];
  const lc = obj(lcValue);
  for (const hook of ['postStart', 'preStop']) {
    if (isSet(lc[hook])) errs.push(...validateHandler(obj(lc[hook]), gracePeriod, child(path, hook), LIFECYCLE_HANDLERS));
  }
  return errs;
}

function hostPortConflicts(containers: Json[], path: string, accumulator = new Set<string>()): Errs {
  const errs: Errs = [];
  containers.forEach((ctr, ci) => {
    arr(ctr.ports).forEach((p, pi) => {
      const port = obj(p);
      const hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
      if (hostPort === 0) return;
      const id = `${str(port.protocol) || 'TCP'}/${str(port.hostIP)}/${hostPort}`;
      if (accumulator.has(id)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), id));
      else accumulator.add(id);
    });
  });
  return errs;
}

function validateContainers(containers: Json[], vols: Map<string, Json>, gracePeriod: number, path: string, hostUsers: boolean): Errs {
  const errs: Errs = [];
  if (containers.length === 0) return [required(path)];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, vols, p, hostUsers));
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    if (isSet(ctr.lifecycle)) errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, child(p, 'lifecycle')));
    errs.push(...validateProbe(ctr.livenessProbe, gracePeriod, child(p, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(ctr.readinessProbe, gracePeriod, child(p, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(ctr.startupProbe, gracePeriod, child(p, 'startupProbe'), 'startup'));
    if (isSet(ctr.restartPolicy)) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(
  initContainers: Json[],
  containers: Json[],
  vols: Map<string, Json>,
  gracePeriod: number,
  path: string,
  hostUsers: boolean,
): Errs {
  const errs: Errs = [];
  const names = new Set(containers.map((c) => str(c.name)));
  initContainers.forEach((ctr, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ctr, vols, p, hostUsers));
    let restartAlways = false;
    if (isSet(ctr.restartPolicy)) {
      const rp = str(ctr.restartPolicy);
      if (rp !== 'Always') errs.push(notSupported(child(p, 'restartPolicy'), rp, ['Always']));
      restartAlways = rp === 'Always';
    }
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else if (name.length > 0) names.add(name);
    // init containers run one by one: host ports only conflict within one (which the
    // apiserver then reports as initContainers[0], whatever its index)
    errs.push(...hostPortConflicts([ctr], path));
    if (restartAlways) {
      if (isSet(ctr.lifecycle)) errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, child(p, 'lifecycle')));
      errs.push(...validateProbe(ctr.livenessProbe, gracePeriod, child(p, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(ctr.readinessProbe, gracePeriod, child(p, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(ctr.startupProbe, gracePeriod, child(p, 'startupProbe'), 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isSet(ctr[f])) errs.push(forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/**
 * The EphemeralContainerCommon fields in declaration order (the order the
 * errors come in), whether an ephemeral container may set them
 * (allowedEphemeralContainerFields), and the Go shape that decides what "set"
 * means: the apiserver compares each with its zero value by reflect.DeepEqual,
 * so an empty but present list or map ([] / {}) counts as set.
 */
const EPHEMERAL_CONTAINER_FIELDS: Array<[string, boolean, 'scalar' | 'list' | 'pointer' | 'struct']> = [
  ['name', true, 'scalar'],
  ['image', true, 'scalar'],
  ['command', true, 'list'],
  ['args', true, 'list'],
  ['workingDir', true, 'scalar'],
  ['ports', false, 'list'],
  ['envFrom', true, 'list'],
  ['env', true, 'list'],
  ['resources', false, 'struct'],
  ['resizePolicy', false, 'list'],
  ['restartPolicy', false, 'pointer'],
  ['volumeMounts', true, 'list'],
  ['volumeDevices', true, 'list'],
  ['livenessProbe', false, 'pointer'],
  ['readinessProbe', false, 'pointer'],
  ['startupProbe', false, 'pointer'],
  ['lifecycle', false, 'pointer'],
  ['terminationMessagePath', true, 'scalar'],
  ['terminationMessagePolicy', true, 'scalar'],
  ['imagePullPolicy', true, 'scalar'],
  ['securityContext', true, 'pointer'],
  ['stdin', true, 'scalar'],
  ['stdinOnce', true, 'scalar'],
  ['tty', true, 'scalar'],
];

/** Whether a JSON value decodes to the Go zero value of its field (reflect.DeepEqual with the zero). */
function isGoZero(value: unknown, shape: 'scalar' | 'list' | 'pointer' | 'struct'): boolean {
  if (value === undefined || value === null) return true;
  switch (shape) {
    case 'scalar':
      return value === '' || value === false || value === 0;
    case 'list':
    case 'pointer':
      return false; // a present list (even []) is non-nil; a present object is a non-nil pointer
    case 'struct':
      // ResourceRequirements: limits / requests (maps) and claims (slice); {} is the zero value
      return isObj(value) && Object.values(value).every((v) => v === undefined || v === null);
  }
}

function validateEphemeralContainers(
  ephemeral: Json[],
  containers: Json[],
  initContainers: Json[],
  vols: Map<string, Json>,
  path: string,
  hostUsers: boolean,
): Errs {
  const errs: Errs = [];
  if (ephemeral.length === 0) return errs;
  const otherNames = new Set<string>();
  const allNames = new Set<string>();
  for (const c of [...containers, ...initContainers]) {
    otherNames.add(str(c.name));
    allNames.add(str(c.name));
  }
  ephemeral.forEach((ec, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ec, vols, p, hostUsers));
    errs.push(...validateContainerOnlyForPod(ec, p));
    const name = str(ec.name);
    if (allNames.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else allNames.add(name);
    const target = str(ec.targetContainerName);
    if (target !== '' && !otherNames.has(target)) errs.push(notFound(child(p, 'targetContainerName'), target));
    for (const [field, allowed, shape] of EPHEMERAL_CONTAINER_FIELDS) {
      if (allowed) continue;
      if (!isGoZero(ec[field], shape)) errs.push(forbidden(child(p, field), 'cannot be set for an Ephemeral Container'));
    }
    arr(ec.volumeMounts).forEach((m, mi) => {
      const vm = obj(m);
      const vmPath = index(child(p, 'volumeMounts'), mi);
      if (str(vm.subPath) !== '') errs.push(forbidden(child(vmPath, 'subPath'), 'cannot be set for an Ephemeral Container'));
      if (str(vm.subPathExpr) !== '') errs.push(forbidden(child(vmPath, 'subPathExpr'), 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

function validateContainerOnlyForPod(ctr: Json, path: string): Errs {
  const image = str(ctr.image);
  if (image.length !== image.trim().length) return [invalidValue(child(path, 'image'), image, 'must not have leading or trailing whitespace')];
  return [];
}

// ---------------------------------------------------------------------------
// Pod spec

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];
const SUPPLEMENTAL_GROUPS_POLICIES = ['Merge', 'Strict'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const SYSCTL_SEGMENT_FMT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_FMT = `(${SYSCTL_SEGMENT_FMT}[\\./])*${SYSCTL_SEGMENT_FMT}`;
const sysctlRegexp = whole(SYSCTL_FMT);

function validateTolerations(tolerations: unknown, path: string): Errs {
  const errs: Errs = [];
  arr(tolerations).forEach((t, i) => {
    const tol = obj(t);
    const idxPath = index(path, i);
    const tolKey = str(tol.key);
    const operator = str(tol.operator);
    const value = str(tol.value);
    const effect = str(tol.effect);
    if (tolKey.length > 0) for (const msg of isQualifiedName(tolKey)) errs.push(invalidValue(child(idxPath, 'key'), tolKey, msg));
    if (tolKey.length === 0 && operator !== 'Exists') {
      errs.push(invalidValue(child(idxPath, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(tol.tolerationSeconds) && effect !== 'NoExecute') {
      errs.push(invalidValue(child(idxPath, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length !== 0) errs.push(invalidValue(child(idxPath, 'operator'), value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value.length > 0) errs.push(invalidValue(child(idxPath, 'operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(idxPath, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (effect.length > 0 && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(child(idxPath, 'effect'), effect, TAINT_EFFECTS));
  });
  return errs;
}

function validatePodSecurityContext(spec: Json, path: string): Errs {
  const errs: Errs = [];
  const sc = obj(spec.securityContext);
  const scPath = child(path, 'securityContext');
  if (typeof sc.fsGroup === 'number') for (const msg of isValidID(sc.fsGroup)) errs.push(invalidValue(child(scPath, 'fsGroup'), sc.fsGroup, msg));
  if (typeof sc.runAsUser === 'number') for (const msg of isValidID(sc.runAsUser)) errs.push(invalidValue(child(scPath, 'runAsUser'), sc.runAsUser, msg));
  if (typeof sc.runAsGroup === 'number') for (const msg of isValidID(sc.runAsGroup)) errs.push(invalidValue(child(scPath, 'runAsGroup'), sc.runAsGroup, msg));
  arr(sc.supplementalGroups).forEach((g, i) => {
    if (typeof g === 'number') for (const msg of isValidID(g)) errs.push(invalidValue(index(child(scPath, 'supplementalGroups'), i), g, msg));
  });
  // the internal PodSecurityContext carries hostPID and shareProcessNamespace, hence this path
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalidValue(child(scPath, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const sysctlNames = new Set<string>();
  arr(sc.sysctls).forEach((s, i) => {
    const name = str(obj(s).name);
    const p = child(index(child(scPath, 'sysctls'), i), 'name');
    if (name.length === 0) errs.push(required(p));
    else if (byteLength(name) > 253 || !sysctlRegexp.test(name)) {
      errs.push(invalidValue(p, name, `must have at most 253 characters and match regex ^${SYSCTL_FMT}$`));
    } else if (sysctlNames.has(name)) errs.push(duplicate(p, name));
    if (spec.hostNetwork === true && (name.startsWith('net.') || name.startsWith('net/'))) {
      errs.push(invalidValue(p, name, "may not be specified when 'hostNetwork' is true"));
    } else if (spec.hostIPC === true && (/^(kernel[./](shm|msg|sem)|fs[./]mqueue[./])/.test(name))) {
      errs.push(invalidValue(p, name, "may not be specified when 'hostIPC' is true"));
    }
    sysctlNames.add(name);
  });
  if (isSet(sc.fsGroupChangePolicy) && !FS_GROUP_CHANGE_POLICIES.includes(str(sc.fsGroupChangePolicy))) {
    errs.push(notSupported(child(scPath, 'fsGroupChangePolicy'), str(sc.fsGroupChangePolicy), FS_GROUP_CHANGE_POLICIES));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(scPath, 'seccompProfile')));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, child(scPath, 'appArmorProfile')));
  if (isSet(sc.supplementalGroupsPolicy) && !SUPPLEMENTAL_GROUPS_POLICIES.includes(str(sc.supplementalGroupsPolicy))) {
    errs.push(notSupported(child(scPath, 'supplementalGroupsPolicy'), str(sc.supplementalGroupsPolicy), SUPPLEMENTAL_GROUPS_POLICIES));
  }
  return errs;
}

const jsonList = (v: unknown): Json[] => arr(v).map(obj);

/** ValidatePodSpec (as for a Pod: ResourceIsPod), on a v1 spec as JSON. */
function validatePodSpec(specValue: unknown, path: string): Errs {
  const spec = obj(specValue);
  const errs: Errs = [];
  const gracePeriod = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  const hostUsers = spec.hostUsers !== false;

  const { vols, errs: volErrs } = validateVolumes(spec.volumes, child(path, 'volumes'));
  errs.push(...volErrs);
  const containers = jsonList(spec.containers);
  const initContainers = jsonList(spec.initContainers);
  const ephemeral = jsonList(spec.ephemeralContainers);
  errs.push(...validateContainers(containers, vols, gracePeriod, child(path, 'containers'), hostUsers));
  errs.push(...validateInitContainers(initContainers, containers, vols, gracePeriod, child(path, 'initContainers'), hostUsers));
  errs.push(...validateEphemeralContainers(ephemeral, containers, initContainers, vols, child(path, 'ephemeralContainers'), hostUsers));

  // hostNetwork: a pod's hostPort must equal its containerPort (0 is defaulted to it)
  if (spec.hostNetwork === true) {
    containers.forEach((ctr, i) => {
      arr(ctr.ports).forEach((p, pi) => {
        const port = obj(p);
        const hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
        if (hostPort !== 0 && hostPort !== port.containerPort) {
          errs.push(
            invalidValue(child(index(child(index(child(path, 'containers'), i), 'ports'), pi), 'hostPort'), hostPort, 'must match `containerPort` when `hostNetwork` is true'),
          );
        }
      });
    });
  }

  const restartPolicy = str(spec.restartPolicy);
  if (restartPolicy !== '' && !RESTART_POLICIES.includes(restartPolicy)) {
    errs.push(notSupported(child(path, 'restartPolicy'), restartPolicy, RESTART_POLICIES));
  }
  const dnsPolicy = str(spec.dnsPolicy);
  if (dnsPolicy !== '' && !DNS_POLICIES.includes(dnsPolicy)) errs.push(notSupported(child(path, 'dnsPolicy'), dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, path));
  if (dnsPolicy === 'None') {
    if (!isSet(spec.dnsConfig)) errs.push(required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (arr(obj(spec.dnsConfig).nameservers).length === 0) {
      errs.push(required(child(child(path, 'dnsConfig'), 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }
  jsonList(spec.readinessGates).forEach((g, i) => {
    const t = str(g.conditionType);
    for (const msg of isQualifiedName(t)) errs.push(invalidValue(child(index(child(path, 'readinessGates'), i), 'conditionType'), t, msg));
  });
  const gates = new Set<string>();
  jsonList(spec.schedulingGates).forEach((g, i) => {
    const name = str(g.name);
    const p = index(child(path, 'schedulingGates'), i);
    for (const msg of isQualifiedName(name)) errs.push(invalidValue(p, name, msg));
    if (gates.has(name)) errs.push(duplicate(p, name));
    gates.add(name);
  });
  if (!hostUsers) {
    if (spec.hostNetwork === true) errs.push(forbidden(child(path, 'hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID === true) errs.push(forbidden(child(path, 'HostPID'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC === true) errs.push(forbidden(child(path, 'HostIPC'), 'when `pod.Spec.HostUsers` is false'));
  }
  const checkName = (field: string, fn: NameValidator) => {
    const value = str(spec[field]);
    if (value.length > 0) for (const msg of fn(value, false)) errs.push(invalidValue(child(path, field), value, msg));
  };
  checkName('serviceAccountName', nameIsDNSSubdomain);
  checkName('nodeName', nameIsDNSSubdomain);
  if (isSet(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds as number;
    if (!(v >= 1 && v <= 2147483647)) errs.push(invalidValue(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, 2147483647)));
  }
  for (const field of ['hostname', 'subdomain']) {
    const value = str(spec[field]);
    if (value.length > 0) for (const msg of isDNS1123Label(value)) errs.push(invalidValue(child(path, field), value, msg));
  }
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  checkName('priorityClassName', nameIsDNSSubdomain);
  if (isSet(spec.runtimeClassName)) {
    const v = str(spec.runtimeClassName);
    for (const msg of nameIsDNSSubdomain(v, false)) errs.push(invalidValue(child(path, 'runtimeClassName'), v, msg));
  }
  if (isSet(spec.preemptionPolicy) && !PREEMPTION_POLICIES.includes(str(spec.preemptionPolicy))) {
    errs.push(notSupported(child(path, 'preemptionPolicy'), str(spec.preemptionPolicy), PREEMPTION_POLICIES));
  }
  if (isSet(spec.os)) {
    const os = str(obj(spec.os).name);
    if (os === '') errs.push(required(child(child(path, 'os'), 'name')));
    else if (os !== 'linux' && os !== 'windows') errs.push(notSupported(child(child(path, 'os'), 'name'), os, ['linux', 'windows']));
  }
  return errs;
}

/** validatePodMetadataAndSpec: the checks ValidatePodCreate and the update paths share. */
function validatePodMetadataAndSpec(pod: Pod): Errs {
  const errs = validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpec(pod.spec, 'spec'));
  const spec = obj(pod.spec);
  jsonList(spec.containers).forEach((c, i) => errs.push(...validateContainerOnlyForPod(c, index('spec.containers', i))));
  jsonList(spec.initContainers).forEach((c, i) => errs.push(...validateContainerOnlyForPod(c, index('spec.initContainers', i))));
  return errs;
}

/**
 * ValidatePodCreate: metadata (name, namespace, labels, annotations), the spec
 * (containers, init containers, volumes and mounts, ports, env, probes, security
 * contexts, tolerations, …), no ephemeral containers (`spec.ephemeralContainers:
 * Forbidden: cannot be set on create`), no nodeName while scheduling gates remain.
 * The pod's namespace must already be set (the apiserver takes it from the URL).
 */
export function validatePodCreate(pod: Pod): StatusCause[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = obj(pod.spec);
  if (arr(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) !== '' && arr(spec.schedulingGates).length !== 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

// ---------------------------------------------------------------------------
// The ephemeralcontainers subresource

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * What the ephemeralcontainers subresource stores (podEphemeralContainersStrategy
 * .PrepareForUpdate → dropNonEphemeralContainerUpdates): the old pod with only
 * name, namespace, resourceVersion, uid and spec.ephemeralContainers taken from
 * the new one (an empty uid keeps the old). Any other change in the request is
 * silently dropped, not refused.
 */
export function prepareEphemeralContainersUpdate(oldPod: Pod, newPod: Pod): Pod {
  const pod = structuredClone(oldPod);
  pod.metadata.name = newPod.metadata.name;
  if (newPod.metadata.namespace === undefined) delete pod.metadata.namespace;
  else pod.metadata.namespace = newPod.metadata.namespace;
  if (newPod.metadata.resourceVersion === undefined) delete pod.metadata.resourceVersion;
  else pod.metadata.resourceVersion = newPod.metadata.resourceVersion;
  // rest.BeforeUpdate: an empty uid keeps the stored one
  if (newPod.metadata.uid) pod.metadata.uid = newPod.metadata.uid;
  const ephemeral = newPod.spec?.ephemeralContainers;
  if (ephemeral === undefined) delete pod.spec.ephemeralContainers;
  else pod.spec.ephemeralContainers = structuredClone(ephemeral);
  return pod;
}

/**
 * Normalizes a container to what Go's apiequality.Semantic.DeepEqual compares:
 * null ≡ absent; empty lists and maps ≡ absent; "", false and 0 ≡ absent for
 * non-pointer fields; `resources: {}` ≡ absent. Inside securityContext every
 * field is a pointer, so false / 0 / {} stay significant there.
 */
function semanticForm(value: unknown, pointerScalars = false, pointerObject = false): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((v) => semanticForm(v, pointerScalars) ?? null);
  }
  if (isObj(value)) {
    const out: Json = {};
    for (const k of Object.keys(value).sort()) {
      const inSecurity = pointerScalars || k === 'securityContext';
      const isPointerObject = inSecurity || POINTER_OBJECT_FIELDS.has(k);
      const v = semanticForm(value[k], inSecurity, isPointerObject);
      if (v !== undefined) out[k] = v;
    }
    if (Object.keys(out).length === 0 && !pointerObject) return undefined;
    return out;
  }
  if (!pointerScalars && (value === '' || value === false || value === 0)) return undefined;
  return value;
}

/** Container fields (and nested ones) that are Go pointers to structs: {} there is not nil. */
const POINTER_OBJECT_FIELDS = new Set([
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'postStart',
  'preStop',
  'exec',
  'httpGet',
  'tcpSocket',
  'grpc',
  'sleep',
  'valueFrom',
  'fieldRef',
  'resourceFieldRef',
  'configMapKeyRef',
  'secretKeyRef',
  'configMapRef',
  'secretRef',
]);

function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(semanticForm(a)) === JSON.stringify(semanticForm(b));
}

/** A short field-by-field account of what changed, standing in for the apiserver's cmp.Diff. */
function describeChange(oldC: Json, newC: Json): string {
  const a = obj(semanticForm(oldC));
  const b = obj(semanticForm(newC));
  const lines: string[] = [];
  for (const k of sorted(new Set([...Object.keys(a), ...Object.keys(b)]))) {
    const before = JSON.stringify(a[k]);
    const after = JSON.stringify(b[k]);
    if (before === after) continue;
    if (before !== undefined) lines.push(`-\t${k}: ${before}`);
    if (after !== undefined) lines.push(`+\t${k}: ${after}`);
  }
  return lines.join('\n');
}

/**
 * ValidatePodEphemeralContainersUpdate, for the ephemeralcontainers subresource.
 * Validates the pod as it would be stored (prepareEphemeralContainersUpdate: any
 * change outside spec.ephemeralContainers is dropped, as the apiserver drops it):
 * the whole pod spec (so the ephemeral containers get every container check —
 * names DNS labels and unique across all containers, image required,
 * targetContainerName naming a container or init container, volume mounts
 * naming pod volumes, terminationMessagePolicy values — plus the ephemeral-only
 * rules: no ports, resources (an empty `resources: {}` is fine), resizePolicy,
 * restartPolicy, probes, lifecycle, subPath or subPathExpr:
 * `Forbidden: cannot be set for an Ephemeral Container`), then that existing
 * ephemeral containers are neither removed nor changed. As in the apiserver,
 * those two messages end in a newline (and "changed" is followed by a diff).
 */
export function validateEphemeralContainersUpdate(oldPod: Pod, newPod: Pod): StatusCause[] {
  const pod = prepareEphemeralContainersUpdate(oldPod, newPod);
  // ValidateObjectMetaUpdate: what prepare took from the new pod may not differ
  const errs: Errs = [];
  for (const f of ['name', 'namespace', 'uid'] as const) {
    const before = str(oldPod.metadata[f]);
    const after = str(pod.metadata[f]);
    if (before !== after) errs.push(invalidValue(`metadata.${f}`, after, 'field is immutable'));
  }
  errs.push(...validatePodMetadataAndSpec(pod));
  if (Object.prototype.hasOwnProperty.call(oldPod.metadata.annotations ?? {}, MIRROR_POD_ANNOTATION)) {
    return [forbidden('', 'static pods do not support ephemeral containers')];
  }
  const newIndex = new Map<string, ContainerSpec>();
  for (const c of pod.spec.ephemeralContainers ?? []) newIndex.set(c.name, c);
  for (const old of oldPod.spec.ephemeralContainers ?? []) {
    const current = newIndex.get(old.name);
    if (current === undefined) {
      errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${goQuote(old.name)} may not be removed\n`));
    } else if (!semanticEqual(old, current)) {
      errs.push(
        forbidden(
          'spec.ephemeralContainers',
          `existing ephemeral containers ${goQuote(old.name)} may not be changed\n${describeChange(old as Json, current as Json)}`,
        ),
      );
    }
  }
  return errs;
}
