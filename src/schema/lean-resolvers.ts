import { GraphQLScalarType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql wraps every resolver for features most fields do not use (issue 15, P1b: a warm `services(first:20)`
 * request ran about 200 such wrappers). Per call it builds a resolver-data object, runs the middleware chain even
 * when it is empty, re-sorts the parameter list, converts the parent into a new instance of its class, and validates
 * every argument in an `async` function — so a resolver with an argument always answers a promise, even when its
 * value is at hand (services/portal.ts `servicesPage`). This replaces, after the schema is built, the wrappers of
 * exactly the fields that use none of it, with what the wrapper comes down to for them:
 * - a plain field (no resolver method, no `@Authorized`, no middleware, GraphQL name = property name) reads the
 *   property, like type-graphql's own `simpleResolvers` (the executors' default resolver);
 * - a resolver method (query or `@FieldResolver`) without `@Authorized` or middleware, whose parameters are only
 *   `@Root`, `@Ctx`, `@Info` and `@Arg`s of scalar or enum type without validation, is called with those values.
 * Anything else keeps type-graphql's wrapper: `@Authorized` fields above all (DVDV, admin), input-object and `@Args`
 * arguments (converted to class instances), custom parameter decorators. The schema is built without global
 * middlewares or validation (schema/build.ts); `leanResolvers` refuses to run otherwise.
 */

interface ParamMeta {
  kind: string;
  index: number;
  propertyName?: string;
  name?: string;
  getType?: () => unknown;
  validateSettings?: unknown;
  validateFn?: unknown;
}
interface HandlerMeta {
  target: Function;
  methodName: string;
  schemaName: string;
  params?: ParamMeta[];
  roles?: unknown[];
  middlewares?: unknown[];
}
interface FieldResolverMeta extends HandlerMeta {
  kind: 'internal' | 'external';
  getObjectType?: () => Function;
}
interface FieldMeta {
  target: Function;
  name: string;
  schemaName: string;
  roles?: unknown[];
  middlewares?: unknown[];
  params?: ParamMeta[];
  simple?: boolean;
}
interface ClassMeta {
  name: string;
  target: Function;
  fields?: FieldMeta[];
  interfaceClasses?: Function[];
  simpleResolvers?: boolean;
}
interface Storage {
  queries: HandlerMeta[];
  mutations: HandlerMeta[];
  fieldResolvers: FieldResolverMeta[];
  objectTypes: ClassMeta[];
  interfaceTypes: ClassMeta[];
  inputTypes: ClassMeta[];
}

type Reader = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;

export interface LeanResolverCount {
  /** Plain fields now read as properties. */
  plain: number;
  /** Resolver methods now called directly. */
  direct: number;
  /** Fields that keep type-graphql's wrapper. */
  wrapped: number;
}

/** Rewrites the eligible resolvers of `schema` (built by type-graphql from `resolvers`) in place; see above. */
export function leanResolvers(schema: GraphQLSchema, resolvers: readonly Function[], opts: { globalMiddlewares: number; validate: boolean }): LeanResolverCount {
  if (opts.globalMiddlewares !== 0 || opts.validate) throw new Error('leanResolvers: the schema must be built without global middlewares and validation');
  const storage = getMetadataStorage() as unknown as Storage;
  const count: LeanResolverCount = { plain: 0, direct: 0, wrapped: 0 };
  const instances = new Map<Function, object>();
  const instanceOf = (target: Function): object => {
    let i = instances.get(target);
    // Resolver classes are stateless (no state outside the composition root): one instance each, as type-graphql keeps.
    if (!i) instances.set(target, (i = new (target as new () => object)()));
    return i;
  };

  const setHandler = (typeName: string, meta: HandlerMeta) => {
    const field = (schema.getType(typeName) as { getFields?: () => Record<string, { resolve?: GraphQLFieldResolver<unknown, unknown> }> } | undefined)?.getFields?.()[meta.schemaName];
    if (!field) return;
    const lean = direct(meta, instanceOf, storage);
    if (lean) {
      field.resolve = lean;
      count.direct++;
    } else count.wrapped++;
  };

  for (const q of storage.queries) if (resolvers.includes(q.target)) setHandler(schema.getQueryType()!.name, q);
  const mutation = schema.getMutationType();
  if (mutation) for (const m of storage.mutations) if (resolvers.includes(m.target)) setHandler(mutation.name, m);

  const fieldResolvers = storage.fieldResolvers.filter((r) => r.kind === 'internal' || resolvers.includes(r.target));
  for (const ot of storage.objectTypes) {
    const type = schema.getType(ot.name);
    if (!isObjectType(type)) continue;
    const gqlFields = type.getFields();
    // The fields type-graphql gave this type: its interfaces', then its own, a later one replacing an earlier one of
    // the same GraphQL name (schema-generator's order and lookup; e.g. Node's `id`, resolved by a `globalId` method).
    const metas = new Map<string, FieldMeta>();
    for (const f of [...storage.interfaceTypes.filter((it) => ot.interfaceClasses?.includes(it.target)).flatMap((it) => it.fields ?? []), ...(ot.fields ?? [])]) metas.set(f.schemaName, f);
    for (const f of metas.values()) {
      const gql = gqlFields[f.schemaName];
      if (!gql?.resolve) continue;
      const fr = fieldResolvers.find((r) => r.getObjectType?.() === f.target && r.methodName === f.name);
      if (fr) {
        const lean = fr.kind === 'external' ? direct(fr, instanceOf, storage) : undefined;
        if (lean) {
          gql.resolve = lean;
          count.direct++;
        } else count.wrapped++;
      } else if (f.roles === undefined && !f.middlewares?.length && !f.params?.length && f.name === f.schemaName) {
        gql.resolve = undefined;
        count.plain++;
      } else count.wrapped++;
    }
  }
  return count;
}

/** The resolver method called with its parameters, or undefined when the field needs type-graphql's wrapper. */
function direct(meta: HandlerMeta, instanceOf: (target: Function) => object, storage: Storage): GraphQLFieldResolver<unknown, unknown> | undefined {
  if (meta.roles !== undefined || meta.middlewares?.length) return undefined;
  const readers: Reader[] = [];
  for (const p of [...(meta.params ?? [])].sort((a, b) => a.index - b.index)) {
    const r = reader(p, storage);
    if (!r) return undefined;
    readers[p.index] = r;
  }
  if (readers.length !== (meta.params?.length ?? 0) || readers.some((r) => r === undefined)) return undefined;
  const instance = instanceOf(meta.target);
  const method = (instance as Record<string, unknown>)[meta.methodName];
  if (typeof method !== 'function') return undefined;
  const n = readers.length;
  return (root, args, ctx, info) => {
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) values[i] = readers[i](root, args as Record<string, unknown>, ctx, info);
    return method.apply(instance, values);
  };
}

function reader(p: ParamMeta, storage: Storage): Reader | undefined {
  const prop = p.propertyName;
  switch (p.kind) {
    case 'context':
      return prop ? (_r, _a, ctx) => (ctx as Record<string, unknown>)[prop] : (_r, _a, ctx) => ctx;
    case 'info':
      return (_r, _a, _c, info) => info;
    case 'root':
      // type-graphql copies the parent into a new instance of the declared class; for a class without methods,
      // accessors or field initialisers that copy has exactly the parent's own fields, so the parent itself serves.
      if (p.getType && !plainClass(p.getType())) return undefined;
      return prop ? (root) => (root as Record<string, unknown>)[prop] : (root) => root;
    case 'arg': {
      if (p.validateFn !== undefined || p.validateSettings !== undefined || !p.name) return undefined;
      const t = p.getType?.();
      // Scalars and enums pass as they are (type-graphql's convertToType returns them unchanged); input objects are converted.
      const passes = t instanceof GraphQLScalarType || t === String || t === Number || t === Boolean || t === Date || (isEnumObject(t) && !storage.inputTypes.some((i) => i.target === t));
      if (!passes) return undefined;
      const name = p.name;
      return (_r, args) => args[name];
    }
    default:
      return undefined;
  }
}

const isEnumObject = (t: unknown): boolean => typeof t === 'object' && t !== null && !(t instanceof GraphQLScalarType);

function plainClass(t: unknown): boolean {
  if (t === Object) return true;
  if (typeof t !== 'function' || t === String || t === Number || t === Boolean || t === Date || t === Array || t === Promise) return false;
  const proto = (t as { prototype?: object }).prototype;
  if (!proto || Object.getPrototypeOf(proto) !== Object.prototype || Object.getOwnPropertyNames(proto).some((k) => k !== 'constructor')) return false;
  try {
    return Object.values(new (t as new () => object)()).every((v) => v === undefined);
  } catch {
    return false;
  }
}
