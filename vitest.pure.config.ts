import {defineConfig} from 'vitest/config';

/**
 * The pure tests alone (test/core, and the console's tests on hosts held in memory: no root, no kernel, no build):
 * what the mutation run (bench/mutation.ts, Stryker) runs against each mutant. `npm test` uses vitest.config.ts,
 * which includes these too.
 */
export default defineConfig({
	test: {
		include: ['test/core/**/*.test.ts', ...['keys', 'registry', 'moves', 'scale', 'trust', 'first-frame'].map(f => `test/tui/${f}.test.ts*`)],
		env: {NODE_ENV: 'production', FORCE_COLOR: '0'},
	},
});
