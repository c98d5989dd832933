// The agent's log: one line per event, `key=value` pairs (logfmt) with the time, the level and the event first. Under
// systemd (JOURNAL_STREAM set) each line starts with its syslog priority (`<6>`), which journald reads as the level.
// Callers pass fields, never request bodies or tokens: what reaches this module is what an operator may read.
export const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];
export type Fields = Record<string, unknown>;
export type Logger = (level: Level, event: string, fields?: Fields) => void;

const PRIORITY: Record<Level, number> = {error: 3, warn: 4, info: 6, debug: 7};

export function parseLevel(text: string): Level | undefined {
	return (LEVELS as readonly string[]).includes(text) ? (text as Level) : undefined;
}

function value(v: unknown): string {
	const s = typeof v === 'string' ? v : v instanceof Error ? v.message : JSON.stringify(v) ?? String(v);
	return /^[\w.:/@+-]+$/.test(s) ? s : JSON.stringify(s);
}

/** One log line, without the newline. */
export function formatLine(level: Level, event: string, fields: Fields = {}, now = new Date(), journald = false): string {
	const parts = [`time=${now.toISOString()}`, `level=${level}`, `event=${value(event)}`];
	for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${k}=${value(v)}`);
	return `${journald ? `<${PRIORITY[level]}>` : ''}${parts.join(' ')}`;
}

/** A logger writing lines of `level` and above; `write` defaults to stdout. */
export function makeLogger(level: Level = 'info', write: (line: string) => void = l => process.stdout.write(l + '\n'), journald = Boolean(process.env.JOURNAL_STREAM)): Logger {
	const max = LEVELS.indexOf(level);
	return (l, event, fields) => {
		if (LEVELS.indexOf(l) <= max) write(formatLine(l, event, fields, new Date(), journald));
	};
}
