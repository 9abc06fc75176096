import { Migration } from '@mikro-orm/migrations';

export class Migration20261202074327_conformance_basis extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "conformance_run" add column "basis" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "conformance_run" drop column "basis";`);
  }

}
