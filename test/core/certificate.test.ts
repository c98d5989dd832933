// The agent's self-signed certificate, encoded by hand (core/certificate.ts): read back by Node's own X.509 parser,
// which is what a console does before it pins the fingerprint.
import {generateKeyPairSync, X509Certificate} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {fingerprintOf, parseFingerprint, selfSignedCertificate} from '../../source/core/certificate.js';

const keys = generateKeyPairSync('ec', {namedCurve: 'P-256'});
const now = new Date('2030-06-01T12:00:00.000Z');

describe('a self-signed certificate', () => {
	it('names the host and its addresses, is valid from a minute ago for the days asked, signed by its own key', () => {
		const pem = selfSignedCertificate({commonName: 'h1', addresses: ['192.168.100.1', '10.0.0.255'], days: 365}, keys.publicKey, keys.privateKey, now);
		expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
		const c = new X509Certificate(pem);
		expect(c.subject).toBe('CN=h1');
		expect(c.issuer).toBe('CN=h1');
		expect(c.subjectAltName).toBe('IP Address:192.168.100.1, IP Address:10.0.0.255');
		expect(new Date(c.validFrom).toISOString()).toBe('2030-06-01T11:59:00.000Z');
		expect(new Date(c.validTo).toISOString()).toBe('2031-06-01T12:00:00.000Z');
		expect(c.verify(keys.publicKey)).toBe(true);
		expect(c.ca).toBe(false);
		expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
		expect(c.publicKey.export({type: 'spki', format: 'der'})).toEqual(keys.publicKey.export({type: 'spki', format: 'der'}));
		expect(/^[0-7]/.test(c.serialNumber)).toBe(true);
		expect(fingerprintOf(pem)).toBe(`SHA256:${c.fingerprint256}`);
		expect(fingerprintOf(c.raw)).toBe(`SHA256:${c.fingerprint256}`);
	});

	it('long names, many addresses and dates from 2050 on (GeneralizedTime) still parse', () => {
		const cn = 'h'.repeat(200);
		const addresses = Array.from({length: 40}, (_, i) => `10.0.${i}.1`);
		const c = new X509Certificate(selfSignedCertificate({commonName: cn, addresses, days: 3}, keys.publicKey, keys.privateKey, new Date('2049-12-31T00:00:00.000Z')));
		expect(c.subject).toBe(`CN=${cn}`);
		expect(c.subjectAltName?.split(', ')).toHaveLength(40);
		expect(new Date(c.validTo).toISOString()).toBe('2050-01-03T00:00:00.000Z');
		expect(new Date(c.validFrom).toISOString()).toBe('2049-12-30T23:59:00.000Z');
		const short = new X509Certificate(selfSignedCertificate({commonName: 'x'.repeat(100), addresses: ['1.2.3.4'], days: 1}, keys.publicKey, keys.privateKey, now));
		expect(short.subject).toBe(`CN=${'x'.repeat(100)}`);
	});

	it('two certificates of one key differ (a random serial)', () => {
		const a = new X509Certificate(selfSignedCertificate({commonName: 'h1', addresses: ['1.2.3.4'], days: 1}, keys.publicKey, keys.privateKey, now));
		const b = new X509Certificate(selfSignedCertificate({commonName: 'h1', addresses: ['1.2.3.4'], days: 1}, keys.publicKey, keys.privateKey, now));
		expect(a.serialNumber).not.toBe(b.serialNumber);
	});
});

describe('fingerprints as an operator gives them', () => {
	const hex = 'ab'.repeat(32);
	const canonical = `SHA256:${'AB:'.repeat(31)}AB`;
	it.each([hex, hex.toUpperCase(), `sha256:${hex}`, `SHA256:${hex}`, canonical, canonical.toLowerCase()])('accepts %s', text => {
		expect(parseFingerprint(text)).toBe(canonical);
	});
	it.each(['', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32), `md5:${hex}`, `${hex} `])('refuses %j', text => {
		expect(parseFingerprint(text)).toBeUndefined();
	});
});

describe('the serial, whatever the random bytes drawn', () => {
	// a serial drawn with a zero first byte was a non-minimal DER INTEGER, which OpenSSL refuses: about one
	// certificate in 400 could not be read back, and `lab up --hosts 30` failed now and then
	it.each([
		['all zero', Buffer.alloc(16)],
		['a zero first byte', Buffer.from('0001' + 'ab'.repeat(14), 'hex')],
		['the high bit set', Buffer.alloc(16, 0xff)],
	])('is read back (%s)', (_what, random) => {
		const pem = selfSignedCertificate({commonName: 'h1', addresses: ['192.0.2.1'], days: 10}, keys.publicKey, keys.privateKey, new Date(), random);
		expect(new X509Certificate(pem).verify(keys.publicKey)).toBe(true);
		expect(fingerprintOf(pem)).toMatch(/^SHA256:([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	});
});
