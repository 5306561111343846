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
