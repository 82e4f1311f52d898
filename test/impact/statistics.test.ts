import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  breakdownFigures,
  cellFigures,
  complementaryHidden,
  meanWithInterval,
  sampleSd,
  t975,
  type PersonFigures,
} from '../../src/features/impact/statistics.js';

const close = (actual: number, expected: number, digits = 4, label = '') =>
  assert.ok(
    Math.abs(actual - expected) < 10 ** -digits,
    `${label} ${actual} is not ${expected} to ${digits} places`,
  );

const person = (
  skillsChange: number | null = null,
  confidenceChange: number | null = null,
  presentSlots = 2,
): PersonFigures => ({
  presentSlots,
  slots: 2,
  completed: presentSlots === 2,
  skillsChange,
  confidenceChange,
});

describe('impact statistics', () => {
  it('t(0.975, df) matches the printed tables', () => {
    close(t975(1), 12.7062, 4);
    close(t975(4), 2.7764, 4);
    close(t975(5), 2.5706, 4);
    close(t975(10), 2.2281, 4);
    close(t975(17), 2.1098, 4);
    close(t975(30), 2.0423, 4);
    close(t975(1000), 1.9623, 4);
  });

  it('mean paired difference and 95% CI: 1, 2, 3, 4, 5', () => {
    // mean 3; sd = sqrt(10/4) = 1.58114; se = sd/sqrt(5) = 0.70711; t(0.975,4) = 2.77645
    // half width = 1.96324 -> [1.03676, 4.96324]
    const r = meanWithInterval([1, 2, 3, 4, 5]);
    assert.equal(r.n, 5);
    close(r.mean, 3);
    close(r.sd, 1.58114);
    close(r.lower, 1.03676);
    close(r.upper, 4.96324);
  });

  it('mean paired difference and 95% CI: 0.5, 0.5, 1, 1, 0, 1.5', () => {
    // mean 0.75; squared deviations sum 1.375; sd = sqrt(1.375/5) = 0.52440
    // se = 0.21409; t(0.975,5) = 2.57058; half width = 0.55033 -> [0.19967, 1.30033]
    const r = meanWithInterval([0.5, 0.5, 1, 1, 0, 1.5]);
    close(r.mean, 0.75);
    close(r.sd, 0.5244);
    close(r.lower, 0.19967);
    close(r.upper, 1.30033);
  });

  it('has no interval below two values', () => {
    assert.ok(Number.isNaN(sampleSd([1])));
    const r = meanWithInterval([2]);
    assert.equal(r.mean, 2);
    assert.ok(Number.isNaN(r.lower) && Number.isNaN(r.upper));
  });

  it('rates and pairs of a cell; hides a cell of fewer than 5 people', () => {
    const shown = cellFigures([
      person(1, 0, 2),
      person(2, 1, 1),
      person(0, 0, 2),
      person(1, 1, 0),
      person(null, 1, 2),
    ]);
    assert.ok(shown.shown);
    assert.equal(shown.people, 5);
    close(shown.attendanceRate!, 7 / 10);
    close(shown.completionRate, 3 / 5);
    // Four skills pairs: fewer than 5, so hidden; five confidence pairs shown.
    assert.equal(shown.skills.shown, false);
    assert.ok(shown.confidence.shown);
    close(shown.confidence.mean, 0.6);
    assert.equal(cellFigures([person(), person(), person(), person()]).shown, false);
  });

  it('complementary suppression hides the next smallest when one cell is hidden', () => {
    assert.deepEqual([...complementaryHidden([4, 9, 6], new Set([0]))].sort(), [0, 2]);
    assert.deepEqual([...complementaryHidden([4, 3, 6], new Set([0, 1]))].sort(), [0, 1]);
    assert.deepEqual([...complementaryHidden([7, 6], new Set())], []);
  });

  it('a breakdown hides a cell of 4 and its complement, for people and for pairs', () => {
    const many = (n: number, change: number | null) =>
      Array.from({ length: n }, () => person(change, change));
    const rows = breakdownFigures([many(8, 1), many(4, 1), many(6, 1)]);
    assert.deepEqual(
      rows.map((r) => r.shown),
      [true, false, false],
    );
    // Pairs: 10, 4 and 7 pairs in cells of 10 people each -> 4 hidden, and 7 as its complement.
    const pairs = breakdownFigures([
      [...many(10, 0.5)],
      [...many(4, 1), ...many(6, null)],
      [...many(7, 2), ...many(3, null)],
    ]);
    assert.ok(pairs.every((r) => r.shown));
    assert.deepEqual(
      pairs.map((r) => r.shown && r.skills.shown),
      [true, false, false],
    );
    assert.deepEqual(
      pairs.map((r) => r.shown && r.confidence.shown),
      [true, false, false],
    );
  });
});
