// The agent's secrets in the state dir: its bearer token and its TLS key and certificate. Each is written atomically
// (a temp file, fsync, rename, fsync of the dir; 0600), so a crash or a full disk never leaves an empty or half file
// that a later start would take as valid. A token too short to be a secret refuses the agent; it is never replaced
// silently, since other hosts may hold a copy.
import {generateKeyPairSync, randomBytes} from 'node:crypto';
import {chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {fingerprintOf, selfSignedCertificate} from '../core/certificate.js';
import {OperationError} from '../core/errors.js';

/** The shortest bearer token the agent accepts. */
export const TOKEN_MIN = 32;

/** Where a host's agent token lives: its state dir. */
export function agentTokenPath(dir: string): string {
	return join(dir, 'agent.token');
}

export const agentKeyPath = (dir: string) => join(dir, 'agent.key');
export const agentCertPath = (dir: string) => join(dir, 'agent.crt');

/**
 * Writes a file whole or not at all: temp file in the same dir, fsync, rename over, fsync the dir. `durable: false`
 * skips both fsyncs, for a file that is only ever made again (a status): readers still never see half of it.
 */
export function writeAtomic(path: string, text: string, mode = 0o600, {durable = true} = {}): void {
	const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
	const fd = openSync(tmp, 'wx', mode);
	try {
		writeSync(fd, text);
		if (durable) fsyncSync(fd);
	} catch (e) {
		closeSync(fd);
		rmSync(tmp, {force: true});
		throw e;
	}
	closeSync(fd);
	try {
		renameSync(tmp, path);
	} catch (e) {
		rmSync(tmp, {force: true});
		throw e;
	}
	if (!durable) return;
	const dfd = openSync(dirname(path), 'r');
	try {
		fsyncSync(dfd);
	} finally {
		closeSync(dfd);
	}
}

/** Why a token file cannot be used, or undefined when it can. */
export function tokenProblem(token: string): string | undefined {
	if (token.length === 0) return 'is empty';
	if (token.length < TOKEN_MIN) return `is too short (${token.length} characters, at least ${TOKEN_MIN})`;
	if (/\s/.test(token)) return 'holds whitespace inside the token';
	return undefined;
}

/**
 * The bearer token consoles on other hosts present to this host's agent: made once (48 hex characters), 0600, in the
 * state dir. An existing file that is empty or short is refused with one line naming it, never overwritten.
 */
export function agentToken(dir: string): string {
	const path = agentTokenPath(dir);
	mkdirSync(dir, {recursive: true, mode: 0o700});
	if (!existsSync(path)) writeAtomic(path, randomBytes(24).toString('hex') + '\n');
	chmodSync(path, 0o600);
	const token = readFileSync(path, 'utf8').trim();
	const problem = tokenProblem(token);
	if (problem) throw new OperationError(`agent token ${path} ${problem}: remove the file to have a new one made (and copy it to the other hosts again), or write a token of ${TOKEN_MIN}+ characters`);
	return token;
}

export type AgentCredentials = {readonly key: string; readonly cert: string; readonly fingerprint: string; readonly made: boolean};

/**
 * The agent's TLS key and certificate: the operator's files when given (or already in the state dir), else made now:
 * an ECDSA P-256 key and a self-signed certificate naming the host and its addresses, valid ten years.
 */
export function agentCredentials(dir: string, o: {name: string; addresses: readonly string[]; keyFile?: string; certFile?: string}): AgentCredentials {
	const keyFile = o.keyFile ?? agentKeyPath(dir);
	const certFile = o.certFile ?? agentCertPath(dir);
	let made = false;
	if (!existsSync(keyFile) || !existsSync(certFile)) {
		if (o.keyFile || o.certFile) throw new OperationError(`TLS ${existsSync(keyFile) ? 'certificate' : 'key'} file ${existsSync(keyFile) ? certFile : keyFile} does not exist`);
		const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
		writeAtomic(keyFile, privateKey.export({type: 'pkcs8', format: 'pem'}) as string);
		writeAtomic(certFile, selfSignedCertificate({commonName: o.name, addresses: o.addresses, days: 3650}, publicKey, privateKey), 0o644);
		made = true;
	}
	const key = readFileSync(keyFile, 'utf8');
	const cert = readFileSync(certFile, 'utf8');
	let fingerprint: string;
	try {
		fingerprint = fingerprintOf(cert);
	} catch {
		throw new OperationError(`TLS certificate ${certFile} is not a PEM certificate`);
	}
	return {key, cert, fingerprint, made};
}

/** The fingerprint of this host's agent certificate, when it has one (host show: what other hosts pin). */
export function agentFingerprint(dir: string | {dir: string}): string | null {
	const path = agentCertPath(typeof dir === 'string' ? dir : dir.dir);
	try {
		return fingerprintOf(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}
