// What a scripted command loads. Ink, React and conf (bundled into the console's chunks) and execa (long-lived
// processes only) must never be among them: each costs a scripted start tens to hundreds of ms. Checked twice:
// in the text of the built files (nothing of them bundled into, or required by, dist/cli.js and the seed's scripts),
// and by running real scripted commands with every module load recorded (record-loads.mjs).
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ROOT, sandbox} from '../helpers.js';

const DIST = join(ROOT, 'dist');
const FORBIDDEN = ['ink', 'react', 'conf', 'execa'];
const SCRIPTED = ['cli', 'netns-daemon-start', 'netns-daemon-stop', 'network-manage'].map(n => join(DIST, `${n}.js`));
const sb = sandbox();
const dir = mkdtempSync(join(tmpdir(), 'nsdeck-loads-'));
afterAll(() => {
	sb.cleanup();
	rmSync(dir, {recursive: true, force: true});
});

/** Packages esbuild bundled into a file: it marks each bundled module with a `// node_modules/PKG/...` comment. */
const bundledIn = (text: string) => new Set([...text.matchAll(/^\s*\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map(m => m[1]!));
const required = (text: string) => new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map(m => m[1]!.split('/')[0]!));
const imported = (text: string) => [...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map(m => m[1]!);

/** Every module file a run of the built nsdeck loads. */
function loads(args: readonly string[], script = join(DIST, 'cli.js')): {code: number | null; files: string[]} {
	const log = join(dir, `loads-${Math.random().toString(36).slice(2)}`);
	const r = spawnSync(process.execPath, ['--import', join(import.meta.dirname, 'record-loads.mjs'), script, ...args], {env: {...sb.env, NSDECK_LOADS: log}, encoding: 'utf8'});
	let files: string[] = [];
	try {
		files = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(f => f.replace(/^file:\/\//, ''));
	} catch {}
	return {code: r.status, files};
}
const forbidden = (files: readonly string[]) => files.filter(f => FORBIDDEN.some(p => f.includes(`/node_modules/${p}/`)) || f.includes('/dist/console/'));

describe('scripted commands never load Ink, React, conf or execa', () => {
	it('dist/cli.js and the seed\'s scripts are CommonJS files of their own, with nothing of them bundled or required', () => {
		expect(JSON.parse(readFileSync(join(DIST, 'package.json'), 'utf8'))).toEqual({type: 'commonjs'});
		for (const file of SCRIPTED) {
			const text = readFileSync(file, 'utf8');
			expect([...bundledIn(text)].filter(p => FORBIDDEN.includes(p)), file).toEqual([]);
			expect([...required(text)].filter(p => FORBIDDEN.includes(p)), file).toEqual([]);
			expect(text).not.toMatch(/require\("\.\/console/);
		}
		// the console comes in by import() alone, only from dist/cli.js
		expect(imported(readFileSync(SCRIPTED[0]!, 'utf8')).filter(s => s.includes('console'))).toEqual(['./console/open.mjs']);
	});

	it('the console\'s chunks do hold Ink, React and conf (the text check looks for something that exists)', () => {
		const files = readdirSync(join(DIST, 'console'), {recursive: true}).map(String).filter(f => f.endsWith('.mjs'));
		const all = new Set(files.flatMap(f => [...bundledIn(readFileSync(join(DIST, 'console', f), 'utf8'))]));
		expect(['ink', 'react', 'conf'].filter(p => !all.has(p))).toEqual([]);
	});

	it('execa, wherever dist/ uses it, is imported on demand', () => {
		const files = readdirSync(DIST, {recursive: true}).map(String).filter(f => /\.m?js$/.test(f));
		const eager = files.filter(f => {
			const text = readFileSync(join(DIST, f), 'utf8');
			return required(text).has('execa') || /^\s*import\b[^(]*["']execa["']/m.test(text);
		});
		expect(eager).toEqual([]);
	});

	it('running them: --version, help, reads, bind, unbind, completion and the seed\'s scripts load none of them', async () => {
		await sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.88.0.0/24']);
		const runs = [
			loads(['--version']), loads(['help']), loads(['net', 'list']), loads(['status', '--json']),
			loads(['bind', 'web', '--network', 'blue']), loads(['unbind', 'web']),
			loads(['completion', 'bash']), loads(['__complete', 'bash', 'net', 'show', '']),
			loads(['-n', 'blue', 'api'], join(DIST, 'netns-daemon-start.js')), loads(['api'], join(DIST, 'netns-daemon-stop.js')),
			loads(['show', 'blue'], join(DIST, 'network-manage.js')),
		];
		expect(runs.map(r => r.code)).toEqual(runs.map(() => 0));
		// the recorder sees what it must: the store's package in a command, nothing but node's own in --version
		expect(runs[2]!.files.some(f => f.includes('/node_modules/better-sqlite3/'))).toBe(true);
		expect(runs[0]!.files.filter(f => !f.startsWith('node:') && !f.endsWith('/dist/cli.js'))).toEqual([]);
		expect(runs.flatMap(r => forbidden(r.files))).toEqual([]);
	});

	it('the console, asked for, is what loads dist/console (the recorder sees ES modules too)', () => {
		const r = loads(['--view', 'nonsense']);
		expect(r.code).toBe(2);
		expect(r.files.some(f => f.endsWith('/dist/console/open.mjs'))).toBe(true);
	});
});
