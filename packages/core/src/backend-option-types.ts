import { ConfigError } from './errors.js';

/** What one backend option's value must be. */
export type BackendOptionType =
  'boolean' | 'string' | 'non-negative-integer' | { oneOf: readonly (string | number)[] } | { record: true };

const describe = (type: BackendOptionType): string =>
  typeof type === 'string'
    ? type.replace(/-/g, ' ')
    : 'oneOf' in type
      ? `one of ${type.oneOf.map((v) => JSON.stringify(v)).join(', ')}`
      : 'an object';

function fits(value: unknown, type: BackendOptionType): boolean {
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'string') return typeof value === 'string';
  if (type === 'non-negative-integer') return Number.isInteger(value) && (value as number) >= 0;
  if ('oneOf' in type) return type.oneOf.includes(value as string | number);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the values of a backend's options against the types it declares (keys it does not declare are the caller's
 * concern: BaseBackend warns or refuses them): a value of the wrong type is INVALID_CONFIG naming the backend, the
 * option, what it takes and what it got — never passed on to a native runtime to fail obscurely there.
 */
export function checkBackendOptionValues(
  backend: string,
  values: Record<string, unknown> | undefined,
  types: Readonly<Record<string, BackendOptionType>>,
): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    const type = types[key];
    if (type === undefined || value === undefined || fits(value, type)) continue;
    throw new ConfigError(`${backend}'s backendOptions.${key} takes ${describe(type)}; got ${JSON.stringify(value)}`, {
      backend,
      option: key,
      value,
    });
  }
}
