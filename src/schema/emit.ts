import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/paths';
import { printGatewaySchema } from './build';

export const SCHEMA_FILE = join(projectRoot(), 'schema', 'schema.graphql');

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, printGatewaySchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
