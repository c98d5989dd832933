import {fail} from '../core/errors.js';
import {formatIpv4, formatPrefix, parseIpv4, parsePrefix, prefixContains} from '../core/ipv4.js';
import {APP_GATEWAY} from '../core/names.js';
import {parseRouteTarget} from '../core/rt.js';
import type {Context} from './context.js';
import {operate} from './operation.js';

import {GATEWAY_KEY} from '../dataplane/desired.js';

/**
 * An external route: a prefix learned from outside (an uplink's default route, say) with its targets. Its next hop
 * is emulated by the host's gateway namespace, which answers at every next-hop address.
 */
export async function addExternalRoute(ctx: Context, req: {prefix: string; targets: readonly string[]; via: string}) {
	const prefix = formatPrefix(parsePrefix(req.prefix));
	if (req.targets.length === 0) fail('an external route needs at least one --rt');
	const targets = [...new Set(req.targets.map(parseRouteTarget))];
	const via = parseIpv4(req.via, 'next hop');
	const viaText = formatIpv4(via);
	if (viaText === APP_GATEWAY || via >>> 24 === 0 || via >>> 24 === 127 || via >>> 28 >= 14) fail(`invalid next hop ${viaText}: not a unicast host address`);
	return operate(ctx, 'route add', {prefix, targets, via: viaText}, () => {
		for (const n of ctx.store.load().networks) {
			if (n.subnet && prefixContains(parsePrefix(n.subnet), via)) fail(`next hop ${viaText} is inside network '${n.name}' (${n.subnet}); a gateway sits outside every network`);
		}
		ctx.store.upsertExternal({prefix, via: viaText, targets});
	}, {touched: [GATEWAY_KEY]});
}

export async function deleteExternalRoute(ctx: Context, rawPrefix: string) {
	const prefix = formatPrefix(parsePrefix(rawPrefix));
	return operate(ctx, 'route del', {prefix}, () => {
		if (!ctx.store.deleteExternal(prefix)) fail(`no external route ${prefix}`);
	}, {touched: [GATEWAY_KEY]});
}
