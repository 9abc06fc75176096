export { startSandboxServer, type RecordedRequest, type SandboxServer, type SandboxServerOptions } from './server';
export type { SandboxHandler, SandboxRequest, SandboxResponse, SandboxRoute } from './router';
export { empty, json, problem, text, xml } from './respond';
