/**
 * A tiny runtime schema language for IPC requests: just enough to check structured-clone data
 * from an untrusted renderer. Objects are closed (unknown keys are refused), every string and
 * array has a maximum length, and only plain objects and real arrays pass.
 */
export type Schema =
  | { readonly type: 'string'; readonly max: number; readonly min?: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly type: 'boolean' }
  | { readonly type: 'null' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'array'; readonly of: Schema; readonly max: number }
  | { readonly type: 'object'; readonly fields: Readonly<Record<string, { readonly schema: Schema; readonly optional: boolean }>> }
  | { readonly type: 'union'; readonly of: readonly Schema[] };

/** Keys that could reach an object's prototype chain if copied naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks `value` against `schema`; returns null when it fits, else one sentence naming the first problem. */
export function validate(schema: Schema, value: unknown, at: string): string | null {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return `${at} must be a string`;
      if (value.length > schema.max) return `${at} is too long (more than ${schema.max} characters)`;
      if (value.length < (schema.min ?? 0)) return schema.min === 1 ? `${at} must not be empty` : `${at} is too short`;
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${at} must be a finite number`;
      if (schema.integer && !Number.isInteger(value)) return `${at} must be a whole number`;
      if (value < schema.min || value > schema.max) return `${at} must be between ${schema.min} and ${schema.max}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : `${at} must be true or false`;
    case 'null':
      return value === null ? null : `${at} must be null`;
    case 'enum':
      return typeof value === 'string' && schema.values.includes(value) ? null : `${at} must be one of ${schema.values.join(', ')}`;
    case 'array':
      return validateArray(schema, value, at);
    case 'object':
      return validateObject(schema, value, at);
    case 'union': {
      for (const option of schema.of) if (validate(option, value, at) === null) return null;
      return `${at} has an unexpected shape`;
    }
  }
}

function validateArray(schema: Extract<Schema, { type: 'array' }>, value: unknown, at: string): string | null {
  if (!Array.isArray(value)) return `${at} must be a list`;
  if (value.length > schema.max) return `${at} has too many items (more than ${schema.max})`;
  for (let i = 0; i < value.length; i++) {
    if (!Object.hasOwn(value, i)) return `${at}[${i}] is missing`;
    const problem = validate(schema.of, value[i], `${at}[${i}]`);
    if (problem) return problem;
  }
  return null;
}

function validateObject(schema: Extract<Schema, { type: 'object' }>, value: unknown, at: string): string | null {
  if (!isPlainObject(value)) return `${at} must be an object`;
  const keys = Reflect.ownKeys(value);
  for (const key of keys) {
    if (typeof key !== 'string') return `${at} has a symbol key`;
    if (FORBIDDEN_KEYS.has(key)) return `${at} has a forbidden key "${key}"`;
    if (!Object.hasOwn(schema.fields, key)) return `${at} has an unknown field "${key.slice(0, 40)}"`;
  }
  for (const [name, field] of Object.entries(schema.fields)) {
    const present = Object.hasOwn(value, name) && value[name] !== undefined;
    if (!present) {
      if (field.optional) continue;
      return `${at}.${name} is required`;
    }
    const problem = validate(field.schema, value[name], `${at}.${name}`);
    if (problem) return problem;
  }
  return null;
}

/** Plain data only: `{}` or `Object.create(null)`, never arrays, class instances or proxies of them. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
