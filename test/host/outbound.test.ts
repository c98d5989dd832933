import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ip, ipJson, ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

const defaultRoute = (app: string) => ip(sb.ns(app), 'route', 'show', 'default').trim();

describe('an app with an inbound and an outbound network (real namespaces)', () => {
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.71.0.0/24']));
		await ok(sb.nsdeck(['net', 'create', 'green', '--subnet', '10.73.0.0/24']));
		await ok(sb.nsdeck(['bind', 'client', '--network', 'blue']));
		await ok(sb.nsdeck(['bind', 'server', '--network', 'blue', '--outbound', 'green']));
	});

	it('has its default route only via the outbound network and loose rp_filter on veth0', () => {
		expect(defaultRoute('server')).toBe('default via 169.254.1.1 dev veth1 onlink');
		expect(ipJson(sb.ns('server'), 'route', 'show').filter(r => r.dst === 'default')).toHaveLength(1);
		const conf = ipJson<Array<{interface: string; rp_filter?: string; family: string}>>(sb.ns('server'), 'netconf', 'show');
		expect(conf.find(c => c.family === 'inet' && c.interface === 'veth0')?.rp_filter).toBe('loose');
		expect(ipJson(sb.ns('server'), '-4', 'addr', 'show', 'dev', 'veth0')[0]).toMatchObject({addr_info: [expect.objectContaining({local: '10.71.0.3', prefixlen: 32})]});
		expect(ipJson(sb.ns('server'), '-4', 'addr', 'show', 'dev', 'veth1')[0]).toMatchObject({addr_info: [expect.objectContaining({local: '10.73.0.2', prefixlen: 32})]});
	});

	it('a client on the inbound network gets no reply until the outbound network imports the inbound one', async () => {
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(false);
		const blueRt = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'blue', '--json']))).stdout).targets[0].rt as string;
		await ok(sb.nsdeck(['rt', 'add', 'green', blueRt, '--import-only']));
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
		await ok(sb.nsdeck(['rt', 'del', 'green', blueRt, '--import-only']));
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(false);
		await ok(sb.nsdeck(['rt', 'add', 'green', blueRt, '--import-only']));
	});

	it('clearing the outbound network moves the default route back to veth0; setting it again restores veth1', async () => {
		const cleared = await ok(sb.nsdeck(['outbound', 'server', '--clear']));
		expect(cleared.stdout).toContain('- 10.73.0.2/32');
		expect(defaultRoute('server')).toBe('default via 169.254.1.1 dev veth0 onlink');
		expect(ip(sb.ns('server'), 'link', 'show', 'veth1')).toBe('');
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
		await ok(sb.nsdeck(['outbound', 'server', 'green']));
		expect(defaultRoute('server')).toBe('default via 169.254.1.1 dev veth1 onlink');
		expect(ping(sb.ns('client'), '10.71.0.3')).toBe(true);
		const status = JSON.parse((await ok(sb.nsdeck(['status', '--json']))).stdout);
		expect(status.apps.find((a: {name: string}) => a.name === 'server')).toMatchObject({defaultVia: 'green', drift: []});
	});
});
