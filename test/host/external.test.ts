import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ok, ping, sandbox, tableRoutes} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('an external route imported by an import-only target (real namespaces, gateway namespace)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.81.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.83.0.0/24']));
		await ok(sb.nsdeck(['bind', 'web', '--network', 'blue', '--outbound', 'green']));
		await ok(sb.nsdeck(['bind', 'other', '--network', 'blue']));
		await ok(sb.nsdeck(['route', 'add', '0.0.0.0/0', '--rt', '64512:900', '--via', '192.0.2.1']));
	});

	it('the gateway is unreachable while the outbound network does not import its route', () => {
		expect(sb.namespaces()).toContain(`${sb.prefix}nsdeck-gw`);
		expect(ping(sb.ns('web'), '192.0.2.1')).toBe(false);
	});

	it('an import-only target brings the default route in and the app reaches the gateway', async () => {
		await ok(sb.nsdeck(['rt', 'add', 'green', '64512:900', '--import-only']));
		expect(tableRoutes(sb.vrouter, '1002')).toContain(`default via 192.0.2.1 dev ${sb.prefix}gw0`);
		expect(ping(sb.ns('web'), '192.0.2.1')).toBe(true);
		expect(ping(sb.ns('other'), '192.0.2.1')).toBe(false); // blue imports nothing external
	});

	it('removing the import-only target takes the route away and the ping fails again', async () => {
		await ok(sb.nsdeck(['rt', 'del', 'green', '64512:900', '--import-only']));
		expect(tableRoutes(sb.vrouter, '1002').some(r => r.startsWith('default'))).toBe(false);
		expect(ping(sb.ns('web'), '192.0.2.1')).toBe(false);
	});

	it('deleting the last external route removes the gateway namespace', async () => {
		await ok(sb.nsdeck(['route', 'del', '0.0.0.0/0']));
		expect(sb.namespaces()).not.toContain(`${sb.prefix}nsdeck-gw`);
	});
});
