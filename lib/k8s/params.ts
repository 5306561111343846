// What the browsing routes accept, validated with zod: names as Kubernetes
// validates them, query strings as the pages write them. A bad value is a 400
// whose message names the parameter. Pure; the pages use the same schemas.

import { z } from 'zod';
import { UserFacingError } from '@/lib/http/errors';
import { parseLabelSelector, SelectorError, STATUS_CATEGORIES, type PodFilter, type StatusCategory } from './pod-filter';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const clusterName = z.string().min(1, 'cluster must not be empty').max(253, 'cluster is longer than 253 characters');
export const namespaceName = z
  .string()
  .max(63, 'namespace is longer than 63 characters')
  .regex(DNS_LABEL, 'namespace must be a DNS label: lower-case letters, digits and "-"');
export const objectName = z
  .string()
  .max(253, 'name is longer than 253 characters')
  .regex(DNS_SUBDOMAIN, 'name must be a DNS subdomain: lower-case letters, digits, "-" and "."');
export const containerName = z
  .string()
  .max(63, 'container is longer than 63 characters')
  .regex(DNS_LABEL, 'container must be a DNS label: lower-case letters, digits and "-"');

const flag = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', ''], { message: `${name} must be true or false` })
    .optional()
    .transform((value) => value === 'true' || value === '1');

const emptyAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

export const podFilterSchema = z.object({
  namespace: z.preprocess(emptyAsUndefined, namespaceName.optional()),
  q: z.preprocess(emptyAsUndefined, z.string().max(253, 'q is longer than 253 characters').optional()),
  status: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((list) => list.split(',').map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(z.enum(STATUS_CATEGORIES, { message: `status must be one or more of ${STATUS_CATEGORIES.join(', ')}, comma-separated` })))
      .optional(),
  ),
  label: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(1024, 'label is longer than 1024 characters')
      .superRefine((selector, context) => {
        try {
          parseLabelSelector(selector);
        } catch (error) {
          if (!(error instanceof SelectorError)) throw error;
          context.addIssue({ code: 'custom', message: `label: ${error.message}` });
        }
      })
      .optional(),
  ),
  node: z.preprocess(emptyAsUndefined, objectName.optional()),
  ephemeral: flag('ephemeral'),
});

export const logQuerySchema = z.object({
  container: z.preprocess(emptyAsUndefined, containerName.optional()),
  previous: flag('previous'),
  follow: flag('follow'),
  tailLines: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ message: 'tailLines must be a whole number' }).int('tailLines must be a whole number').min(1, 'tailLines must be at least 1').max(100_000, 'tailLines must be at most 100000').optional(),
  ),
});
export type LogQuery = z.infer<typeof logQuerySchema>;

/** A bad parameter: 400 with every problem in one sentence. */
export class BadRequestError extends UserFacingError {
  override name = 'BadRequestError';
  constructor(message: string) {
    super(message, 400);
  }
}

/** Parses `input` with `schema`, or throws BadRequestError listing what is wrong. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new BadRequestError(result.error.issues.map((issue) => issue.message).join('; ') + '.');
}

/** The pod filter from a query string (a route's, or a page's searchParams). */
export function podFilterFrom(params: URLSearchParams | Record<string, string | string[] | undefined>): PodFilter {
  const get = (name: string) => {
    const value = params instanceof URLSearchParams ? params.get(name) : params[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const parsed = parseOrThrow(podFilterSchema, Object.fromEntries(['namespace', 'q', 'status', 'label', 'node', 'ephemeral'].map((name) => [name, get(name)])));
  return {
    ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
    ...(parsed.q ? { q: parsed.q } : {}),
    ...(parsed.status && parsed.status.length > 0 ? { status: parsed.status as StatusCategory[] } : {}),
    ...(parsed.label ? { label: parsed.label } : {}),
    ...(parsed.node ? { node: parsed.node } : {}),
    ...(parsed.ephemeral ? { ephemeral: true } : {}),
  };
}

/** Route params of the pod routes, validated. */
export const podParams = z.object({ cluster: clusterName, namespace: namespaceName, name: objectName });
export const clusterParams = z.object({ cluster: clusterName });
export const nodeParams = z.object({ cluster: clusterName, name: objectName });
