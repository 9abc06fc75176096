import { Migration } from '@mikro-orm/migrations';

export class Migration20261202044219_conformance extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "conformance_finding" ("id" uuid not null, "run_id" uuid not null, "rule" varchar(16) not null, "subject" varchar(512) not null, "severity" text check ("severity" in ('error', 'warning', 'info')) not null, "message" text not null, "evidence" jsonb not null, "upstream" varchar(16) not null, "ars" varchar(12) not null, constraint "conformance_finding_pkey" primary key ("id"));`);
    this.addSql(`create index "conformance_finding_rule_subject_index" on "conformance_finding" ("rule", "subject");`);
    this.addSql(`alter table "conformance_finding" add constraint "conformance_finding_run_id_rule_subject_unique" unique ("run_id", "rule", "subject");`);

    this.addSql(`create table "conformance_run" ("id" uuid not null, "started_at" timestamptz not null default current_timestamp, "finished_at" timestamptz null, "status" text check ("status" in ('running', 'succeeded', 'failed')) not null default 'running', "scope" varchar(12) null, "rules" jsonb null, "outcomes" jsonb null, "trigger" varchar(32) not null default 'api', "error" text null, "finding_count" int not null default 0, constraint "conformance_run_pkey" primary key ("id"));`);
    this.addSql(`create index "conformance_run_status_started_at_index" on "conformance_run" ("status", "started_at");`);
  }

}
