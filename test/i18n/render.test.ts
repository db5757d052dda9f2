// Messages are rendered at the edge from the catalogs; the domain only names a code, a field and parameters.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { render } from '../../src/i18n/render';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('message catalogs (src/i18n)', () => {
  it('has an English sentence for every BAD_INPUT reason the code can return', () => {
    const reasons = new Set<string>();
    for (const file of sources(path.join(__dirname, '../../src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/badInput\([^,()]+(?:\([^)]*\))?, '([A-Z_]+)'/g)) reasons.add(match[1]);
    }
    expect(reasons.size).to.be.greaterThan(40);
    const fallback = render('en', 'BAD_INPUT', { reason: 'NO_SUCH_REASON' });
    // Only the reason is given: a sentence that needs more parameters may throw, which still shows it exists.
    const sentence = (reason: string) => {
      try {
        return render('en', 'BAD_INPUT', { reason });
      } catch {
        return 'a sentence that needs its parameters';
      }
    };
    const missing = [...reasons].filter((reason) => sentence(reason) === fallback);
    expect(missing).to.deep.equal([]);
  });

  it('renders a locale without a catalog of its own in English, so a viewer always gets a sentence', () => {
    const params = { reason: 'STATUS', status: 'CANCELLED', action: 'APPROVE' };
    expect(render('vi', 'INVALID_STATE', params)).to.equal('A CANCELLED booking cannot be approved.');
    expect(render('zh-CN', 'INVALID_STATE', params)).to.equal(render('en', 'INVALID_STATE', params));
  });

  it('names instants in the zone the parameters give, with their offset', () => {
    const start = Date.parse('2026-12-03T00:30:00Z');
    expect(render('en', 'TOO_SOON', { reason: 'IN_THE_PAST', start, zone: 'Asia/Yangon' })).to.equal('Starts at 2026-12-03 07:00 (+06:30), which is in the past');
  });
});
