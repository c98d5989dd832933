// Bundles source/ into dist/ with React's production build. Entry points share chunks; the console is a chunk of
// its own that only `nsdeck` with no subcommand loads, so scripted commands never load Ink or React.
import {build} from 'esbuild';
import {chmod} from 'node:fs/promises';

const entries = ['cli', 'netns-daemon-start', 'netns-daemon-stop', 'network-manage'];
await build({
	entryPoints: Object.fromEntries(entries.map(name => [name, name === 'cli' ? 'source/cli.tsx' : `source/bin/${name}.ts`])),
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	packages: 'external',
	jsx: 'automatic',
	banner: {js: '#!/usr/bin/env node'},
	chunkNames: 'chunks/[name]-[hash]',
	logLevel: 'warning',
});
await Promise.all(entries.map(name => chmod(`dist/${name}.js`, 0o755)));
