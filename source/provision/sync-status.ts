// What the sync reports (its health, the steps it took) and the agent's state file that carries it to local readers
// (the lab, scripts).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {PeerInfo} from '../control/gobgp.js';
import {writeAtomic} from './credentials.js';

/** Where the sync says what it does: one event name and its fields (the agent's structured log). */
export type SyncLog = (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>) => void;

export type SyncOptions = {
	readonly log: SyncLog;
	/** called after anything in health() may have changed (connected, pushed, converged, a session) */
	readonly onChange?: () => void;
	/** how often intent is checked when no file event came (a missed inotify event, a store on NFS); default 2 s */
	readonly fallbackMs?: number;
};

/** A step the sync took last: when, how long, what it changed, or why it failed. */
export type Step = {readonly at: string; readonly ms: number; readonly changes: number; readonly error?: string};

export type SyncHealth = {
	/** the host's own gobgpd answers and holds this host's state */
	readonly connected: boolean;
	readonly pushedPaths: number;
	readonly pushedVrfs: number;
	readonly remotes: number;
	/** intent pushed, every learned route applied, nothing queued */
	readonly inSync: boolean;
	readonly lastPush: Step | null;
	readonly lastConverge: Step | null;
	/** converges: every time learned routes were applied; direct: how many of them as lines alone, without a converge */
	readonly stats: {readonly pushes: number; readonly replays: number; readonly converges: number; readonly direct: number; readonly events: number};
};

/** Where the agent leaves its state for local readers (the lab, scripts): no secret in it. */
export const agentStatusPath = (dir: string) => join(dir, 'agent.status.json');

export type AgentStatus = SyncHealth & {readonly pid: number; readonly at: string; readonly sessions: readonly PeerInfo[]};

/** The agent's last written state, or undefined when there is none (no agent ran, or it is unreadable). */
export function readAgentStatus(dir: string): AgentStatus | undefined {
	try {
		return JSON.parse(readFileSync(agentStatusPath(dir), 'utf8')) as AgentStatus;
	} catch {
		return undefined;
	}
}

/**
 * Writes the agent's state (atomically, 0644: counts and states only). Not fsynced: it is written again after every
 * change, and two fsyncs each time blocked the agent's event loop for milliseconds while routes were waiting.
 */
export function writeAgentStatus(dir: string, status: AgentStatus): void {
	writeAtomic(agentStatusPath(dir), JSON.stringify(status) + '\n', 0o644, {durable: false});
}
