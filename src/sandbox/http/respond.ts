import type { SandboxResponse } from './router';

/** Response helpers for sandbox route handlers. */
export const json = (value: unknown, status = 200, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(value),
});

export const problem = (status: number, type: string, title: string, detail?: string): SandboxResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  body: JSON.stringify({ type, title, status, ...(detail ? { detail } : {}) }),
});

export const xml = (document: string, status = 200, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { 'content-type': 'application/xml; charset=utf-8', ...headers },
  body: document,
});

export const text = (body: string, status = 200, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

export const empty = (status = 204, headers: Record<string, string> = {}): SandboxResponse => ({ status, headers });
