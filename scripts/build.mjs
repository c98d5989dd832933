// Bundles source/ into dist/ with React's production build, in two parts:
// - dist/cli.js and the three original scripts: CommonJS, one file each (dist/package.json says so). Node 20 loads
//   one CommonJS file ~16 ms faster than the same code as ES modules (bench/cli.ts), and every scripted command and
//   init script pays its start. What only some commands need (the agent, the lab, gobgpd's gRPC) stays lazy.
// - dist/console/: the console (Ink, React, conf), ES modules with top-level await, chunked, imported by dist/cli.js
//   only when `nsdeck` runs with no command or with console flags; scripted commands never load it.
// Ink, React and conf are bundled in (tree-shaken), which is why they are devDependencies: loading Ink's ~300
// modules one by one from node_modules costs ~400 ms of the console's first frame (bench/render.tsx), and an
// installed nsdeck need not download them. The runtime dependencies (native, or reading data files) stay external.
// The licences of the bundled packages go to dist/THIRD-PARTY-LICENSES.txt, since dist/ redistributes their code.
import {build} from 'esbuild';
import {chmod, mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));
// better-sqlite3's JavaScript is bundled too (loading its 8 files one by one costs every command ~6 ms); its addon,
// compiled at install, is loaded from the installed package (see addonByResolution)
const external = [...Object.keys(pkg.dependencies ?? {}).filter(name => name !== 'better-sqlite3'), 'execa', 'react-devtools-core'];

/**
 * better-sqlite3 finds its addon through `bindings`, which walks the caller's stack to find the package's own
 * directory: from inside a bundle that is nsdeck's. Node's resolution finds the same file from anywhere nsdeck runs.
 */
const addonByResolution = {
	name: 'addon-by-resolution',
	setup(b) {
		b.onResolve({filter: /^bindings$/}, a => (a.importer.includes('node_modules/better-sqlite3/') ? {path: 'bindings', namespace: 'addon'} : undefined));
		b.onLoad({filter: /.*/, namespace: 'addon'}, () => ({contents: "module.exports = name => require(require.resolve('better-sqlite3/build/Release/' + name));", loader: 'js'}));
	},
};
const common = {bundle: true, platform: 'node', target: 'node20', external, jsx: 'automatic', define: {'process.env.NODE_ENV': '"production"'}, logLevel: 'warning', metafile: true, plugins: [addonByResolution]};

/** cli.tsx imports the console as './tui/open.js': in the CommonJS build that is the console's own entry, kept out. */
const consoleApart = {
	name: 'console-apart',
	setup(b) {
		b.onResolve({filter: /\/tui\/open\.js$/}, a => (a.importer.endsWith('cli.tsx') ? {path: './console/open.mjs', external: true} : undefined));
	},
};

const entries = ['cli', 'netns-daemon-start', 'netns-daemon-stop', 'network-manage'];
await mkdir('dist', {recursive: true});
const [scripted, consoleBuild] = await Promise.all([
	build({
		...common,
		entryPoints: Object.fromEntries(entries.map(name => [name, name === 'cli' ? 'source/cli.tsx' : `source/bin/${name}.ts`])),
		outdir: 'dist',
		format: 'cjs',
		banner: {js: '#!/usr/bin/env node'},
		plugins: [addonByResolution, consoleApart],
	}),
	build({
		...common,
		entryPoints: {open: 'source/tui/open.ts'},
		outdir: 'dist/console',
		outExtension: {'.js': '.mjs'},
		format: 'esm',
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
		// bundled CommonJS packages call require(); ESM output has none unless given one
		banner: {js: "import {createRequire as __nsdeckRequire} from 'node:module'; const require = __nsdeckRequire(import.meta.url);"},
	}),
]);
const SCOPE = 'dist/package.json';
await writeFile(SCOPE, '{"type": "commonjs"}\n');
await Promise.all(entries.map(name => chmod(`dist/${name}.js`, 0o755)));

const outputs = {...scripted.metafile.outputs, ...consoleBuild.metafile.outputs};
// files of earlier builds would ship in the package: remove what this build did not write (not dist/ as a whole
// first, so that a test run using dist/ while another build runs never finds it empty)
const LICENSES = 'dist/THIRD-PARTY-LICENSES.txt';
const written = new Set([...Object.keys(outputs), LICENSES, SCOPE]);
const found = await readdir('dist', {recursive: true, withFileTypes: true});
for (const file of found) {
	const path = `${file.parentPath}/${file.name}`;
	if (file.isFile() && !written.has(path)) await rm(path);
}
for (const dir of found.filter(f => f.isDirectory()).map(f => `${f.parentPath}/${f.name}`).sort().reverse()) {
	if ((await readdir(dir)).length === 0) await rm(dir, {recursive: true});
}

/** The package directory of a bundled input (`node_modules/@scope/name/...`, nested ones included). */
function packageDir(input) {
	const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
	return m?.[1];
}

const bundled = new Set(Object.values(outputs).flatMap(o => Object.keys(o.inputs)).map(packageDir).filter(Boolean));
const notices = [];
for (const dir of [...bundled].sort()) {
	const meta = JSON.parse(await readFile(`${dir}/package.json`, 'utf8'));
	const file = (await readdir(dir)).find(f => /^(licen[cs]e|copying)(\.|$)/i.test(f));
	const text = file ? await readFile(`${dir}/${file}`, 'utf8') : `${meta.license ?? 'no licence named'} (no licence file in the package)`;
	notices.push(`${meta.name}@${meta.version} (${meta.license ?? '?'})\n\n${text.trim()}\n`);
}
await writeFile(LICENSES, `Packages bundled into nsdeck's dist/ (the rest are installed as dependencies)\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`);
