import type Database from 'better-sqlite3';

export type Migration = {
  /** The `user_version` this migration leaves the database at. */
  version: number;
  name: string;
  up(db: Database.Database): void;
};
