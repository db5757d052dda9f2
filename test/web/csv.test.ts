// The usage page's CSV: quoting, numbers untouched, and text that a spreadsheet would run as a formula neutralised.
import { expect } from 'chai';
import { csvCell, toCsv } from '../../web/src/scenes/usage/csv';

describe('usage CSV export', () => {
  it('neutralises text cells that begin with = + - @ (and tab or carriage return) with a leading apostrophe', () => {
    expect(['=1+1', '+THB', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).to.deep.equal(["'=1+1", "'+THB", "'-2", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
    expect(csvCell('=HYPERLINK("http://x","y")')).to.equal(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('writes numbers as numbers, even negative ones, and quotes text with commas, quotes or line breaks', () => {
    expect([7, 5.83, -1, 0].map(csvCell)).to.deep.equal(['7', '5.83', '-1', '0']);
    expect(csvCell('Fudan University, Shanghai')).to.equal('"Fudan University, Shanghai"');
    expect(csvCell('Lab "A"')).to.equal('"Lab ""A"""');
    expect(csvCell(null)).to.equal('');
    expect(toCsv([['a', 1], ['b', null]])).to.equal('a,1\r\nb,\r\n');
  });
});
