import { Migration } from '@mikro-orm/migrations';

export class Migration20261122142703_init extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_client" ("id" uuid not null, "name" varchar(200) not null, "key_hash" varchar(64) not null, "key_prefix" varchar(16) not null, "role" text check ("role" in ('public', 'integrator', 'admin')) not null default 'public', "created_at" timestamptz not null default current_timestamp, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_client_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_client" add constraint "api_client_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "harvest_run" ("id" uuid not null, "upstream" varchar(64) not null, "started_at" timestamptz not null default current_timestamp, "finished_at" timestamptz null, "status" text check ("status" in ('running', 'succeeded', 'failed')) not null default 'running', "error" text null, "item_count" int not null default 0, constraint "harvest_run_pkey" primary key ("id"));`);
    this.addSql(`create index "harvest_run_upstream_started_at_index" on "harvest_run" ("upstream", "started_at");`);

    this.addSql(`create table "persisted_document" ("hash" varchar(64) not null, "body" text not null, "created_at" timestamptz not null default current_timestamp, constraint "persisted_document_pkey" primary key ("hash"));`);
  }

}
