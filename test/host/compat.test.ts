import {afterAll, describe, expect, it} from 'vitest';
import {ip, ok, ping, sandbox} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('the original scripts work with their original flags (real namespaces)', () => {
	it('network-manage create and show, ignoring the controller flags with a note', async () => {
		const r = await ok(sb.script('network-manage', ['--api-server', '10.0.0.1', '--api-port', '8082', 'create', '--subnet', '10.131.0.0/24', 'front']));
		expect(r.stderr).toContain('--api-server, --api-port ignored');
		await ok(sb.script('network-manage', ['create', '--subnet', '10.132.0.0/24', 'default-domain:admin:back']));
		const show = await ok(sb.script('network-manage', ['show', 'back']));
		expect(show.stdout).toMatch(/^name: back\nsubnet: 10\.132\.0\.0\/24\n {4}target:64512:\d+ import-export \(automatic\)/);
	});

	it('network-manage rtarget-add --import-only makes the target import-only', async () => {
		await ok(sb.script('network-manage', ['rtarget-add', '--rtarget', '64512:100', '--import-only', 'back']));
		const show = await ok(sb.script('network-manage', ['show', 'back']));
		expect(show.stdout).toContain('target:64512:100 import');
		expect(show.stdout).not.toContain('target:64512:100 import-export');
	});

	it('netns-daemon-start --network A --outbound B daemon creates ns-daemon with veth0 and veth1', async () => {
		const r = await ok(sb.script('netns-daemon-start', ['--network', 'front', '--outbound', 'back', 'daemon']));
		expect(r.stdout.trim()).toBe(sb.ns('daemon'));
		expect(sb.namespaces()).toContain(sb.ns('daemon'));
		expect(ip(sb.ns('daemon'), 'route', 'show', 'default').trim()).toBe('default via 169.254.1.1 dev veth1 proto 77 onlink');
		await ok(sb.script('netns-daemon-start', ['-n', 'front', 'peer']));
		const back = JSON.parse((await ok(sb.nsdeck(['net', 'show', 'front', '--json']))).stdout).targets[0].rt;
		await ok(sb.script('network-manage', ['rtarget-add', '--rtarget', back.replace('target:', ''), '--import-only', 'back']));
		expect(ping(sb.ns('peer'), '10.131.0.2')).toBe(true);
	});

	it('netns-daemon-stop daemon removes the namespace; errors keep the script name and exit 2', async () => {
		await ok(sb.script('netns-daemon-stop', ['-s', '127.0.0.1', 'daemon']));
		expect(sb.namespaces()).not.toContain(sb.ns('daemon'));
		const bad = await sb.script('netns-daemon-stop', ['daemon']);
		expect(bad.code).toBe(2);
		expect(bad.stderr.trim()).toBe("netns-daemon-stop: unknown app 'daemon' (see 'nsdeck status')");
		const flag = await sb.script('network-manage', ['rtarget-add', 'back']);
		expect(flag.code).toBe(2);
		expect(flag.stderr.trim()).toBe('network-manage: rtarget-add needs --rtarget ASN:N');
	});
});
