import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ipJson, ok, sandbox, storeDump} from '../helpers.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

const kernelDump = () => JSON.stringify([sb.namespaces(), ipJson(sb.vrouter, 'route', 'show', 'table', 'all', 'proto', '77'), ipJson(sb.vrouter, 'link', 'show').map(l => l.ifname)]);
const labDir = join(sb.stateDir, 'lab');
const labEnv = {NSDECK_LAB_DIR: labDir, NSDECK_LAB_PREFIX: `${sb.prefix.slice(0, 5)}`};

const CASES: Array<[string, string[], string, Record<string, string>?]> = [
	['a VNI that is not a number', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '12a'], "invalid VNI '12a'"],
	['VNI 0', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '0'], "invalid VNI '0'"],
	['a VNI over 24 bits', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '16777216'], "invalid VNI '16777216'"],
	['a VNI over the 20 bits of a BGP label', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '1048576'], "invalid VNI '1048576': expected a number from 1 to 1048574"],
	['the gateway\'s VNI', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '1048575'], "invalid VNI '1048575'"],
	['a VNI already used', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--vni', '4242'], "VNI 4242 is already used by network 'blue'"],
	['a block outside the subnet', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--block', '10.132.0.0/26'], 'address block 10.132.0.0/26 is not inside subnet 10.131.0.0/24'],
	['a block larger than the subnet', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--block', '10.131.0.0/16'], 'is not inside subnet'],
	['a malformed block', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--block', '10.131.0.x/26'], 'is not an IPv4 address'],
	['a /31 block', ['net', 'create', 'n1', '--subnet', '10.131.0.0/24', '--block', '10.131.0.0/31'], 'length must be at most /30'],
	['an address outside this host\'s block', ['bind', 'x', '--network', 'blue', '--ip', '10.130.1.5'], "outside this host's block 10.130.0.0/24"],
	['a malformed VTEP', ['host', 'set', '--name', 'h1', '--vtep', '192.168.1'], "'192.168.1' is not an IPv4 address"],
	['a loopback VTEP', ['host', 'set', '--name', 'h1', '--vtep', '127.0.0.1'], "invalid VTEP address '127.0.0.1'"],
	['a multicast VTEP', ['host', 'set', '--name', 'h1', '--vtep', '239.1.1.1'], "invalid VTEP address '239.1.1.1'"],
	['an unknown control plane', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--control', 'bgp'], "invalid control 'bgp'"],
	['gobgp control without its API address', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--control', 'gobgp'], '--control gobgp needs --gobgp HOST:PORT'],
	['a gobgp API address without a port', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gobgp', '127.0.0.1'], "invalid gobgp API address '127.0.0.1'"],
	['a gobgp API port out of range', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gobgp', '127.0.0.1:70000'], "invalid gobgp API address '127.0.0.1:70000'"],
	['an agent port out of range', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent-port', '0'], "invalid agent port '0'"],
	['a host name with shell characters', ['host', 'set', '--name', 'h1;reboot', '--vtep', '192.0.2.1'], "invalid host name 'h1;reboot'"],
	['an underlay namespace with a slash', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--underlay-ns', '../x'], "invalid underlay namespace '../x'"],
	['host set without a VTEP the first time', ['host', 'set', '--name', 'h1'], '--vtep ADDR is required the first time'],
	['a peer without a VTEP', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--peer', 'h2'], "invalid peer 'h2': expected NAME=VTEP"],
	['a peer with a bad VTEP', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--peer', 'h2=300.1.1.1'], "'300.1.1.1' is not an IPv4 address"],
	['host set with an unknown flag', ['host', 'set', '--vxlan', '1'], "unknown flag '--vxlan'"],
	['an agent without NAME=', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'http://127.0.0.1:50152'], "invalid agent 'http://127.0.0.1:50152': expected NAME=URL"],
	['an agent with a bad name', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h 2=http://127.0.0.1:50152'], "invalid agent 'h 2=http://127.0.0.1:50152'"],
	['an agent URL that is not http(s)', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=ftp://127.0.0.1:50152', '--agent-token', `h2=${join(sb.stateDir, 'nsdeck.db')}`], "invalid agent URL 'ftp://127.0.0.1:50152' for h2"],
	['an agent URL with a path', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=http://127.0.0.1:50152/v1', '--agent-token', `h2=${join(sb.stateDir, 'nsdeck.db')}`], "invalid agent URL 'http://127.0.0.1:50152/v1' for h2"],
	['an agent without a token file', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=http://127.0.0.1:50152'], "agent 'h2' needs --agent-token h2=FILE"],
	['an agent token file that does not exist', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=http://127.0.0.1:50152', '--agent-token', 'h2=/nonexistent/agent.token'], "token file '/nonexistent/agent.token' for h2 is not a readable file"],
	['an agent token file given relative', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=http://127.0.0.1:50152', '--agent-token', 'h2=agent.token'], "invalid token file 'agent.token' for h2: an absolute path"],
	['a token for an agent never named', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent-token', `h9=${join(sb.stateDir, 'nsdeck.db')}`], "--agent-token for 'h9', which has no --agent NAME=URL"],
	['this host as its own agent', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h1=http://127.0.0.1:50151', '--agent-token', `h1=${join(sb.stateDir, 'nsdeck.db')}`], "agent 'h1' is this host"],
	['the agent with a bad port', ['agent', '--port', 'http'], "invalid port 'http'"],
	['the agent on a host without gobgp settings', ['agent'], 'this host is not set up for gobgp'],
	['lab up with no hosts', ['lab', 'up', '--hosts', '0'], "invalid --hosts '0': expected 1-199", labEnv],
	['lab up with too many hosts', ['lab', 'up', '--hosts', '200'], "invalid --hosts '200'", labEnv],
	['lab up with more hosts than its prefix leaves room for', ['lab', 'up', '--hosts', '100'], "--hosts 100: the lab prefix", labEnv],
	['lab up with an unknown gateway kind', ['lab', 'up', '--gateway', 'frr'], "invalid --gateway 'frr': bird", labEnv],
	['lab up with three route reflectors', ['lab', 'up', '--reflectors', '3'], "invalid --reflectors '3': expected 1-2", labEnv],
	['a gateway with a bad next hop', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gateway', 'gw1=300.1.1.1'], "'300.1.1.1' is not an IPv4 address"],
	['a label mapping for an unknown gateway', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gateway-vni', 'gw9=900:9000'], "--gateway-vni for 'gw9', which has no --gateway NAME=NEXTHOP"],
	['a reserved MPLS label', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gateway', 'gw1=192.0.2.200', '--gateway-vni', 'gw1=3:9000'], "invalid label mapping '3:9000'"],
	['a VNI over 24 bits', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--gateway', 'gw1=192.0.2.200', '--gateway-vni', 'gw1=900:16777216'], "invalid label mapping '900:16777216'"],
	['plain http to another host\'s agent', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=http://192.0.2.2:50152', '--agent-token', `h2=${join(sb.stateDir, 'nsdeck.db')}`], 'refusing plain http:// for agent h2 at 192.0.2.2:50152'],
	['an https agent without a certificate to pin (nobody answers there)', ['host', 'set', '--name', 'h1', '--vtep', '192.0.2.1', '--agent', 'h2=https://127.0.0.1:1', '--agent-token', `h2=${join(sb.stateDir, 'nsdeck.db')}`, '--agent-fingerprint', 'h2=12:34'], "invalid fingerprint '12:34' for h2"],
	['an agent with a bad log level', ['agent', '--log-level', 'verbose'], "invalid --log-level 'verbose'"],
	['an agent with a TLS key but no certificate', ['agent', '--tls-key', '/etc/hostname'], '--tls-key and --tls-cert go together'],
	['lab up with a non-numeric host count', ['lab', 'up', '--hosts', 'two'], "invalid --hosts 'two'", labEnv],
	['lab up with no networks', ['lab', 'up', '--networks', '0'], "invalid --networks '0': expected 1-256", labEnv],
	['lab up with a value for --empty', ['lab', 'up', '--empty=yes'], 'flag --empty takes no value', labEnv],
	['lab up with too many apps', ['lab', 'up', '--apps', '1000'], "invalid --apps '1000'", labEnv],
	['lab up with a bad lab prefix', ['lab', 'up'], "invalid NSDECK_LAB_PREFIX 'Bad/'", {...labEnv, NSDECK_LAB_PREFIX: 'Bad/'}],
	['lab up with a bad port base', ['lab', 'up'], "invalid NSDECK_LAB_PORT '80'", {...labEnv, NSDECK_LAB_PORT: '80'}],
	['lab down with a stray argument', ['lab', 'down', 'now'], "unexpected argument 'now'", labEnv],
];

describe('bad input for the multi-host flags is refused with exit 2, one line, and nothing changed', () => {
	let store = '';
	let kernel = '';
	beforeAll(async () => {
		await ok(sb.nsdeck(['net', 'create', 'blue', '--subnet', '10.130.0.0/16', '--vni', '4242', '--block', '10.130.0.0/24']));
		await ok(sb.nsdeck(['bind', 'a', '--network', 'blue']));
		store = storeDump(sb.stateDir);
		kernel = kernelDump();
	});

	it.each(CASES)('%s', async (_what, args, message, extra) => {
		const r = await sb.nsdeck(args, extra);
		expect(r.code, r.stderr).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(/^nsdeck: /);
		expect(r.stderr).toContain(message);
	});

	it('left the store, the kernel and the lab directory as they were', () => {
		expect(storeDump(sb.stateDir)).toBe(store);
		expect(kernelDump()).toBe(kernel);
		expect(existsSync(labDir)).toBe(false);
	});
});
