import Database from 'better-sqlite3';
import {chmodSync, closeSync, mkdirSync, openSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {MIGRATIONS} from './schema.js';

export type Db = Database.Database;

/** Where intent lives: NSDECK_STATE_DIR, else /var/lib/nsdeck for root, else $XDG_STATE_HOME/nsdeck. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.NSDECK_STATE_DIR) return env.NSDECK_STATE_DIR;
	if (process.getuid?.() === 0) return '/var/lib/nsdeck';
	return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'nsdeck');
}

/**
 * Creates the file 0600 before SQLite opens it, so intent is never readable by others, not even for a moment.
 * SQLite gives its -wal and -shm files the database file's mode; they are never touched from outside SQLite
 * (recreating a -shm file another process has mapped crashes it with SIGBUS).
 */
function ensurePrivate(path: string): void {
	closeSync(openSync(path, 'a', 0o600));
	chmodSync(path, 0o600);
}

export function openDb(dir: string, {readonly = false} = {}): Db {
	const path = join(dir, 'nsdeck.db');
	if (!readonly) {
		mkdirSync(dir, {recursive: true, mode: 0o700});
		ensurePrivate(path);
	}
	const db = new Database(path, {readonly, fileMustExist: readonly});
	db.pragma('busy_timeout = 30000');
	if (!readonly) {
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = NORMAL');
		db.pragma('foreign_keys = ON');
		migrate(db);
	}
	return db;
}

function migrate(db: Db): void {
	const version = db.pragma('user_version', {simple: true}) as number;
	if (version >= MIGRATIONS.length) return;
	db.transaction(() => {
		// re-read inside the write lock: another process may have migrated meanwhile
		const current = db.pragma('user_version', {simple: true}) as number;
		for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
		db.pragma(`user_version = ${MIGRATIONS.length}`);
	}).immediate();
}

export const SCHEMA_VERSION = MIGRATIONS.length;
