import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ROOT_CONTEXT,
  SpanKind,
  INVALID_SPAN_CONTEXT,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { projectRoot } from '../util/paths';

/**
 * OpenTelemetry tracing (issue 14): one SERVER span per GraphQL HTTP request, named by its operation once Apollo has
 * resolved it; child spans per data-cache lookup (src/cache/) and per upstream HTTP request (src/upstreams/runtime/http.ts);
 * an incoming W3C `traceparent` is continued, and the trace id is the request's `X-Request-Id` and is written into every
 * log line of the request (observability/log.ts). Spans are always made — request ids come from them — but exported only
 * when OTEL_EXPORTER_OTLP_ENDPOINT is configured (OTLP over HTTP, JSON, `<endpoint>/v1/traces`).
 *
 * OpenTelemetry's API is process-global by design (tracer provider, context manager, propagator): the provider of the
 * gateway started last is the active one; stopping a gateway unregisters its provider only if it is still the active one.
 */

const TRACER = 'thuegate';

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: base URL of an OTLP/HTTP collector; unset = nothing is exported. */
  endpoint?: string;
  /** Extra exporter, e.g. an InMemorySpanExporter in tests; spans go to it as they end. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Flushes pending spans to the exporters and unregisters the provider. */
  shutdown(): Promise<void>;
}

const version = (): string => {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

export function startTracing(opts: TracingOptions = {}): Tracing {
  const processors: SpanProcessor[] = [];
  if (opts.exporter) processors.push(new SimpleSpanProcessor(opts.exporter));
  if (opts.endpoint) {
    // Loaded only when an endpoint is configured: the exporter and its OTLP transformer cost start-up time and
    // heap (bench/CHANGES-perf-mem.md) in every gateway that exports nothing.
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` })));
  }
  // Spans of finished work (recordSpan) have no reader but the processors: without one they are not made at all.
  recordsSpans = processors.length > 0;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'thuegate', 'service.version': version() }),
    spanProcessors: processors,
  });
  // A previous registration (another gateway in this process, a test) is replaced rather than silently kept.
  trace.disable();
  context.disable();
  propagation.disable();
  // The context manager (AsyncLocalStorage) hooks every promise of the process; it is what makes child spans find
  // their parent. Without a span reader there are no child spans (inSpan, recordSpan), and what the active context
  // carried for them — a request's trace id in its log lines and upstream traceparents — is carried explicitly
  // (RequestTrace: CallContext.trace → UpstreamRequest.trace). Issue 15: the hooks cost a warm request ~5 %.
  provider.register({ contextManager: recordsSpans ? undefined : null });
  return {
    async shutdown() {
      await provider.shutdown();
      const active = trace.getTracerProvider() as { getDelegate?: () => unknown };
      if (active.getDelegate?.() === provider) {
        trace.disable();
        recordsSpans = false;
      }
    },
  };
}

const tracer = () => trace.getTracer(TRACER);

/** Whether the active provider (the last `startTracing`) hands ended spans to a processor (an exporter). */
let recordsSpans = false;

/** Whether ended spans go anywhere (an OTLP endpoint or a test exporter): then every executed request gets its span. */
export function spansRecorded(): boolean {
  return recordsSpans;
}

/** A request's trace: its id is the request id; log lines and upstream requests made for the request name it. */
export interface RequestTrace {
  traceId: string;
  spanId: string;
  /** W3C trace flag "sampled" of the request's span (an incoming unsampled traceparent stays unsampled). */
  sampled?: boolean;
}

/** The trace id of the active span, when there is a valid one (the request id of the request being served). */
export function activeTraceIds(): RequestTrace | undefined {
  const sc = trace.getActiveSpan()?.spanContext();
  return sc && isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : undefined;
}

/**
 * Log fields naming a request's trace when no span is active (with one, the logger names the active span itself,
 * observability/log.ts).
 */
export function traceFields(given: RequestTrace | undefined): Partial<Pick<RequestTrace, 'traceId' | 'spanId'>> {
  return given && !activeTraceIds() ? { traceId: given.traceId, spanId: given.spanId } : {};
}

/** The trace of a GraphQL HTTP request that `traceGraphqlRequest` runs (its SERVER span), whether or not a context manager carries it. */
export function requestTrace(req: IncomingMessage): RequestTrace | undefined {
  const ctx = requestContexts.get(req);
  const sc = ctx && trace.getSpan(ctx)?.spanContext();
  return sc && isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED } : undefined;
}

/** The request context of each traced HTTP request, to re-enter after callbacks that lose it (body parsing). */
const requestContexts = new WeakMap<IncomingMessage, Context>();

/**
 * Runs one GraphQL HTTP request inside its SERVER span, continuing an incoming `traceparent`; sets `X-Request-Id` to
 * the trace id before anything else can answer (response-cache hits included). The span ends when the response does.
 */
export function traceGraphqlRequest(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    'graphql',
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '').split('?')[0] } },
    parent,
  );
  const sc = span.spanContext();
  if (isSpanContextValid(sc)) res.setHeader('X-Request-Id', sc.traceId);
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    const hit = res.getHeader('x-cache');
    if (hit) span.setAttribute('thuegate.response_cache', String(hit));
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: res.writableFinished ? undefined : 'connection closed early' });
    span.end();
  });
  const ctx = trace.setSpan(parent, span);
  requestContexts.set(req, ctx);
  context.with(ctx, handle);
}

/** One in this many response-cache hits is traced when the caller did not ask for it (issue 15: hits stay cheap). */
export const HIT_TRACE_EVERY = 100;
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;
let hitsSinceTrace = 0;

export interface HitTrace {
  /** The request's X-Request-Id: the trace id when traced or continued, a fresh random id otherwise. */
  requestId: string;
  span?: Span;
}

/**
 * Tracing of a response-cache hit, sampled: a SERVER span of its own when the caller's `traceparent` is sampled
 * (flag 01) and for one hit in HIT_TRACE_EVERY; otherwise no span, and the request id is the caller's trace id (so
 * its own traces still name this answer) or a random id of the same form. A span costs about as much as the rest
 * of a hit together; the hot path answers tens of thousands of them a second.
 */
export function traceHit(req: IncomingMessage): HitTrace {
  const header = req.headers.traceparent;
  const m = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  const asked = m !== null && (parseInt(m[2], 16) & 1) === 1 && m[1] !== '0'.repeat(32);
  if (asked || ++hitsSinceTrace >= HIT_TRACE_EVERY) {
    hitsSinceTrace = 0;
    const span = tracer().startSpan(
      'graphql',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '').split('?')[0] } },
      propagation.extract(ROOT_CONTEXT, req.headers),
    );
    const sc = span.spanContext();
    if (isSpanContextValid(sc)) return { requestId: sc.traceId, span };
    span.end();
  }
  return { requestId: m && m[1] !== '0'.repeat(32) ? m[1] : newTraceId() };
}

/** Random bytes for request ids, filled 256 ids at a time (one system call instead of one per request). */
const idPool = Buffer.allocUnsafe(16 * 256);
let idPoolAt = idPool.length;

/** A random id of a trace id's form (32 lower-case hex digits): the request id of a request without a span. */
export function newTraceId(): string {
  if (idPoolAt >= idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const id = idPool.toString('hex', idPoolAt, (idPoolAt += 16));
  // The all-zero id is invalid (W3C trace context); 2^-128, but cheap to rule out.
  return id === '0'.repeat(32) ? newTraceId() : id;
}

/**
 * The trace of a request that gets no span of its own (the compiled path, which only runs when nothing records
 * spans): a fresh trace id, which is its request id; its log lines and the `traceparent` of its upstream requests
 * name it (CallContext.trace) as they name a request of the regular path (where the id is its span's trace id).
 */
export function newRequestTrace(): RequestTrace {
  const traceId = newTraceId();
  return { traceId, spanId: traceId.slice(16), sampled: true };
}

/** Ends a hit's span with the answer's status. */
export function endHitTrace(trace: HitTrace, status: number, cache: string): void {
  if (!trace.span) return;
  trace.span.setAttributes({ 'http.response.status_code': status, 'thuegate.response_cache': cache });
  trace.span.end();
}

/** Express middleware after the body parser: back into the request's trace context, which stream callbacks do not carry. */
export function continueTrace(req: IncomingMessage, _res: unknown, next: () => void): void {
  const ctx = requestContexts.get(req);
  if (ctx) context.with(ctx, next);
  else next();
}

/** Names the request's span after its operation (`query ByArs`) and records the operation and error count. */
export const tracingPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const span = trace.getActiveSpan();
    if (!span) return {};
    return {
      async didResolveOperation({ operation, operationName }) {
        if (!operation) return;
        span.updateName(`${operation.operation}${operationName ? ` ${operationName}` : ''}`);
        span.setAttributes({ 'graphql.operation.type': operation.operation, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
      },
      async willSendResponse({ response }) {
        const errors = response.body.kind === 'single' ? (response.body.singleResult.errors?.length ?? 0) : 0;
        if (errors) span.setAttribute('graphql.errors', errors);
      },
    };
  },
};

/** A span that records nothing, for `inSpan` when no span is read (it then makes none). */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `fn` in a child span of the active one; errors mark the span and are rethrown unchanged. When nothing
 * records spans there is no parent to find (no context manager) and no reader, so no span is made (`fn` gets one
 * that records nothing).
 */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!recordsSpans) return fn(NO_SPAN);
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error)?.message });
      throw e;
    } finally {
      span.end();
    }
  });
}

/**
 * A child span of the active one for work that is already done and had no children (e.g. a fresh cache hit).
 * Such a span has no children and sets no request id, so when nothing exports spans (no OTLP endpoint, no test
 * exporter) nobody can ever see it and it is not made (issue 15: a warm request makes 11 of these).
 * `attributes` is a function so that a skipped span does not build its attribute object either.
 */
export function recordSpan(name: string, kind: SpanKind, attributes: () => Attributes): void {
  if (!recordsSpans) return;
  tracer().startSpan(name, { kind, attributes: attributes() }).end();
}

/**
 * W3C trace-context headers for an outgoing request: of the active span (the request's CLIENT span) when spans are
 * recorded, otherwise of the request's trace carried explicitly (`given`); empty without either.
 */
export function traceHeaders(given?: RequestTrace): Record<string, string> {
  const headers: Record<string, string> = {};
  if (activeTraceIds()) propagation.inject(context.active(), headers);
  else if (given) headers.traceparent = `00-${given.traceId}-${given.spanId}-${given.sampled === false ? '00' : '01'}`;
  return headers;
}

export { SpanKind };
