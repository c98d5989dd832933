import Database from 'better-sqlite3';
import {closeSync, mkdirSync, openSync} from 'node:fs';
import {join} from 'node:path';

/**
 * A cross-process mutex for changing the kernel: an EXCLUSIVE transaction on a small SQLite file of its own. The
 * kernel releases it when the holder exits, even on SIGKILL, so a crash never leaves the host locked; and intent
 * writes (on the main store) are not blocked while a change is applied.
 */
export function withApplyLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
	const path = join(dir, 'apply.lock');
	mkdirSync(dir, {recursive: true, mode: 0o700});
	closeSync(openSync(path, 'a', 0o600));
	const db = new Database(path);
	db.pragma('busy_timeout = 120000');
	db.exec('BEGIN EXCLUSIVE');
	return fn().finally(() => {
		db.exec('COMMIT');
		db.close();
	});
}
