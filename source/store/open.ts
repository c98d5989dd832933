import Database from 'better-sqlite3';
import {randomBytes} from 'node:crypto';
import {accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {OperationError} from '../core/errors.js';
import {MIGRATIONS} from './schema.js';

export type Db = Database.Database;

/** The store could not be used as it is: nothing was read into intent and nothing was changed (exit 1). */
export class StoreError extends OperationError {}

/** ok: read and written; readonly: read only (a read-only file or mount); missing: no store yet, an empty one in memory. */
export type StoreState = 'ok' | 'readonly' | 'missing';
export type Opened = {readonly db: Db; readonly state: StoreState; readonly path: string};

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Where intent lives: NSDECK_STATE_DIR, else /var/lib/nsdeck for root, else $XDG_STATE_HOME/nsdeck. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
	if (env.NSDECK_STATE_DIR) return env.NSDECK_STATE_DIR;
	if (process.getuid?.() === 0) return '/var/lib/nsdeck';
	return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'nsdeck');
}

export function storePath(dir: string): string {
	return join(dir, 'nsdeck.db');
}

function why(e: unknown): string {
	const code = (e as NodeJS.ErrnoException).code;
	return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? (e as Error).message;
}

function writable(path: string): boolean {
	try {
		accessSync(path, constants.W_OK);
		accessSync(dirname(path), constants.W_OK); // SQLite makes its -wal and -shm files beside the store
		return true;
	} catch {
		return false;
	}
}

/**
 * A WAL store on a read-only mount cannot be opened read-only by SQLite when its -shm file is absent; when no -wal
 * file holds unmerged pages, the file alone is the whole store: read a copy in memory, marked as a rollback-journal
 * database (header bytes 18-19) because an in-memory database cannot be in WAL mode.
 */
function memoryCopy(path: string): Db | undefined {
	if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) return undefined;
	const bytes = readFileSync(path);
	if (bytes.length >= 20) bytes[18] = bytes[19] = 1;
	return new Database(bytes, {readonly: true});
}

/** An empty store in memory, at the latest schema: what a host without a store looks like. */
function emptyDb(): Db {
	const db = new Database(':memory:');
	for (const m of MIGRATIONS) db.exec(m);
	db.pragma(`user_version = ${SCHEMA_VERSION}`);
	return db;
}

function checkVersion(db: Db, path: string, canWrite: boolean): number {
	const version = db.pragma('user_version', {simple: true}) as number;
	if (version === 0) {
		const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
		throw new StoreError(`store ${path} is not an nsdeck store (${tables === 0 ? 'an empty database' : 'no nsdeck schema'}); nothing was changed. Restore the right file, or move it away and run 'nsdeck init'`);
	}
	if (version > SCHEMA_VERSION) throw new StoreError(`store ${path} has schema version ${version}, newer than this nsdeck understands (${SCHEMA_VERSION}): upgrade nsdeck; nothing was changed`);
	if (version < SCHEMA_VERSION && !canWrite) throw new StoreError(`store ${path} has schema version ${version} and is read-only: this nsdeck needs version ${SCHEMA_VERSION}; open it once where it can be written`);
	return version;
}

/**
 * Opens the store without ever creating or guessing one: a missing store is an empty one in memory (the first write
 * creates the file, see createStore); an empty file, a file that is not an nsdeck store, a newer schema or an
 * unreadable file are refused with what to do. A store that cannot be written is opened read-only.
 */
export function openStore(dir: string): Opened {
	const path = storePath(dir);
	let size: number;
	try {
		const st = statSync(path);
		if (!st.isFile()) throw new StoreError(`store ${path} is not a file`);
		size = st.size;
	} catch (e) {
		if (e instanceof StoreError) throw e;
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {db: emptyDb(), state: 'missing', path};
		throw new StoreError(`cannot read store ${path}: ${why(e)}`);
	}
	if (size === 0) throw new StoreError(`store ${path} is empty (0 bytes): not an nsdeck store; nothing was changed. Restore it from a backup, or move it away and run 'nsdeck init'`);
	const canWrite = writable(path);
	let db: Db;
	try {
		db = new Database(path, {readonly: !canWrite, fileMustExist: true});
		db.pragma('busy_timeout = 30000');
		checkVersion(db, path, canWrite);
	} catch (e) {
		if (e instanceof StoreError) throw e;
		const code = (e as {code?: string}).code;
		if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new StoreError(`store ${path} is not an nsdeck store (${(e as Error).message}); nothing was changed`);
		// SQLite cannot make a read-only WAL store's -shm file (a read-only mount or directory): read a copy instead
		let copy: Db | undefined;
		try {
			copy = !canWrite && (code === 'SQLITE_CANTOPEN' || code?.startsWith('SQLITE_READONLY')) ? memoryCopy(path) : undefined;
		} catch (again) {
			throw new StoreError(`cannot read store ${path}: ${why(again)}`);
		}
		if (!copy) throw new StoreError(`cannot read store ${path}: ${code === 'SQLITE_CANTOPEN' ? 'permission denied or unreadable' : (e as Error).message}`);
		checkVersion(copy, path, false);
		return {db: copy, state: 'readonly', path};
	}
	if (!canWrite) return {db, state: 'readonly', path};
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	migrate(db);
	return {db, state: 'ok', path};
}

/**
 * Creates the store at once and whole: built under a temporary name, then linked into place, so a crash never leaves
 * a half-made store where nsdeck looks, and a concurrent creator's store is never replaced (link fails if one exists).
 * The file is 0600 from its first byte (SQLite gives its -wal and -shm files the same mode).
 */
export function createStore(dir: string): Opened {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	const path = storePath(dir);
	const tmp = `${path}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
	closeSync(openSync(tmp, 'wx', 0o600));
	try {
		const db = new Database(tmp);
		db.pragma('journal_mode = WAL');
		migrate(db);
		db.close();
		const fd = openSync(tmp, 'r');
		fsyncSync(fd);
		closeSync(fd);
		try {
			linkSync(tmp, path);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
	} finally {
		unlinkSync(tmp);
	}
	const dirFd = openSync(dir, 'r');
	fsyncSync(dirFd);
	closeSync(dirFd);
	return openStore(dir);
}

function migrate(db: Db): void {
	const version = db.pragma('user_version', {simple: true}) as number;
	if (version >= SCHEMA_VERSION) return;
	db.transaction(() => {
		// re-read inside the write lock: another process may have migrated meanwhile
		const current = db.pragma('user_version', {simple: true}) as number;
		for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
		db.pragma(`user_version = ${MIGRATIONS.length}`);
	}).immediate();
}
