import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';

/** What Fastify hands a validator compiler: one part of one route's request. */
interface RoutePart {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}
type Compile = (part: RoutePart) => unknown;
type Pool = (externalSchemas: Record<string, unknown>, options: object) => Compile;

const ajvOptions = { removeAdditional: false, useDefaults: true } as const;

/**
 * Request validation with two Ajv instances (docs/dashboard-api.md). A query
 * string, a path or a header is text, so those are coerced to the schema's
 * types (`?limit=20` is the number 20). A JSON body already says what each
 * value is, so it is not coerced: with coercion, Ajv turned a `null` sent for
 * a `Nullable(Integer)` or `Nullable(String)` field into 0 or "" (the union's
 * first branch won), and "5" passed for a number.
 */
function buildValidator(externalSchemas: Record<string, unknown>, options: object = {}): Compile {
  const pool = AjvCompiler() as unknown as Pool;
  const text = pool(externalSchemas, { ...options, customOptions: { ...ajvOptions, coerceTypes: true } });
  const json = pool(externalSchemas, { ...options, customOptions: { ...ajvOptions, coerceTypes: false } });
  return (part) => (part.httpPart === 'body' ? json(part) : text(part));
}

export const buildRequestValidator = buildValidator as unknown as ValidatorFactory;
