// Bundles source/ into dist/ with React's production build. Entry points share chunks; the console is a chunk of
// its own that only `nsdeck` with no subcommand loads, so scripted commands never load Ink or React.
// Ink, React and conf are bundled in (tree-shaken), which is why they are devDependencies: loading Ink's ~300
// modules one by one from node_modules costs ~400 ms of the console's first frame (bench/render.tsx), and an
// installed nsdeck need not download them. The runtime dependencies (native, or reading data files) stay external.
// The licences of the bundled packages go to dist/THIRD-PARTY-LICENSES.txt, since dist/ redistributes their code.
import {build} from 'esbuild';
import {chmod, readdir, readFile, rm, writeFile} from 'node:fs/promises';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), 'react-devtools-core'];

const entries = ['cli', 'netns-daemon-start', 'netns-daemon-stop', 'network-manage'];
const result = await build({
	entryPoints: Object.fromEntries(entries.map(name => [name, name === 'cli' ? 'source/cli.tsx' : `source/bin/${name}.ts`])),
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	external,
	jsx: 'automatic',
	define: {'process.env.NODE_ENV': '"production"'},
	// bundled CommonJS packages call require(); ESM output has none unless given one
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __nsdeckRequire} from 'node:module'; const require = __nsdeckRequire(import.meta.url);"},
	chunkNames: 'chunks/[name]-[hash]',
	logLevel: 'warning',
	metafile: true,
});
await Promise.all(entries.map(name => chmod(`dist/${name}.js`, 0o755)));
// chunks of earlier builds would ship in the package: remove what this build did not write (not dist/ as a whole
// first, so that a test run using dist/ while another build runs never finds it empty)
const LICENSES = 'dist/THIRD-PARTY-LICENSES.txt';
const written = new Set([...Object.keys(result.metafile.outputs), LICENSES]);
for (const file of await readdir('dist', {recursive: true, withFileTypes: true})) {
	const path = `${file.parentPath}/${file.name}`;
	if (file.isFile() && !written.has(path)) await rm(path);
}

/** The package directory of a bundled input (`node_modules/@scope/name/...`, nested ones included). */
function packageDir(input) {
	const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
	return m?.[1];
}

const bundled = new Set(Object.values(result.metafile.outputs).flatMap(o => Object.keys(o.inputs)).map(packageDir).filter(Boolean));
const notices = [];
for (const dir of [...bundled].sort()) {
	const meta = JSON.parse(await readFile(`${dir}/package.json`, 'utf8'));
	const file = (await readdir(dir)).find(f => /^(licen[cs]e|copying)(\.|$)/i.test(f));
	const text = file ? await readFile(`${dir}/${file}`, 'utf8') : `${meta.license ?? 'no licence named'} (no licence file in the package)`;
	notices.push(`${meta.name}@${meta.version} (${meta.license ?? '?'})\n\n${text.trim()}\n`);
}
await writeFile(LICENSES, `Packages bundled into nsdeck's dist/ (the rest are installed as dependencies)\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`);
