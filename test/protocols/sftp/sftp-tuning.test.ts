import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_ENV, resolveTuning, SFTP_DEFAULTS } from '../../../main/protocols/sftp/sftp-tuning';

const MiB = 1024 * 1024;

describe('SFTP bytes in flight', () => {
  it('defaults to 8 MiB per transfer and 32 MiB per connection', () => {
    const t = resolveTuning({ env: {} });
    expect([t.maxInFlightBytes, t.maxConnectionInFlightBytes]).toEqual([SFTP_DEFAULTS.maxInFlightBytes, SFTP_DEFAULTS.maxConnectionInFlightBytes]);
    expect(t.maxInFlightBytes).toBe(8 * MiB);
  });

  it(`is set by ${IN_FLIGHT_ENV} (MiB per transfer; four times that per connection)`, () => {
    expect(resolveTuning({ env: { [IN_FLIGHT_ENV]: '2' } })).toMatchObject({ maxInFlightBytes: 2 * MiB, maxConnectionInFlightBytes: 8 * MiB });
    expect(resolveTuning({ env: { [IN_FLIGHT_ENV]: '64' } })).toMatchObject({ maxInFlightBytes: 64 * MiB, maxConnectionInFlightBytes: 256 * MiB });
    expect(resolveTuning({ env: { [IN_FLIGHT_ENV]: '' } }).maxInFlightBytes).toBe(8 * MiB);
    // An explicit tuning (tests, the benchmark) wins over the environment.
    expect(resolveTuning({ env: { [IN_FLIGHT_ENV]: '2' }, maxInFlightBytes: MiB }).maxInFlightBytes).toBe(MiB);
  });

  it('refuses a value that is not a whole number of MiB from 1 to 256, saying which variable', () => {
    for (const bad of ['0', '-4', '1.5', 'lots', '257', '1e3']) {
      expect(() => resolveTuning({ env: { [IN_FLIGHT_ENV]: bad } }), bad).toThrow(new RegExp(`${IN_FLIGHT_ENV} must be a whole number of MiB from 1 to 256`));
    }
  });
});
