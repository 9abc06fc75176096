import { ApiClient } from './ApiClient';
import { HarvestRun } from './HarvestRun';
import { PersistedDocument } from './PersistedDocument';

export { API_CLIENT_ROLES, ApiClient, type ApiClientRole } from './ApiClient';
export { HARVEST_RUN_STATUSES, HarvestRun, type HarvestRunStatus } from './HarvestRun';
export { PersistedDocument } from './PersistedDocument';

/** Every entity the ORM knows. Listed explicitly: discovery never scans folders (tsc and vitest see different files). */
export const entities = [ApiClient, PersistedDocument, HarvestRun];
