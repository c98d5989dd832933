import Database from 'better-sqlite3';
import {execFile, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export type Run = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/**
 * A sandbox of its own per test file: a namespace prefix `t<hex>-` and a state dir. `cleanup` deletes every
 * namespace with the prefix and the state dir, and runs in afterAll even when a test fails. `long` gives the longest
 * prefix nsdeck accepts (8 characters), where interface names have the least room.
 */
export function sandbox({long = false} = {}) {
	const prefix = `t${randomBytes(long ? 3 : 2).toString('hex')}-`;
	const stateDir = mkdtempSync(join(tmpdir(), 'nsdeck-test-'));
	const env = {...process.env, NSDECK_NS_PREFIX: prefix, NSDECK_STATE_DIR: stateDir, NODE_ENV: 'production'};
	delete (env as Record<string, string | undefined>).NSDECK_FAULT;

	const run = (bin: string, args: readonly string[], extra: Record<string, string> = {}): Promise<Run> =>
		new Promise(done => {
			const child = execFile(process.execPath, [bin, ...args], {env: {...env, ...extra}, maxBuffer: 64 << 20}, (_error, stdout, stderr) => {
				done({code: child.exitCode, signal: child.signalCode, stdout, stderr});
			});
		});

	return {
		prefix,
		stateDir,
		env,
		nsdeck: (args: readonly string[], extra?: Record<string, string>) => run(CLI, args, extra),
		script: (name: string, args: readonly string[]) => run(join(ROOT, 'dist', `${name}.js`), args),
		ns: (app: string) => `${prefix}ns-${app}`,
		vrouter: `${prefix}nsdeck-vr`,
		namespaces: () => readdirSync('/run/netns').filter(n => n.startsWith(prefix)).sort(),
		cleanup() {
			for (const n of readdirSync('/run/netns').filter(x => x.startsWith(prefix))) {
				spawnSync('ip', ['netns', 'del', n]);
			}
			rmSync(stateDir, {recursive: true, force: true});
		},
	};
}

export type Sandbox = ReturnType<typeof sandbox>;

/** One ICMP echo from inside a namespace, one second to answer: what an operator would try first. */
export function ping(namespace: string, address: string): boolean {
	return spawnSync('ip', ['netns', 'exec', namespace, 'ping', '-c', '1', '-W', '1', '-q', address]).status === 0;
}

/** `ip -j` in a namespace, parsed. */
export function ipJson<T = Array<Record<string, unknown>>>(namespace: string, ...args: string[]): T {
	const r = spawnSync('ip', ['-n', namespace, '-j', ...args], {encoding: 'utf8'});
	return JSON.parse(r.stdout || '[]') as T;
}

export function ip(namespace: string | undefined, ...args: string[]): string {
	return spawnSync('ip', [...(namespace ? ['-n', namespace] : []), ...args], {encoding: 'utf8'}).stdout;
}

/** The routes of one kernel table in the vrouter, as `prefix dev|via` strings. */
export function tableRoutes(vrouter: string, table: string): string[] {
	return ipJson<Array<{dst: string; dev?: string; gateway?: string; type?: string}>>(vrouter, 'route', 'show', 'table', table)
		.filter(r => r.type !== 'unreachable')
		.map(r => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev}`)
		.sort();
}

export async function ok(p: Promise<Run>): Promise<Run> {
	const r = await p;
	if (r.code !== 0) throw new Error(`exit ${r.code ?? r.signal}: ${r.stderr || r.stdout}`);
	return r;
}

/** Every row of every table: the store must be byte-for-byte the same after refused input. */
export function storeDump(stateDir: string): string {
	const db = new Database(join(stateDir, 'nsdeck.db'), {readonly: true});
	const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
	const dump = JSON.stringify(tables.map(t => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
	db.close();
	return dump;
}
