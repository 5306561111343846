// The dev cluster's OpenAPI v3 documents (GET /openapi/v3, /openapi/v3/<gv>) and the
// server-side field validation (?fieldValidation=Strict|Warn|Ignore) they advertise.
//
// Why kubectl needs them (facts read in kubectl v1.32 / client-go / kube-openapi, not copied):
// - Before create/replace/apply/edit, kubectl's QueryParamVerifierV3 reads the root
//   document `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}`,
//   then the group-version document, and walks its paths for a PATCH operation whose
//   `x-kubernetes-group-version-kind` (one object) is the object's GVK. The first such
//   operation decides: a `fieldValidation` parameter among the operation's own
//   parameters means "the server validates" and kubectl sends ?fieldValidation=Strict;
//   otherwise it falls back to OpenAPI v2 and client-side validation. Every PATCH
//   operation of a kind (its subresources' too) must therefore say the same.
// - Client-side apply then looks for a PATCH operation of the GVK whose requestBody
//   lists application/strategic-merge-patch+json, finds the components/schemas entry
//   whose `x-kubernetes-group-version-kind` (a list) holds the GVK, and computes the
//   three-way strategic merge patch from that schema: it walks `properties` (following
//   `$ref`, `allOf[0]` and `items`) for every map and list present in the manifest,
//   reading `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy`. A field
//   missing from the schema makes kubectl warn ("error calculating patch from openapi
//   v3 spec") and fall back to its compiled-in types, so the schemas here are complete
//   structural schemas, not permissive placeholders.
// - `kubectl explain` finds the GVK on the resource's path operations and renders the
//   component schema carrying it.
// - Caching (kube-openapi handler3): the root carries an ETag (quoted, upper-case hex
//   SHA-512 of the body); each group-version document is addressed with
//   `?hash=<its ETag>`; a matching hash is answered with `Cache-Control: public,
//   immutable` and a year's Expires (kubectl keeps it in ~/.kube/cache/http), a stale
//   hash with a 301 to the current URL; If-None-Match gets a 304.
//
// Where the structure comes from: the model classes of @kubernetes/client-node (field
// names, types and formats from `attributeTypeMap`, descriptions and required fields
// from the generated .d.ts), which are generated from the Kubernetes OpenAPI document
// (v1.34: a superset of v1.32's fields). The patch metadata is the dev cluster's own
// (patch.ts PATCH_SCHEMA), so kubectl computes patches with the merge keys the server
// applies them with. The documents are built once, on the first OpenAPI request (a few
// hundred milliseconds, reading the generated model files as data).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KUBERNETES_VERSION, RESOURCES, type ServedResource } from './resources';
import { PATCH_SCHEMA, SUPPORTED_PATCH_TYPES, STRATEGIC_MERGE_PATCH, type FieldPatchMeta } from './patch';
import { StatusError, badRequest, failure, fieldCause, goQuote, invalid } from './status';
import { sendStatus } from './http';
import type { ResourceKind } from './store';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Model catalog (the source of structure)
// ---------------------------------------------------------------------------

/** One field of a client-node model class, as its attributeTypeMap lists it. */
export interface ModelAttribute {
  name: string;
  /** The JSON field name. */
  baseName: string;
  /** e.g. `string`, `number`, `boolean`, `Date`, `any`, `IntOrString`, `V1Container`, `Array<T>`, `{ [key: string]: T; }` */
  type: string;
  /** e.g. `int32`, `int64`, `double`, `byte`, `date-time`, `int-or-string`, or empty. */
  format: string;
}

export interface Model {
  attributes: readonly ModelAttribute[];
  description?: string;
  /** JSON field name → description. */
  fieldDescriptions?: Readonly<Record<string, string>>;
  /** JSON field names that are required. */
  required?: readonly string[];
}

/** Looks a model class up by name (e.g. `V1Pod`, `CoreV1Event`); undefined when there is none. */
export type ModelCatalog = (className: string) => Model | undefined;

let clientNodeModels: ModelCatalog | undefined;

/**
 * The catalog of @kubernetes/client-node's generated models. Each model is read as data
 * from its generated files on first use (`<Class>.js` holds the attributeTypeMap as a
 * JSON array literal, `<Class>.d.ts` the descriptions): importing the package would
 * evaluate all of its 2,500 modules, which takes seconds under tsx.
 */
export function clientNodeCatalog(): ModelCatalog {
  if (clientNodeModels) return clientNodeModels;
  const require = createRequire(import.meta.url);
  const modelsDir = path.join(path.dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
  const cache = new Map<string, Model | undefined>();
  clientNodeModels = (className: string) => {
    if (cache.has(className)) return cache.get(className);
    let model: Model | undefined;
    if (/^\w+$/.test(className)) {
      const attributes = readAttributeTypeMap(path.join(modelsDir, `${className}.js`), className);
      if (attributes) model = { attributes, ...readDeclarations(path.join(modelsDir, `${className}.d.ts`)) };
    }
    cache.set(className, model);
    return model;
  };
  return clientNodeModels;
}

/** `X.attributeTypeMap = [ {"name": …, "baseName": …, "type": …, "format": …}, … ];` from a generated model module. */
export function parseAttributeTypeMap(source: string, className: string): ModelAttribute[] | undefined {
  const start = source.indexOf(`${className}.attributeTypeMap = [`);
  if (start < 0) return undefined;
  const open = source.indexOf('[', start);
  const close = source.indexOf('];', open);
  if (close < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(source.slice(open, close + 1));
    if (!Array.isArray(parsed)) return undefined;
    const ok = parsed.every((a) => a && typeof a.baseName === 'string' && typeof a.type === 'string' && typeof a.format === 'string');
    return ok ? (parsed as ModelAttribute[]) : undefined;
  } catch {
    return undefined;
  }
}

function readAttributeTypeMap(file: string, className: string): ModelAttribute[] | undefined {
  try {
    return parseAttributeTypeMap(readFileSync(file, 'utf8'), className);
  } catch {
    return undefined;
  }
}

/**
 * Descriptions and required fields from a generated model declaration:
 * a `/** … *\/` comment before `export declare class X` or before `'field'?: T;`,
 * and `'field': T;` (no `?`) for a required field.
 */
export function parseModelDeclaration(text: string): Pick<Model, 'description' | 'fieldDescriptions' | 'required'> {
  const fieldDescriptions: Record<string, string> = {};
  const required: string[] = [];
  let description: string | undefined;
  let comment: string[] | undefined;
  let pending: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (comment) {
      if (line.endsWith('*/')) {
        const last = line.slice(0, -2).replace(/^\*\s?/, '').trim();
        if (last) comment.push(last);
        pending = comment.join(' ').trim() || undefined;
        comment = undefined;
      } else {
        comment.push(line.replace(/^\*\s?/, '').trim());
      }
      continue;
    }
    if (line.startsWith('/**')) {
      const rest = line.slice(3);
      if (rest.trimEnd().endsWith('*/')) pending = rest.trimEnd().slice(0, -2).trim() || undefined;
      else comment = rest.trim() ? [rest.trim()] : [];
      continue;
    }
    if (/^export declare class /.test(line)) {
      description = pending;
      pending = undefined;
      continue;
    }
    const field = /^'([^']+)'(\?)?:/.exec(line);
    if (field) {
      if (pending) fieldDescriptions[field[1]] = pending;
      if (!field[2]) required.push(field[1]);
    }
    if (line) pending = undefined;
  }
  const unescape = (text: string) => text.replace(/\\(["'\\])/g, '$1');
  for (const [field, text] of Object.entries(fieldDescriptions)) fieldDescriptions[field] = unescape(text);
  return { description: description === undefined ? undefined : unescape(description), fieldDescriptions, required };
}

function readDeclarations(file: string): Pick<Model, 'description' | 'fieldDescriptions' | 'required'> {
  try {
    return parseModelDeclaration(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

const META_PACKAGE = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const PATCH_BODY = `${META_PACKAGE}.Patch`;
const META_TYPES = new Set([
  'ObjectMeta', 'ListMeta', 'OwnerReference', 'ManagedFieldsEntry', 'LabelSelector', 'LabelSelectorRequirement',
  'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions', 'Condition', 'FieldSelectorRequirement',
]);

/** `V1PodSpec` → `PodSpec`, `CoreV1Event` → `Event`, `RbacV1Subject` → `Subject`. */
export function modelShortName(className: string): string {
  return className.replace(/^[A-Za-z]*?V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

/** `CoreV1Event` → `io.k8s.api.core.v1`, `AuthenticationV1TokenRequest` → `io.k8s.api.authentication.v1`; undefined for `V1Pod`. */
function modelPackage(className: string): string | undefined {
  const m = /^([A-Z][a-z]+)(V\d+(?:(?:alpha|beta)\d+)?)[A-Z]/.exec(className);
  return m ? `io.k8s.api.${m[1].toLowerCase()}.${m[2].toLowerCase()}` : undefined;
}

/** The Go package of a group's types, as the apiserver names its definitions. */
function groupPackage(group: string, version: string): string {
  return `io.k8s.api.${group.split('.')[0] || 'core'}.${version}`;
}

function className(group: string, version: string, kind: string, catalog: ModelCatalog): string | undefined {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  const prefix = (group.split('.')[0] || 'core').replace(/^./, (c) => c.toUpperCase());
  return [`${prefix}${v}${kind}`, `${v}${kind}`].find((name) => catalog(name) !== undefined);
}

/** `rbac.authorization.k8s.io` → `RbacAuthorization`, `` → `Core` (as operationIds spell groups). */
function groupIdent(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `api/v1`, `apis/rbac.authorization.k8s.io/v1`: the keys of the root document. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Every served group-version, in RESOURCES order. */
export function servedGroupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(groupVersionPath(r.group, r.version), { group: r.group, version: r.version });
  return [...seen.values()];
}

// ---------------------------------------------------------------------------
// Component schemas
// ---------------------------------------------------------------------------

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const GVK_EXTENSION = 'x-kubernetes-group-version-kind';

/** Builds the components/schemas of one document from the model catalog. */
class SchemaBuilder {
  readonly schemas: Record<string, Json> = {};
  private readonly names = new Map<string, string>();

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly defaultPackage: string,
  ) {}

  /**
   * The component name of a model class, generating it (and what it references) on
   * first use. `patchType` names the PATCH_SCHEMA entry that governs the class's fields,
   * as the server's strategic merge patch reaches it; undefined when none does.
   */
  component(cls: string, patchType: string | undefined, pkgHint = this.defaultPackage): string | undefined {
    const known = this.names.get(cls);
    if (known) return known;
    const model = this.catalog(cls);
    if (!model) return undefined;
    const short = modelShortName(cls);
    const pkg = META_TYPES.has(short) ? META_PACKAGE : modelPackage(cls) ?? pkgHint;
    let name = `${pkg}.${short}`;
    for (let n = 2; this.schemas[name]; n++) name = `${pkg}.${short}${n}`;
    this.names.set(cls, name);
    const properties: Record<string, Json> = {};
    const schema: Json = { type: 'object' };
    if (model.description) schema.description = model.description;
    schema.properties = properties;
    const required = (model.required ?? []).filter((f) => model.attributes.some((a) => a.baseName === f));
    if (required.length) schema.required = required;
    this.schemas[name] = schema;
    for (const attr of model.attributes) {
      const meta = patchType !== undefined ? PATCH_SCHEMA[patchType]?.[attr.baseName] : undefined;
      const property = this.property(attr.type, attr.format, pkg, meta);
      const description = model.fieldDescriptions?.[attr.baseName];
      // OpenAPI 3.0 ignores siblings of $ref: a described reference is wrapped in allOf, as the apiserver does.
      if (description && property.$ref) properties[attr.baseName] = { description, allOf: [property] };
      else properties[attr.baseName] = description ? { description, ...property } : property;
    }
    return name;
  }

  private property(type: string, format: string, pkg: string, meta: FieldPatchMeta | undefined): Json {
    const list = /^Array<(.+)>$/.exec(type);
    if (list) {
      const schema: Json = { type: 'array', items: this.property(list[1], format, pkg, meta ? { type: meta.type } : undefined) };
      Object.assign(schema, patchExtensions(meta));
      return schema;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      return { type: 'object', additionalProperties: this.property(map[1], format, pkg, undefined), ...patchExtensions(meta) };
    }
    switch (type) {
      case 'string':
        return format ? { type: 'string', format } : { type: 'string' };
      case 'number':
        if (format === 'int32' || format === 'int64') return { type: 'integer', format };
        return format ? { type: 'number', format } : { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        return { type: 'string', format: 'date-time' };
      case 'IntOrString':
        this.schemas[INT_OR_STRING] ??= {
          description: 'IntOrString is a type that can hold an int32 or a string.',
          type: 'string',
          format: 'int-or-string',
        };
        return { $ref: `#/components/schemas/${INT_OR_STRING}` };
      case 'any':
      case 'object':
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    const name = this.component(type, meta?.type, pkg);
    if (!name) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const ref: Json = { $ref: `#/components/schemas/${name}` };
    return meta && (meta.strategy || meta.mergeKey) ? { allOf: [ref], ...patchExtensions(meta) } : ref;
  }

  /** Marks a component as the schema of a kind (kubectl finds kinds by this list). */
  addGvk(name: string, gvk: Gvk): void {
    const schema = this.schemas[name];
    const list = (schema[GVK_EXTENSION] as Gvk[] | undefined) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
    schema[GVK_EXTENSION] = list;
  }
}

function patchExtensions(meta: FieldPatchMeta | undefined): Json {
  const out: Json = {};
  if (meta?.mergeKey) out['x-kubernetes-patch-merge-key'] = meta.mergeKey;
  if (meta?.strategy) out['x-kubernetes-patch-strategy'] = meta.retainKeys ? `${meta.strategy},retainKeys` : meta.strategy;
  return out;
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

const str = { type: 'string', uniqueItems: true };
const bool = { type: 'boolean', uniqueItems: true };
const int = { type: 'integer', uniqueItems: true };
const query = (name: string, schema: Json, description: string): Json => ({ name, in: 'query', description, schema });

const PARAM = {
  pretty: query('pretty', str, "If 'true', then the output is pretty printed."),
  dryRun: query(
    'dryRun',
    str,
    'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: query(
    'fieldManager',
    str,
    'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
  ),
  fieldValidation: query(
    'fieldValidation',
    str,
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
  ),
  force: query('force', bool, 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.'),
  gracePeriodSeconds: query(
    'gracePeriodSeconds',
    int,
    'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.',
  ),
  propagationPolicy: query(
    'propagationPolicy',
    str,
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
  allowWatchBookmarks: query('allowWatchBookmarks', bool, 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  continue: query('continue', str, 'The continue option should be set when retrieving more results from the server.'),
  fieldSelector: query('fieldSelector', str, 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: query('labelSelector', str, 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: query('limit', int, 'limit is a maximum number of responses to return for a list call.'),
  resourceVersion: query('resourceVersion', str, 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  timeoutSeconds: query('timeoutSeconds', int, 'Timeout for the list/watch call.'),
  watch: query('watch', bool, 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
  container: query('container', str, 'The container for which to stream logs (or in which to execute the command).'),
  follow: query('follow', bool, 'Follow the log stream of the pod. Defaults to false.'),
  limitBytes: query('limitBytes', int, 'If set, the number of bytes to read from the server before terminating the log output.'),
  previous: query('previous', bool, 'Return previous terminated container logs. Defaults to false.'),
  sinceSeconds: query('sinceSeconds', int, 'A relative time in seconds before the current time from which to show logs.'),
  tailLines: query('tailLines', int, 'If set, the number of lines from the end of the logs to show.'),
  timestamps: query('timestamps', bool, 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.'),
  command: query('command', str, 'Command is the remote command to execute. argv array. Not executed within a shell.'),
  stdin: query('stdin', bool, 'Redirect the standard input stream of the pod for this call. Defaults to false.'),
  stdout: query('stdout', bool, 'Redirect the standard output stream of the pod for this call.'),
  stderr: query('stderr', bool, 'Redirect the standard error stream of the pod for this call.'),
  tty: query('tty', bool, 'TTY if true indicates that a tty will be allocated for the exec call. Defaults to false.'),
};

const pathParam = (name: string, description: string): Json => ({ name, in: 'path', description, required: true, schema: str });
const NAME = (kind: string) => pathParam('name', `name of the ${kind}`);
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

/** The write operations' query parameters, as the apiserver lists them (kubectl looks for fieldValidation). */
const WRITE_PARAMS = [PARAM.dryRun, PARAM.fieldManager, PARAM.fieldValidation];
const LIST_PARAMS = [
  PARAM.allowWatchBookmarks, PARAM.continue, PARAM.fieldSelector, PARAM.labelSelector, PARAM.limit,
  PARAM.resourceVersion, PARAM.timeoutSeconds, PARAM.watch,
];
const DELETE_PARAMS = [PARAM.gracePeriodSeconds, PARAM.propagationPolicy];

const ref = (name: string | undefined): Json => (name ? { $ref: `#/components/schemas/${name}` } : { type: 'object' });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const UNAUTHORIZED = { description: 'Unauthorized' };

interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';
  operationId: string;
  description: string;
  gvk: Gvk;
  parameters: Json[];
  requestBody?: Json;
  responses: Json;
}

function operation(spec: OperationSpec, tag: string): Json {
  return {
    tags: [tag],
    description: spec.description,
    operationId: spec.operationId,
    ...(spec.parameters.length ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: { ...spec.responses, '401': UNAUTHORIZED },
    'x-kubernetes-action': spec.action,
    [GVK_EXTENSION]: spec.gvk,
  };
}

/** The path items of one served resource (collection, item, all-namespaces list, subresources). */
function resourcePaths(r: ServedResource, builder: SchemaBuilder, schemaOf: (gvk: Gvk) => string | undefined): Record<string, Json> {
  const paths: Record<string, Json> = {};
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const id = `${groupIdent(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const tag = `${groupIdent(r.group).replace(/^./, (c) => c.toLowerCase())}_${r.version}`;
  const scoped = r.namespaced ? 'Namespaced' : '';
  const gvk: Gvk = { group: r.group, version: r.version, kind: r.kind };
  const kindSchema = schemaOf(gvk);
  const listSchema = schemaOf({ ...gvk, kind: `${r.kind}List` });
  const statusSchema = builder.component('V1Status', undefined);
  const deleteOptions = builder.component('V1DeleteOptions', undefined);
  const verbs = new Set(r.verbs);
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const item = `${collection}/{name}`;
  const scope = r.namespaced ? [NAMESPACE] : [];
  const body = (schema: string | undefined): Json => ({ content: json(ref(schema)), required: true });
  const ok = (schema: string | undefined, ...codes: string[]): Json =>
    Object.fromEntries(codes.map((code) => [code, { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: json(ref(schema)) }]));
  const add = (p: string, parameters: Json[], ops: OperationSpec[]) => {
    if (ops.length === 0) return;
    const pathItem: Json = { parameters: [...parameters, PARAM.pretty] };
    for (const op of ops) pathItem[op.method] = operation(op, tag);
    paths[p] = pathItem;
  };

  // Collection: list, create, deletecollection.
  const collectionOps: OperationSpec[] = [];
  if (verbs.has('list')) {
    collectionOps.push({
      method: 'get', action: 'list', operationId: `list${id}${scoped}${r.kind}`, description: `list or watch objects of kind ${r.kind}`,
      gvk, parameters: LIST_PARAMS,
      responses: { '200': { description: 'OK', content: { ...json(ref(listSchema)), 'application/json;stream=watch': { schema: ref(listSchema) } } } },
    });
  }
  if (verbs.has('create')) {
    collectionOps.push({
      method: 'post', action: 'post', operationId: `create${id}${scoped}${r.kind}`, description: `create a ${r.kind}`,
      gvk, parameters: WRITE_PARAMS, requestBody: body(kindSchema), responses: ok(kindSchema, '200', '201', '202'),
    });
  }
  if (verbs.has('deletecollection')) {
    collectionOps.push({
      method: 'delete', action: 'deletecollection', operationId: `delete${id}Collection${scoped}${r.kind}`,
      description: `delete collection of ${r.kind}`, gvk, parameters: [...DELETE_PARAMS, PARAM.fieldSelector, PARAM.labelSelector],
      requestBody: { content: json(ref(deleteOptions)) }, responses: ok(listSchema, '200'),
    });
  }
  add(collection, scope, collectionOps);

  // Across namespaces: list only.
  if (r.namespaced && verbs.has('list')) {
    add(`${prefix}/${r.resource}`, [], [{
      method: 'get', action: 'list', operationId: `list${id}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`,
      gvk, parameters: LIST_PARAMS,
      responses: { '200': { description: 'OK', content: { ...json(ref(listSchema)), 'application/json;stream=watch': { schema: ref(listSchema) } } } },
    }]);
  }

  // Item: read, replace, patch, delete.
  const itemOps: OperationSpec[] = [];
  const patchBody: Json = {
    content: Object.fromEntries(SUPPORTED_PATCH_TYPES.map((t) => [t, { schema: ref(PATCH_BODY) }])),
    required: true,
  };
  if (verbs.has('get')) {
    itemOps.push({ method: 'get', action: 'get', operationId: `read${id}${scoped}${r.kind}`, description: `read the specified ${r.kind}`, gvk, parameters: [], responses: ok(kindSchema, '200') });
  }
  if (verbs.has('update')) {
    itemOps.push({
      method: 'put', action: 'put', operationId: `replace${id}${scoped}${r.kind}`, description: `replace the specified ${r.kind}`,
      gvk, parameters: WRITE_PARAMS, requestBody: body(kindSchema), responses: ok(kindSchema, '200', '201'),
    });
  }
  if (verbs.has('patch')) {
    itemOps.push({
      method: 'patch', action: 'patch', operationId: `patch${id}${scoped}${r.kind}`, description: `partially update the specified ${r.kind}`,
      gvk, parameters: [...WRITE_PARAMS, PARAM.force], requestBody: patchBody, responses: ok(kindSchema, '200', '201'),
    });
  }
  if (verbs.has('delete')) {
    itemOps.push({
      method: 'delete', action: 'delete', operationId: `delete${id}${scoped}${r.kind}`, description: `delete a ${r.kind}`,
      gvk, parameters: DELETE_PARAMS, requestBody: { content: json(ref(deleteOptions)) }, responses: ok(kindSchema ?? statusSchema, '200', '202'),
    });
  }
  add(item, [NAME(r.kind), ...scope], itemOps);

  // Subresources.
  for (const sub of r.subresources ?? []) {
    const subGvk: Gvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
    const subSchema = schemaOf(subGvk);
    const Sub = sub.name.charAt(0).toUpperCase() + sub.name.slice(1);
    const ops: OperationSpec[] = [];
    const subVerbs = new Set(sub.verbs);
    if (sub.name === 'exec' || sub.name === 'attach') {
      const params = sub.name === 'exec'
        ? [PARAM.command, PARAM.container, PARAM.stderr, PARAM.stdin, PARAM.stdout, PARAM.tty]
        : [PARAM.container, PARAM.stderr, PARAM.stdin, PARAM.stdout, PARAM.tty];
      const connect = (method: 'get' | 'post', verb: string): OperationSpec => ({
        method, action: 'connect', operationId: `connect${id}${verb}${scoped}${r.kind}${Sub}`,
        description: `connect ${verb} requests to ${sub.name} of ${r.kind}`, gvk: subGvk, parameters: params,
        responses: { '200': { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } } },
      });
      ops.push(connect('get', 'Get'), connect('post', 'Post'));
    } else if (sub.name === 'log') {
      ops.push({
        method: 'get', action: 'get', operationId: `read${id}${scoped}${r.kind}Log`, description: `read log of the specified ${r.kind}`,
        gvk: subGvk,
        parameters: [PARAM.container, PARAM.follow, PARAM.limitBytes, PARAM.previous, PARAM.sinceSeconds, PARAM.tailLines, PARAM.timestamps],
        responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
      });
    } else {
      if (subVerbs.has('get')) {
        ops.push({ method: 'get', action: 'get', operationId: `read${id}${scoped}${r.kind}${Sub}`, description: `read ${sub.name} of the specified ${r.kind}`, gvk: subGvk, parameters: [], responses: ok(subSchema, '200') });
      }
      if (subVerbs.has('create')) {
        ops.push({
          method: 'post', action: 'post', operationId: `create${id}${scoped}${r.kind}${sub.kind}`, description: `create ${sub.name} of a ${r.kind}`,
          gvk: subGvk, parameters: WRITE_PARAMS, requestBody: body(subSchema), responses: ok(subSchema, '200', '201', '202'),
        });
      }
      if (subVerbs.has('update')) {
        ops.push({
          method: 'put', action: 'put', operationId: `replace${id}${scoped}${r.kind}${Sub}`, description: `replace ${sub.name} of the specified ${r.kind}`,
          gvk: subGvk, parameters: WRITE_PARAMS, requestBody: body(subSchema), responses: ok(subSchema, '200', '201'),
        });
      }
      if (subVerbs.has('patch')) {
        ops.push({
          method: 'patch', action: 'patch', operationId: `patch${id}${scoped}${r.kind}${Sub}`, description: `partially update ${sub.name} of the specified ${r.kind}`,
          gvk: subGvk, parameters: [...WRITE_PARAMS, PARAM.force], requestBody: patchBody, responses: ok(subSchema, '200', '201'),
        });
      }
    }
    add(`${item}/${sub.name}`, [NAME(sub.kind), ...scope], ops);
  }
  return paths;
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

export interface OpenAPIDocument {
  openapi: string;
  info: Json;
  paths: Record<string, Json>;
  components: { schemas: Record<string, Json>; securitySchemes: Json };
  security: Json[];
}

/** The OpenAPI v3 document of one served group-version, generated from RESOURCES and the model catalog. */
export function buildOpenAPIV3Document(group: string, version: string, catalog: ModelCatalog): OpenAPIDocument {
  const builder = new SchemaBuilder(catalog, groupPackage(group, version));
  const served = RESOURCES.filter((r) => r.group === group && r.version === version);
  const kinds = new Map<string, string | undefined>();
  const key = (g: Gvk) => `${g.group}/${g.version}/${g.kind}`;
  const declare = (gvk: Gvk, patchType: string | undefined) => {
    if (kinds.has(key(gvk))) return;
    const cls = className(gvk.group, gvk.version, gvk.kind, catalog);
    const name = cls ? builder.component(cls, patchType, groupPackage(gvk.group, gvk.version)) : undefined;
    if (name) builder.addGvk(name, gvk);
    kinds.set(key(gvk), name);
  };
  // Kinds first (their patch metadata as the server's strategic merge patch reaches them), then lists.
  const rootPatchType = (kind: string) => (Object.hasOwn(PATCH_SCHEMA, kind) ? kind : 'Object');
  for (const r of served) {
    declare({ group: r.group, version: r.version, kind: r.kind }, rootPatchType(r.kind));
    for (const sub of r.subresources ?? []) {
      const subGvk = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
      declare(subGvk, rootPatchType(sub.kind));
    }
  }
  for (const r of served) {
    if (r.verbs.includes('list')) declare({ group: r.group, version: r.version, kind: `${r.kind}List` }, undefined);
  }
  const status = builder.component('V1Status', undefined);
  if (status) builder.addGvk(status, { group: '', version: 'v1', kind: 'Status' });
  if (served.some((r) => r.verbs.includes('delete') || r.verbs.includes('deletecollection'))) {
    const deleteOptions = builder.component('V1DeleteOptions', undefined);
    if (deleteOptions) builder.addGvk(deleteOptions, { group, version, kind: 'DeleteOptions' });
  }
  if (served.some((r) => r.verbs.includes('patch'))) {
    builder.schemas[PATCH_BODY] = { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' };
  }

  let paths: Record<string, Json> = {};
  for (const r of served) {
    paths = { ...paths, ...resourcePaths(r, builder, (gvk) => kinds.get(key(gvk))) };
  }
  const schemas = Object.fromEntries(Object.keys(builder.schemas).sort().map((k) => [k, builder.schemas[k]]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** kube-openapi's ETag: the upper-case hex SHA-512 of the served bytes. */
export function openAPIHash(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

interface Served {
  body: string;
  hash: string;
}

export interface OpenAPIV3Service {
  /** GET /openapi/v3 */
  root: Served;
  /** By root key (`api/v1`, `apis/<group>/<version>`). */
  groupVersions: Map<string, Served & { document: OpenAPIDocument }>;
}

/** The root document and every group-version document, with their hashes. */
export function buildOpenAPIV3Service(catalog: ModelCatalog): OpenAPIV3Service {
  const groupVersions = new Map<string, Served & { document: OpenAPIDocument }>();
  for (const { group, version } of servedGroupVersions()) {
    const document = buildOpenAPIV3Document(group, version, catalog);
    const body = JSON.stringify(document);
    groupVersions.set(groupVersionPath(group, version), { body, hash: openAPIHash(body), document });
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, gv] of groupVersions) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${gv.hash}` };
  const body = JSON.stringify({ paths });
  return { root: { body, hash: openAPIHash(body) }, groupVersions };
}

let service: OpenAPIV3Service | undefined;

/** The dev cluster's documents, built once (a few hundred milliseconds) from client-node's models. */
export function openAPIV3Service(): OpenAPIV3Service {
  service ??= buildOpenAPIV3Service(clientNodeCatalog());
  return service;
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

const STARTED = new Date();

/** Whether an Accept header admits JSON (absent, `application/json`, `application/*`, `*\/*`). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept || !accept.trim()) return true;
  return accept.split(',').some((clause) => {
    const [type, ...params] = clause.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

function etagMatches(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function send(req: IncomingMessage, res: ServerResponse, served: Served, headers: Record<string, string>): void {
  const etag = `"${served.hash}"`;
  const all = { ETag: etag, 'Last-Modified': STARTED.toUTCString(), ...headers };
  if (etagMatches(req, etag)) {
    res.writeHead(304, all);
    res.end();
    return;
  }
  res.writeHead(200, { ...all, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(served.body)) });
  res.end(req.method === 'HEAD' ? undefined : served.body);
}

/** Whether a non-resource path is one of the OpenAPI v3 endpoints. */
export function isOpenAPIV3Path(pathname: string): boolean {
  return pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/');
}

/**
 * Answers GET /openapi/v3 and GET /openapi/v3/<group-version>[?hash=…] as kube-openapi's
 * handler3 does. Never throws: errors are answered as Status objects.
 */
export function serveOpenAPIV3(req: IncomingMessage, url: URL, res: ServerResponse, service = openAPIV3Service): void {
  try {
    const { root, groupVersions } = service();
    const pathname = url.pathname.replace(/\/+$/, '');
    if (pathname === '/openapi/v3') {
      send(req, res, root, { 'Cache-Control': 'no-cache, private' });
      return;
    }
    const key = pathname.slice('/openapi/v3/'.length);
    const gv = groupVersions.get(key);
    if (!gv) throw failure(404, 'NotFound', 'the server could not find the requested resource');
    if (!acceptsJson(req.headers.accept)) {
      throw failure(406, 'NotAcceptable', 'only application/json is served for OpenAPI v3 documents');
    }
    const hash = url.searchParams.get('hash');
    if (hash && hash !== gv.hash) {
      const location = `/openapi/v3/${key}?hash=${gv.hash}`;
      res.writeHead(301, { Location: location, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache, private' });
      res.end(`<a href="${location}">Moved Permanently</a>.\n`);
      return;
    }
    const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    send(req, res, gv, hash
      ? { Vary: 'Accept', 'Cache-Control': 'public, immutable', Expires: expires }
      : { Vary: 'Accept', 'Cache-Control': 'no-cache, private' });
  } catch (error) {
    if (res.headersSent) {
      res.end();
      return;
    }
    sendStatus(res, error instanceof StatusError ? error : failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
  }
}

// ---------------------------------------------------------------------------
// Server-side field validation
// ---------------------------------------------------------------------------

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

const OPTIONS_KIND = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions' } as const;

/**
 * ?fieldValidation= as the apiserver reads it: absent or empty means Warn (the default
 * since v1.23); anything but Ignore/Warn/Strict is a 422 on the request's options.
 */
export function fieldValidationDirective(url: URL, verb: 'create' | 'update' | 'patch'): FieldValidation {
  const value = url.searchParams.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Ignore' || value === 'Warn' || value === 'Strict') return value;
  throw invalid(OPTIONS_KIND[verb], 'meta.k8s.io', '', [
    fieldCause('FieldValueNotSupported', 'fieldValidation', value, 'supported values: "", "Ignore", "Strict", "Warn"'),
  ]);
}

function resolveSchema(schema: Json | undefined, schemas: Record<string, Json>): Json | undefined {
  let s = schema;
  for (let depth = 0; s && depth < 8; depth++) {
    if (Array.isArray(s.allOf) && s.allOf.length > 0) s = s.allOf[0] as Json;
    else if (typeof s.$ref === 'string') s = schemas[s.$ref.replace('#/components/schemas/', '')];
    else return s;
  }
  return s;
}

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The unknown fields of `value` under `schema`, as the apiserver's strict decoder names
 * them (`spec.foo`, `spec.containers[0].bar`); with `prune`, removes them too (what the
 * typed decoding of Warn and Ignore does).
 */
export function findUnknownFields(value: unknown, schema: Json | undefined, schemas: Record<string, Json>, prune = false, at = ''): string[] {
  const s = resolveSchema(schema, schemas);
  if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return [];
  const found: string[] = [];
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => found.push(...findUnknownFields(v, s.items as Json, schemas, prune, `${at}[${i}]`)));
    return found;
  }
  if (!isMap(value)) return found;
  const properties = s.properties as Record<string, Json> | undefined;
  if (properties) {
    for (const key of Object.keys(value)) {
      const where = at ? `${at}.${key}` : key;
      if (!Object.hasOwn(properties, key)) {
        found.push(where);
        if (prune) delete value[key];
      } else {
        found.push(...findUnknownFields(value[key], properties[key], schemas, prune, where));
      }
    }
  } else if (isMap(s.additionalProperties)) {
    for (const [key, v] of Object.entries(value)) {
      found.push(...findUnknownFields(v, s.additionalProperties as Json, schemas, prune, at ? `${at}.${key}` : key));
    }
  }
  return found;
}

/** The component schema of a kind in a document, found by its x-kubernetes-group-version-kind. */
export function kindSchema(document: OpenAPIDocument, gvk: Gvk): Json | undefined {
  return Object.values(document.components.schemas).find((s) =>
    ((s[GVK_EXTENSION] as Gvk[] | undefined) ?? []).some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind),
  );
}

/** Go's %+v of a decoded JSON value (a patch map in the apiserver's strict-decoding error). */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  return String(v);
}

export type FieldCheck =
  | { verb: 'create' | 'update' }
  | {
      verb: 'patch';
      /** The request's Content-Type. */
      contentType: string;
      /** The request body as sent. */
      patch: string;
    };

/**
 * Applies ?fieldValidation to an object about to be stored: for create/update the
 * decoded body, for patch the patched object. Strict → throws the apiserver's error
 * (create/update: 400 `Pod in version "v1" cannot be handled as a Pod: strict decoding
 * error: unknown field "spec.foo"`; patch: 422 `patch: Invalid value: …: strict decoding
 * error: …`). Warn and Ignore drop the unknown fields from `object` (as typed decoding
 * does); the returned warnings (Warn only) belong in `Warning` headers (setWarnings).
 * Kinds without a schema are not checked.
 */
export function checkFields(
  kind: ResourceKind,
  object: Json,
  directive: FieldValidation,
  check: FieldCheck,
  service = openAPIV3Service,
): string[] {
  const { groupVersions } = service();
  const document = groupVersions.get(groupVersionPath(kind.group, kind.version))?.document;
  const schema = document && kindSchema(document, { group: kind.group, version: kind.version, kind: kind.kind });
  if (!document || !schema) return [];
  const unknown = findUnknownFields(object, schema, document.components.schemas, directive !== 'Strict');
  if (unknown.length === 0) return [];
  const errors = unknown.map((f) => `unknown field ${goQuote(f)}`);
  if (directive === 'Strict') {
    const strict = `strict decoding error: ${errors.join(', ')}`;
    if (check.verb !== 'patch') {
      const bodyKind = typeof object.kind === 'string' ? object.kind : '';
      const bodyVersion = typeof object.apiVersion === 'string' ? object.apiVersion.split('/').pop() ?? '' : '';
      if (bodyKind) throw badRequest(`${bodyKind} in version ${goQuote(bodyVersion)} cannot be handled as a ${kind.kind}: ${strict}`);
      const text = JSON.stringify(object);
      throw badRequest(`the object provided is unrecognized (must be of type ${kind.kind}): ${strict} (${text.length > 30 ? text.slice(0, 30) + ' ...' : text})`);
    }
    // Strategic merge patch quotes the patch map; JSON and merge patches the patched object.
    const mediaType = check.contentType.split(';')[0].trim();
    let shown: string;
    if (mediaType === STRATEGIC_MERGE_PATCH) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(check.patch);
      } catch {
        parsed = check.patch;
      }
      shown = goFormat(parsed);
    } else {
      shown = JSON.stringify(object);
    }
    throw invalid('', '', '', [fieldCause('FieldValueInvalid', 'patch', shown, strict)]);
  }
  return directive === 'Warn' ? errors : [];
}

/** Adds `Warning: 299 - "<text>"` headers, as the apiserver sends warnings (kubectl prints `Warning: <text>`). */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const existing = res.getHeader('Warning');
  const previous = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Warning', [...previous, ...warnings.map((w) => `299 - ${goQuote(w)}`)]);
}
