// Bundles source/ into dist/ with React's production build. Entry points share chunks; the console is a chunk of
// its own that only `nsdeck` with no subcommand loads, so scripted commands never load Ink or React.
// Ink, React and conf are bundled in (tree-shaken): loading Ink's ~300 modules one by one from node_modules costs
// ~400 ms of the console's first frame (bench/render.tsx). Native and data-reading packages stay external.
import {build} from 'esbuild';
import {chmod, readFile} from 'node:fs/promises';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));
const inlined = new Set(['ink', 'react', 'conf']);
const external = [...Object.keys(pkg.dependencies ?? {}).filter(name => !inlined.has(name)), 'react-devtools-core'];

const entries = ['cli', 'netns-daemon-start', 'netns-daemon-stop', 'network-manage'];
await build({
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
});
await Promise.all(entries.map(name => chmod(`dist/${name}.js`, 0o755)));
