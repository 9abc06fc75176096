import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import {
  BREAK,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { rootForcesMaxAgeZero } from '../plugins/cache-control';

/** A document this path runs: parsed, valid, one query operation, compiled once. */
export interface CompiledDocument {
  kind: 'compiled';
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's own name (for metrics and logs), which the request may have left out. */
  operationName?: string;
  /** Whether the operation declares variables (only then are the request's variables coerced before admission). */
  hasVariables: boolean;
  query: CompiledQuery;
}

/** Why a document stays on the regular path (Apollo); kept so that the next request with it is not parsed again. */
export interface RegularDocument {
  kind: 'regular';
  why: 'syntax' | 'invalid' | 'no_operation' | 'not_query' | 'cacheable' | 'introspection' | 'compile';
}

/** A text seen once: Apollo serves it; the second request with it is the one that compiles it. */
interface FirstSight {
  kind: 'first_sight';
}

export type DocumentVerdict = CompiledDocument | RegularDocument | FirstSight;

const FIRST_SIGHT: FirstSight = { kind: 'first_sight' };

export interface CompiledDocumentsOptions {
  schema: GraphQLSchema;
  /** The rules Apollo validates with besides graphql-js's specified rules (limits, introspection policy). */
  validationRules: readonly ValidationRule[];
  /** Apollo's `parseOptions.maxTokens`. */
  maxTokens: number;
  /** The cache-control plugin's default max-age: decides which operations are uncacheable before execution. */
  defaultMaxAge: number;
  /** Bytes of remembered documents (texts, verdicts, compiled functions, estimated); least recently used go first. */
  maxBytes?: number;
}

/**
 * Which documents the compiled path may run, decided once per (query text, operation name), on the text's second
 * request (issue 15, P1b).
 *
 * Only documents whose every request Apollo would execute the same way and never store: they parse and validate
 * with Apollo's rules (errors are Apollo's to word), they select one `query` operation (mutations keep Apollo's
 * ordering and plugins), a root field makes the answer uncacheable before execution (plugins/cache-control.ts — so
 * no per-field cache policy and no response-cache entry exist to reproduce), and they do not introspect (the
 * introspection policy and Apollo's own answers stay with Apollo). Everything else gets a `regular` verdict.
 * graphql-jit compiles the operation to one function per document (`compileQuery`), which replaces graphql-js's
 * generic walk over the document for every request.
 */
export class CompiledDocuments {
  private readonly memo: LRUCache<string, DocumentVerdict>;
  private readonly rules: readonly ValidationRule[];

  constructor(private readonly o: CompiledDocumentsOptions) {
    // A compiled document holds its AST and generated code besides the text: a few times the text plus a constant.
    this.memo = new LRUCache({ maxSize: o.maxBytes ?? 16 * 1024 * 1024, sizeCalculation: (v, k) => 2 * k.length + (v.kind === 'compiled' ? 16 * 1024 + 16 * k.length : 64) });
    this.rules = [...specifiedRules, ...o.validationRules];
  }

  /**
   * The verdict for a text, decided on its second request: a text that varies from request to request (a search
   * term written into the query) is never compiled — compiling costs milliseconds, more than running it once
   * through Apollo (bench P3: new text per request) — while every repeated document is compiled once.
   */
  verdict(query: string, operationName: string | undefined): DocumentVerdict {
    const key = `${operationName ?? ''}\n${query}`;
    const known = this.memo.get(key);
    if (known && known.kind !== 'first_sight') return known;
    const verdict = known ? this.decide(query, operationName) : FIRST_SIGHT;
    this.memo.set(key, verdict);
    return verdict;
  }

  private decide(query: string, operationName: string | undefined): DocumentVerdict {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.o.maxTokens });
    } catch {
      return { kind: 'regular', why: 'syntax' };
    }
    if (validate(this.o.schema, document, this.rules).length) return { kind: 'regular', why: 'invalid' };
    const operation = getOperationAST(document, operationName);
    if (!operation) return { kind: 'regular', why: 'no_operation' };
    if (operation.operation !== 'query') return { kind: 'regular', why: 'not_query' };
    if (!rootForcesMaxAgeZero(this.o.schema, operation, this.o.defaultMaxAge)) return { kind: 'regular', why: 'cacheable' };
    if (introspects(document)) return { kind: 'regular', why: 'introspection' };
    let compiled: CompiledQuery | ExecutionResult;
    try {
      compiled = compileQuery(this.o.schema, document, operationName, { disablingCapturingStackErrors: true }) as CompiledQuery | ExecutionResult;
    } catch {
      return { kind: 'regular', why: 'compile' };
    }
    if (!isCompiledQuery(compiled)) return { kind: 'regular', why: 'compile' };
    return {
      kind: 'compiled',
      document,
      operation,
      operationName: operation.name?.value,
      hasVariables: (operation.variableDefinitions?.length ?? 0) > 0,
      query: compiled,
    };
  }
}

function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}
