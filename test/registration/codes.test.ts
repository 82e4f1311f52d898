import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  newParticipantCode,
  newVerificationCode,
  normaliseParticipantCode,
  normaliseVerificationCode,
  participantCodeIndex,
} from '../../src/features/registration/codes.js';
import { FieldCipher } from '../../src/platform/crypto/field-encryption.js';

const cipher = new FieldCipher({
  current: 'k1',
  keys: new Map([['k1', Buffer.alloc(32, 1)]]),
  indexKey: Buffer.alloc(32, 2),
  source: 'test',
});

describe('participant and verification codes', () => {
  it('are random Crockford base32 in groups', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newParticipantCode()));
    assert.equal(codes.size, 2000);
    for (const code of codes)
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.match(
      newVerificationCode(),
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/,
    );
  });

  it('forgive how a code is typed', () => {
    const canonical = '0123456789AB';
    for (const typed of [
      '0123-4567-89AB',
      'o123 4567 89ab',
      'O1234567-89ab',
      '0I23-4567-89AB',
      '0l23–4567—89ab',
      '٠١٢٣-٤٥٦٧-٨٩AB',
      '۰۱۲۳ ۴۵۶۷ ۸۹ab',
      '\u200f0123-4567-89AB\u200e',
    ])
      assert.equal(normaliseParticipantCode(typed), canonical, typed);
    for (const bad of [
      '',
      '0123-4567-89A',
      '0123-4567-89ABC',
      '0123-4567-89AU',
      '<script>alert(1)',
      'x'.repeat(500),
    ])
      assert.equal(normaliseParticipantCode(bad), undefined, bad);
    assert.equal(normaliseVerificationCode('abcd efgh jk'), 'ABCD-EFGH-JK');
    assert.equal(normaliseVerificationCode('ABCD-EFGH-JKM'), undefined);
  });

  it('are found by their blind index, and malformed ones take the same path', () => {
    const a = participantCodeIndex(cipher, '0123-4567-89AB');
    const b = participantCodeIndex(cipher, 'o123 4567 89ab');
    assert.deepEqual(a, b);
    assert.equal(a.valid, true);
    assert.match(a.hmac, /^[0-9a-f]{64}$/);
    const bad = participantCodeIndex(cipher, 'nonsense');
    assert.equal(bad.valid, false);
    assert.match(bad.hmac, /^[0-9a-f]{64}$/);
  });
});
