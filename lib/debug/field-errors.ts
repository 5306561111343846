// Field errors worded as the apiserver words them (field.Error.Error():
// `<field>: <type>: <value>: <detail>`), each followed by what to do, so a
// refusal before the cluster reads like the cluster's own, only more helpful.
import type { FieldError } from './types';

/** Go's %q for the plain strings we quote. */
export const quote = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

const withTodo = (message: string, todo?: string) => (todo ? `${message}. ${todo}` : message);

export function required(field: string, todo?: string): FieldError {
  return { field, message: withTodo(`${field}: Required value`, todo) };
}

export function invalid(field: string, value: unknown, detail: string, todo?: string): FieldError {
  return { field, message: withTodo(`${field}: Invalid value: ${quote(value)}: ${detail}`, todo) };
}

export function forbidden(field: string, detail: string, todo?: string): FieldError {
  return { field, message: withTodo(`${field}: Forbidden: ${detail}`, todo) };
}

export function notFound(field: string, value: unknown, todo?: string): FieldError {
  return { field, message: withTodo(`${field}: Not found: ${quote(value)}`, todo) };
}

export function duplicate(field: string, value: unknown, todo?: string): FieldError {
  return { field, message: withTodo(`${field}: Duplicate value: ${quote(value)}`, todo) };
}

export function unsupported(field: string, value: unknown, supported: readonly string[], todo?: string): FieldError {
  const values = supported.map((v) => quote(v)).join(', ');
  return { field, message: withTodo(`${field}: Unsupported value: ${quote(value)}: supported values: ${values}`, todo) };
}

/** A refusal's errors as lines for a log or a plain-text answer. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => e.message).join('\n');
}

/** `a`, `a and b`, `a, b and c` — for lists in messages. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
