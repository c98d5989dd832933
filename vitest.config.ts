import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		globalSetup: ['test/global-setup.ts'],
		pool: 'forks',
		testTimeout: 120_000,
		hookTimeout: 120_000,
		env: {NODE_ENV: 'production', FORCE_COLOR: '0'},
	},
});
