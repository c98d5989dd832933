import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ipJson, ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

const defaultRoute = (app: string) => ip(sb.ns(app), 'route', 'show', 'default').trim();

const routesOf = (app: string) => ip(sb.ns(app), 'route', 'show').trim().split('\n').map(l => l.trim()).sort();
const rtOf = async (net: string) => JSON.parse((await ok(sb.nsdeck(['net', 'show', net, '--json']))).stdout).targets[0].rt as string;

describe('an app with an inbound and an outbound network (real namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.71.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.73.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'red', '--subnet', '10.72.0.0/24']));
		await ok(sb.nsdeck(['bind', 'client', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'server', '--network', 'blue', '--outbound', 'green']));
		await ok(sb.nsdeck(['bind', 'far', '--network', 'red']));
	});

	it('has its default route only via the outbound network, its inbound subnet via veth0, loose rp_filter on veth0', () => {
		expect(defaultRoute('server')).toBe('default via 169.254.1.1 dev veth1 proto 77 onlink');
		expect(routesOf('server')).toEqual(['10.71.0.0/24 via 169.254.1.1 dev veth0 proto 77 onlink', 'default via 169.254.1.1 dev veth1 proto 77 onlink']);
		const conf = ipJson<Array<{interface: string; rp_filter?: string; family: string}>>(sb.ns('server'), 'netconf', 'show');
		expect(conf.find(c => c.family === 'inet' && c.interface === 'veth0')?.rp_filter).toBe('loose');
		expect(ipJson(sb.ns('server'), '-4', 'addr', 'show', 'dev', 'veth0')[0]).toMatchObject({addr_info: [expect.objectContaining({local: '10.71.0.3', prefixlen: 32})]});
		expect(ipJson(sb.ns('server'), '-4', 'addr', 'show', 'dev', 'veth1')[0]).toMatchObject({addr_info: [expect.objectContaining({local: '10.73.0.2', prefixlen: 32})]});
	});

	it('answers a client of its own inbound subnet directly, as the original scripts did (no import needed)', () => {
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
	});

	it('a client leaked in from another network gets no reply until the outbound network imports that network', async () => {
		const [blueRt, redRt] = [await rtOf('blue'), await rtOf('red')];
		await ok(sb.nsdeck(['rt', 'add', 'blue', redRt, '--import-only']));
		await ok(sb.nsdeck(['rt', 'add', 'red', blueRt, '--import-only']));
		expect(ping(sb.ns('far'), '10.71.0.3')).toBe(false); // the reply leaves by veth1 into green, which lacks far's route
		await ok(sb.nsdeck(['rt', 'add', 'green', redRt, '--import-only']));
		expect(ping(sb.ns('far'), '10.71.0.3')).toBe(true);
		await ok(sb.nsdeck(['rt', 'del', 'green', redRt, '--import-only']));
		expect(ping(sb.ns('far'), '10.71.0.3')).toBe(false);
	});

	it('clearing the outbound network moves the default route back to veth0; setting it again restores veth1', async () => {
		const cleared = await ok(sb.nsdeck(['outbound', 'server', '--clear']));
		expect(cleared.stdout).toContain('- 10.73.0.2/32');
		expect(routesOf('server')).toEqual(['default via 169.254.1.1 dev veth0 proto 77 onlink']);
		expect(ip(sb.ns('server'), 'link', 'show', 'veth1')).toBe('');
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
		expect(ping(sb.ns('far'), '10.71.0.3')).toBe(true); // replies follow the default route into blue, which imports red
		await ok(sb.nsdeck(['outbound', 'server', 'green']));
		expect(defaultRoute('server')).toBe('default via 169.254.1.1 dev veth1 proto 77 onlink');
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.find((a: {name: string}) => a.name === 'server')).toMatchObject({defaultVia: 'green', drift: []});
		expect(status.drift).toEqual([]);
	});
});
