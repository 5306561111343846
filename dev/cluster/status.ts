import type { Status, StatusCause } from './types';

/** An error that the HTTP layer answers with its Status object and code. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

export const notFound = (group: string, resource: string, name: string) =>
  failure(404, 'NotFound', `${resource}${group ? '.' + group : ''} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });

export const alreadyExists = (group: string, resource: string, name: string) =>
  failure(409, 'AlreadyExists', `${resource}${group ? '.' + group : ''} "${name}" already exists`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });

export const conflict = (group: string, resource: string, name: string, why: string) =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resource}${group ? '.' + group : ''} "${name}": ${why}`,
    { name, ...(group ? { group } : {}), kind: resource },
  );

export const badRequest = (message: string) => failure(400, 'BadRequest', message);

/**
 * 422 Invalid as the apiserver words it:
 * `Pod "p" is invalid: spec.x: Forbidden: ...` with one cause per field error.
 */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`);
  const message =
    `${kind}${group ? '.' + group : ''} "${name}" is invalid: ` +
    (summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`);
  return failure(422, 'Invalid', message, { name, ...(group ? { group } : {}), kind, causes });
}

/** A field error for invalid(): reason is FieldValueInvalid, FieldValueForbidden, … */
export function fieldError(
  reason: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueTooLong',
  field: string,
  detail: string,
  value?: unknown,
): StatusCause {
  const label: Record<string, string> = {
    FieldValueInvalid: 'Invalid value',
    FieldValueForbidden: 'Forbidden',
    FieldValueRequired: 'Required value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueDuplicate: 'Duplicate value',
    FieldValueTooLong: 'Too long',
  };
  const shown = value === undefined ? '' : `${JSON.stringify(value)}: `;
  return { reason, field, message: `${label[reason]}: ${shown}${detail}` };
}

/** apimachinery's field.ErrorType values, as they travel in StatusCause.reason. */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const FIELD_ERROR_LABELS: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Go's strconv.Quote (what `%q` prints), for the bad values in field errors. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/**
 * A bad value shown verbatim in a field error, for Go values whose type has a
 * String() method (e.g. core.ResourceName prints unquoted) or other Go renderings.
 */
export class GoValue {
  constructor(readonly text: string) {}
}

/**
 * A StatusCause worded exactly as apimachinery's field.Error.ErrorBody() does:
 * Required / Forbidden / TooLong / InternalError never show the value; other
 * types show it (strings %q-quoted, numbers and booleans bare, null as "null", a GoValue verbatim,
 * other objects as JSON — Go would print its %#v there)
 * when `value` is given (pass `undefined` to omit it, as Go's omitValue does);
 * a non-empty detail follows after ": ".
 * e.g. fieldCause('FieldValueNotFound', 'spec.containers[0].volumeMounts[0].name', 'x')
 *   → { reason: 'FieldValueNotFound', field: '…name', message: 'Not found: "x"' }.
 */
export function fieldCause(type: FieldErrorType, field: string, value?: unknown, detail = ''): StatusCause {
  let body = FIELD_ERROR_LABELS[type];
  const hidesValue =
    type === 'FieldValueRequired' || type === 'FieldValueForbidden' || type === 'FieldValueTooLong' || type === 'InternalError';
  if (!hidesValue && value !== undefined) {
    let shown: string;
    if (value instanceof GoValue) shown = value.text;
    // Go prints a nil value as the string "null", quoted
    else if (value === null) shown = goQuote('null');
    else if (typeof value === 'string') shown = goQuote(value);
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') shown = String(value);
    else shown = JSON.stringify(value);
    body += `: ${shown}`;
  }
  if (detail) body += `: ${detail}`;
  return { reason: type, field, message: body };
}
