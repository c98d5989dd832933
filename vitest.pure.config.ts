import {defineConfig} from 'vitest/config';

/**
 * The pure tests alone (test/core, and the console's tests on hosts held in memory: no root, no kernel, no build):
 * what the mutation run (bench/mutation.ts, Stryker) runs against each mutant. `npm test` uses vitest.config.ts,
 * which includes these too.
 */
export default defineConfig({
	// React's production build (NODE_ENV below) has no jsxDEV: compile JSX for it, as vitest.config.ts does
	oxc: {jsx: {runtime: 'automatic', development: false}},
	test: {
		include: ['test/core/**/*.test.ts', ...['keys', 'registry', 'moves', 'scale', 'trust', 'first-frame', 'footer'].map(f => `test/tui/${f}.test.ts*`)],
		env: {NODE_ENV: 'production', FORCE_COLOR: '0'},
	},
});
