// A self-signed X.509 certificate for an agent's TLS, encoded by hand (DER): Node can make keys and sign, but not
// certificates, and a host must not need the openssl program for this. Consoles never trust it by a CA: they pin its
// SHA-256 fingerprint, as SSH pins host keys. ECDSA P-256 with SHA-256, v3, the host's addresses as IP SANs.
import {createHash, type KeyObject, randomBytes, sign, X509Certificate} from 'node:crypto';

const der = (tag: number, body: Buffer): Buffer => {
	const n = body.length;
	const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
	return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const oid = (dotted: string): Buffer => {
	const [a, b, ...rest] = dotted.split('.').map(Number);
	const bytes = [a! * 40 + b!];
	for (const v of rest) {
		const chunk = [v & 0x7f];
		for (let x = v >>> 7; x > 0; x >>>= 7) chunk.unshift((x & 0x7f) | 0x80);
		bytes.push(...chunk);
	}
	return der(0x06, Buffer.from(bytes));
};
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const integer = (b: Buffer) => der(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const time = (d: Date) => {
	const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
	return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(s.slice(2))) : der(0x18, Buffer.from(s));
};
const ipBytes = (ip: string) => Buffer.from(ip.split('.').map(Number));

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

export type CertificateRequest = {readonly commonName: string; readonly addresses: readonly string[]; readonly days: number};

/** A self-signed certificate (PEM) for the key pair, valid from now for `days`, naming the addresses as IP SANs. */
export function selfSignedCertificate(req: CertificateRequest, publicKey: KeyObject, privateKey: KeyObject, now = new Date(), random = randomBytes(16)): string {
	const name = seq(set(seq(oid('2.5.4.3'), utf8(req.commonName))));
	// positive (high bit clear) and minimal (first byte not zero): OpenSSL refuses an INTEGER with a needless 0x00
	const serial = Buffer.from(random);
	serial[0] = (serial[0]! & 0x7f) | 0x40;
	const san = seq(oid('2.5.29.17'), der(0x04, seq(...req.addresses.map(a => der(0x87, ipBytes(a))))));
	const basic = seq(oid('2.5.29.19'), Buffer.from([0x01, 0x01, 0xff]), der(0x04, seq()));
	const usage = seq(oid('2.5.29.37'), der(0x04, seq(oid('1.3.6.1.5.5.7.3.1'))));
	const tbs = seq(
		der(0xa0, integer(Buffer.from([2]))),
		integer(serial),
		ECDSA_SHA256,
		name,
		seq(time(new Date(now.getTime() - 60_000)), time(new Date(now.getTime() + req.days * 86_400_000))),
		name,
		publicKey.export({type: 'spki', format: 'der'}),
		der(0xa3, seq(san, basic, usage)),
	);
	const signature = sign('sha256', tbs, {key: privateKey, dsaEncoding: 'der'});
	const cert = seq(tbs, ECDSA_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
	return `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/** `SHA256:AB:CD:…`: how nsdeck writes, shows and compares a certificate's fingerprint. */
export function fingerprintOf(certPemOrDer: string | Buffer): string {
	const raw = typeof certPemOrDer === 'string' ? new X509Certificate(certPemOrDer).raw : certPemOrDer;
	return `SHA256:${createHash('sha256').update(raw).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:')}`;
}

/** A fingerprint as given by an operator: with or without `SHA256:`, colons or not, any case. */
export function parseFingerprint(text: string): string | undefined {
	const hex = text.replace(/^sha256:/i, '').replace(/:/g, '');
	if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
	return `SHA256:${hex.toUpperCase().replace(/(..)(?!$)/g, '$1:')}`;
}
