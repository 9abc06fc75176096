import { Migration } from '@mikro-orm/migrations';

export class Migration20261202043126_harvest_snapshots extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "availability_fact" ("id" bigserial primary key, "ars" varchar(12) not null, "service_id" varchar(100) not null, "leika_key" varchar(14) null, "service_name" text null, "online" boolean not null, "added_in" int not null, "removed_in" int null);`);
    this.addSql(`create index "availability_fact_removed_in_index" on "availability_fact" ("removed_in");`);
    this.addSql(`create index "availability_fact_ars_service_id_index" on "availability_fact" ("ars", "service_id");`);
    this.addSql(`create index "availability_fact_leika_key_added_in_index" on "availability_fact" ("leika_key", "added_in");`);

    this.addSql(`create table "harvest_item" ("id" bigserial primary key, "upstream" varchar(16) not null, "item_key" varchar(300) not null, "hash" varchar(64) not null, "payload" jsonb not null, "added_in" int not null, "removed_in" int null);`);
    this.addSql(`create index "harvest_item_removed_in_index" on "harvest_item" ("removed_in");`);
    this.addSql(`create index "harvest_item_added_in_index" on "harvest_item" ("added_in");`);
    this.addSql(`create index "harvest_item_upstream_item_key_index" on "harvest_item" ("upstream", "item_key");`);

    this.addSql(`create table "harvest_pointer" ("id" int not null default 1, "snapshot_id" int not null, "switched_at" timestamptz not null, constraint "harvest_pointer_pkey" primary key ("id"));`);

    this.addSql(`create table "harvest_progress" ("snapshot_id" int not null, "unit" varchar(100) not null, "result" jsonb not null, "done_at" timestamptz not null default current_timestamp, constraint "harvest_progress_pkey" primary key ("snapshot_id", "unit"));`);

    this.addSql(`create table "harvest_snapshot" ("id" serial primary key, "started_at" timestamptz not null default current_timestamp, "finished_at" timestamptz null, "status" text check ("status" in ('building', 'complete', 'failed')) not null default 'building', "full" boolean not null default false, "upstreams" jsonb not null, "base_urls" jsonb not null, "counts" jsonb not null, "aggregates" jsonb null, "facts_pruned" boolean not null default false, "holder" varchar(200) null, "error" text null);`);
    this.addSql(`create index "harvest_snapshot_status_finished_at_index" on "harvest_snapshot" ("status", "finished_at");`);

    this.addSql(`alter table "harvest_run" add column "snapshot_id" int null, add column "counts" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "harvest_run" drop column "snapshot_id", drop column "counts";`);
  }

}
