import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox, tableRoutes} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('two networks and route targets (real namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.61.0.0/24', '--no-auto-rt', '--rt', '64512:100']));
		await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.62.0.0/24', '--no-auto-rt', '--rt', '64512:200']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'c', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'b', '--network', 'red']));
	});

	it('apps on one network reach each other; the two networks are isolated', () => {
		expect(ping(sb.ns('a'), '10.61.0.3')).toBe(true);
		expect(ping(sb.ns('a'), '10.62.0.2')).toBe(false);
		expect(ping(sb.ns('b'), '10.61.0.2')).toBe(false);
	});

	it('a leak one way is not enough: replies need the way back', async () => {
		await ok(sb.nsdeck(['rt', 'add', 'red', '64512:100', '--import-only']));
		expect(tableRoutes(sb.vrouter, '1002')).toContain('10.61.0.2 dev ' + `${sb.prefix}vi-a`);
		expect(ping(sb.ns('b'), '10.61.0.2')).toBe(false);
	});

	it('leaking both ways makes ping work, and the preview says so first', async () => {
		const preview = await ok(sb.nsdeck(['rt', 'add', 'blue', '64512:200', '--import-only', '--dry-run']));
		expect(preview.stdout).toContain('+ 10.62.0.2/32');
		expect(preview.stdout).toMatch(/a \(inbound blue\): \+1 reachable/);
		expect(ping(sb.ns('a'), '10.62.0.2')).toBe(false); // a dry run changes nothing
		await ok(sb.nsdeck(['rt', 'add', 'blue', '64512:200', '--import-only']));
		expect(ping(sb.ns('a'), '10.62.0.2')).toBe(true);
		expect(ping(sb.ns('b'), '10.61.0.3')).toBe(true);
	});

	it('removing one target cuts it again, and explain says why', async () => {
		const r = await ok(sb.nsdeck(['rt', 'del', 'blue', '64512:200']));
		expect(r.stdout).toContain('- 10.62.0.2/32');
		expect(ping(sb.ns('a'), '10.62.0.2')).toBe(false);
		expect(tableRoutes(sb.vrouter, '1001')).not.toContain(`10.62.0.2 dev ${sb.prefix}vi-b`);
		const why = await ok(sb.nsdeck(['explain', 'blue', '10.62.0.2']));
		expect(why.stdout).toContain('nsdeck rt add blue target:64512:200 --import-only');
	});

	it('routes shows each route with its origin and whether the kernel has it', async () => {
		const r = await ok(sb.nsdeck(['routes', 'red', '--json']));
		const routes = JSON.parse(r.stdout).routes as Array<{prefix: string; installed: boolean; origin: {kind: string}}>;
		expect(routes.map(x => [x.prefix, x.origin.kind, x.installed])).toEqual([
			['10.61.0.2/32', 'imported', true],
			['10.61.0.3/32', 'imported', true],
			['10.62.0.2/32', 'local', true],
		]);
	});
});
