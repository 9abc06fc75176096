import { ApiClient } from './ApiClient';
import { ConformanceFinding } from './ConformanceFinding';
import { ConformanceRun } from './ConformanceRun';
import { HarvestRun } from './HarvestRun';
import { AvailabilityFact, HarvestItem, HarvestPointer, HarvestProgress, HarvestSnapshot } from './HarvestSnapshot';
import { PersistedDocument } from './PersistedDocument';

export { API_CLIENT_ROLES, ApiClient, type ApiClientRole } from './ApiClient';
export { CONFORMANCE_RUN_STATUSES, ConformanceRun, type ConformanceRunStatus } from './ConformanceRun';
export { ConformanceFinding, FINDING_SEVERITIES } from './ConformanceFinding';
export { HARVEST_RUN_STATUSES, HarvestRun, type HarvestRunStatus } from './HarvestRun';
export { PersistedDocument } from './PersistedDocument';
export {
  AvailabilityFact,
  HarvestItem,
  HarvestPointer,
  HarvestProgress,
  HarvestSnapshot,
  SNAPSHOT_STATUSES,
  type SnapshotAggregates,
  type SnapshotStatus,
  type UpstreamCounts,
} from './HarvestSnapshot';

/** Every entity the ORM knows. Listed explicitly: discovery never scans folders (tsc and vitest see different files). */
export const entities = [ApiClient, PersistedDocument, HarvestRun, HarvestSnapshot, HarvestPointer, HarvestItem, AvailabilityFact, HarvestProgress, ConformanceRun, ConformanceFinding];
