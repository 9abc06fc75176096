export { UPSTREAMS, isUpstreamName, type UpstreamName } from './names';
export {
  UPSTREAM_ERROR_CODES,
  UpstreamError,
  isUpstreamError,
  type UpstreamErrorCode,
  type UpstreamErrorInit,
  type UpstreamErrorInternal,
} from './errors';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  createUpstreamClient,
  type HeaderSource,
  type HttpMethod,
  type UpstreamClient,
  type UpstreamClientConfig,
  type UpstreamErrorExtra,
  type UpstreamRequest,
  type UpstreamResponse,
  type UpstreamTimeouts,
} from './http';
export { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RETRY, retryAfterMs, type BreakerOptions, type BulkheadOptions, type RetryOptions } from './policy';
export { buildUpstreamUrl, pathUnderBase, type QueryInit, type QueryValue } from './url';
export {
  DEFAULT_XML_LIMITS,
  XmlElement,
  XmlError,
  XmlLimitError,
  XmlSecurityError,
  XmlSyntaxError,
  parseXml,
  xmlFromResponse,
  type NsMap,
  type XmlAttribute,
  type XmlLimits,
} from './xml';
export { OGC_NS, OWS_NAMESPACES, assertNoOgcException, ogcException, type OgcException } from '../../formats/ogc/exception';
export type { BreakerStateName } from './metrics';
