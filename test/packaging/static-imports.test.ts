// What a scripted command loads: dist/cli.js's static imports, then the chunk it imports for the command (and the
// same for the seed's scripts). Ink, React and conf (bundled into the console's chunks) and execa (long-lived
// processes only) must never be among them: each costs a scripted start tens to hundreds of ms.
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ROOT} from '../helpers.js';

const DIST = join(ROOT, 'dist');
const FORBIDDEN = ['ink', 'react', 'conf', 'execa'];

/** A module's static imports (`import ... from "x"`, `import "x"`, `export ... from "x"`) and dynamic ones. */
function importsOf(file: string): {static: string[]; dynamic: string[]} {
	const text = readFileSync(file, 'utf8');
	const statics = [...text.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?["']([^"']+)["']/g)].map(m => m[1]!);
	const dynamics = [...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map(m => m[1]!);
	return {static: statics, dynamic: dynamics};
}

/** Every file reached by static imports (and dynamic ones if asked) from the roots, the packages they import, and the packages bundled in them. */
function closure(roots: readonly string[], followDynamic = false) {
	const files = new Set<string>();
	const packages = new Set<string>();
	const visit = (file: string) => {
		if (files.has(file)) return;
		files.add(file);
		const imports = importsOf(file);
		for (const spec of followDynamic ? [...imports.static, ...imports.dynamic] : imports.static) {
			if (spec.startsWith('.')) visit(join(dirname(file), spec));
			else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
		}
		// esbuild marks every bundled module with a `// node_modules/PKG/...` comment
		for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) packages.add(`bundled:${m[1]}`);
	};
	roots.forEach(visit);
	return {files, packages};
}

const forbiddenIn = (packages: Set<string>) => [...packages].filter(p => FORBIDDEN.includes(p.replace(/^bundled:/, '')));

describe('scripted commands never load Ink, React, conf or execa', () => {
	const cli = join(DIST, 'cli.js');
	const chunk = (spec: string) => join(DIST, spec);
	const dynamic = importsOf(cli).dynamic;
	const consoleChunk = dynamic.find(s => /\/open-[^/]+\.js$/.test(s));

	it('dist/cli.js imports the console and the commands on demand only', () => {
		expect(consoleChunk, `cli.js's dynamic imports: ${dynamic.join(', ')}`).toBeDefined();
		expect(dynamic.some(s => /\/main-[^/]+\.js$/.test(s))).toBe(true);
		// --version runs before any import: the entry itself imports node's modules alone
		expect(importsOf(cli).static.filter(s => !s.startsWith('node:'))).toEqual([]);
	});

	it('nothing a scripted command or completion reaches by static imports holds them', () => {
		// every entry point's own path: cli.js, then whichever chunk it imports for a command (not the console's)
		const roots = [cli, ...dynamic.filter(s => s !== consoleChunk).map(chunk), ...['netns-daemon-start', 'netns-daemon-stop', 'network-manage'].map(n => join(DIST, `${n}.js`))];
		const {files, packages} = closure(roots);
		expect(files.size).toBeGreaterThan(roots.length);
		expect(forbiddenIn(packages)).toEqual([]);
		// better-sqlite3 is what a command needs: the walk does reach the packages of the commands' chunks
		expect(packages.has('better-sqlite3')).toBe(true);
	});

	it('the console\'s chunks do hold Ink, React and conf (the walk looks for something that exists)', () => {
		const {packages} = closure([chunk(consoleChunk!)], true);
		expect(['bundled:ink', 'bundled:react', 'bundled:conf'].filter(p => !packages.has(p))).toEqual([]);
	});

	it('execa, wherever dist/ uses it, is imported dynamically', () => {
		const files = readdirSync(DIST, {recursive: true}).map(String).filter(f => f.endsWith('.js')).map(f => join(DIST, f));
		const staticExeca = files.filter(f => importsOf(f).static.some(s => s === 'execa' || s.startsWith('execa/')));
		expect(staticExeca.map(f => f.slice(DIST.length + 1))).toEqual([]);
	});
});
