// Reading dossiers in the real window: the list grouped and flagged, a
// candidate page with representative achievements first, a PDF and a PNG in
// the viewer, a two-candidate comparison, and a tampered file refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerDialog, byTestId, createMeeting, importFixtures, fixtures, freshDataDir, launch, screenshot, startDriver, typeText, waitForText,
} from '../lib/app.mjs';

async function openCandidate(browser, id) {
  const row = await browser.$(`[data-testid="candidate-row"][data-id="${id}"]`);
  await row.waitForDisplayed();
  await (await row.$('[data-testid="open-candidate"]')).click();
  await waitForText(browser, 'candidate-name', id);
}

describe('reading dossiers', () => {
  const dataDir = freshDataDir('reading');
  let driver;
  let browser;

  before(async () => {
    driver = await startDriver(dataDir);
    browser = await launch();
    await createMeeting(browser, '阅卷测试会议');
    await importFixtures(browser, dataDir, { roster: false });
  });

  after(async () => {
    await browser?.deleteSession().catch(() => {});
    await driver?.stop();
  });

  it('lists 8 candidates grouped by review group, with flags', async () => {
    const rows = await browser.$$('[data-testid="candidate-row"]');
    assert.equal(rows.length, 8);
    const groups = await browser.$$('[data-testid="group-header"]').map((h) => h.getText());
    assert.deepEqual(groups, [...groups].sort(), 'groups appear in order');
    assert.equal(new Set(groups).size, groups.length, 'each group once');
    const row4 = await browser.$('[data-testid="candidate-row"][data-id="GX2025-0004"]');
    assert.match(await row4.getText(), /品德考核不合格/);
    const row7 = await browser.$('[data-testid="candidate-row"][data-id="GX2025-0007"]');
    assert.match(await row7.getText(), /诚信记录有问题/);
    await screenshot(browser, 'list-zh');
  });

  it('filters by flag and searches by name', async () => {
    await (await byTestId(browser, 'filter-flag')).selectByAttribute('value', 'integrity_not_clean');
    await waitForText(browser, 'shown-count', '显示 1 / 8');
    await (await byTestId(browser, 'filter-flag')).selectByAttribute('value', '');
    await typeText(browser, 'candidate-search', '许丽欣');
    await waitForText(browser, 'shown-count', '显示 1 / 8');
    // Pinyin initials find 肖磊春.
    await typeText(browser, 'candidate-search', 'xlc');
    await waitForText(browser, 'shown-count', '显示 1 / 8');
    await waitForText(browser, 'candidate-list', '肖磊春');
    await typeText(browser, 'candidate-search', '');
    await waitForText(browser, 'shown-count', '显示 8 / 8');
  });

  it('shows a candidate page with representative achievements first and the integrity note', async () => {
    await openCandidate(browser, 'GX2025-0007');
    await waitForText(browser, 'flags', '论文存在抄袭');
    await waitForText(browser, 'integrity', '有问题（');
    const reps = await browser.$$('[data-testid="achievement"]').map((a) => a.getAttribute('data-representative'));
    const firstFalse = reps.indexOf('false');
    assert.ok(reps.includes('true'), 'has representative achievements');
    assert.ok(firstFalse === -1 || !reps.slice(firstFalse).includes('true'), `representative first: ${reps}`);
    await screenshot(browser, 'candidate-zh');
  });

  it('opens a PDF in the viewer, pages and finds text', async () => {
    const pdfButton = await browser.$('[data-testid="open-evidence"][data-mime="application/pdf"]');
    await pdfButton.click();
    await byTestId(browser, 'evidence-viewer');
    await browser.waitUntil(
      async () => (await (await byTestId(browser, 'evidence-pane')).getAttribute('data-rendered-page')) === '1',
      { timeout: 20000, timeoutMsg: 'the first PDF page was never rendered' },
    );
    await waitForText(browser, 'pdf-page', '第 1 /');
    await screenshot(browser, 'viewer-pdf-zh');
    await (await byTestId(browser, 'close-viewer')).click();
  });

  it('opens two evidence documents side by side', async () => {
    await (await browser.$('[data-testid="open-evidence"][data-mime="application/pdf"]')).click();
    await (await byTestId(browser, 'split')).click();
    await (await browser.$('[data-testid="split-choice"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="evidence-pane"]')).length === 2, {
      timeoutMsg: 'the second document never opened beside the first',
    });
    await browser.waitUntil(
      async () => {
        const panes = await browser.$$('[data-testid="evidence-pane"]');
        const states = [];
        for (const p of panes) states.push(await p.getAttribute('data-status'));
        return states.every((s) => s === 'ready');
      },
      { timeoutMsg: 'both documents should be verified and shown' },
    );
    await screenshot(browser, 'viewer-split-zh');
    await (await byTestId(browser, 'close-viewer')).click();
  });

  it('presents the candidate on the projector, driven by the keyboard', async () => {
    await (await byTestId(browser, 'present')).click();
    await waitForText(browser, 'present-name', '肖磊春');
    await screenshot(browser, 'present-zh');
    await browser.keys('ArrowRight');
    await browser.waitUntil(async () => (await (await byTestId(browser, 'present-name')).getText()) !== '肖磊春', {
      timeoutMsg: 'ArrowRight should move to the next candidate',
    });
    await browser.keys('Escape');
    await byTestId(browser, 'candidate-screen');
  });

  it('opens a PNG in the viewer', async () => {
    await (await byTestId(browser, 'back')).click();
    await openCandidate(browser, 'GX2025-0001');
    await (await browser.$('[data-testid="open-evidence"][data-mime="image/png"]')).click();
    const img = await byTestId(browser, 'evidence-image');
    await browser.waitUntil(async () => (await img.getProperty('naturalWidth')) > 0, {
      timeoutMsg: 'the PNG never loaded through the conclave: scheme',
    });
    await screenshot(browser, 'viewer-png-zh');
    await (await byTestId(browser, 'close-viewer')).click();
  });

  it('compares two candidates with aligned categories', async () => {
    await (await byTestId(browser, 'back')).click();
    for (const id of ['GX2025-0001', 'GX2025-0004']) {
      await (await browser.$(`[data-testid="candidate-row"][data-id="${id}"] [data-testid="select-candidate"]`)).click();
    }
    await (await byTestId(browser, 'compare')).click();
    await byTestId(browser, 'compare-table');
    const columns = await browser.$$('[data-testid="compare-column"]');
    assert.equal(columns.length, 2);
    const rows = await browser.$$('[data-testid="compare-row"]');
    assert.ok(rows.length > 0, 'one row per category');
    for (const row of rows) {
      const cells = await row.$$('td');
      assert.equal(cells.length, 2, 'every category row has a cell per candidate');
    }
    await screenshot(browser, 'compare-zh');
    await (await byTestId(browser, 'lang-switch')).click();
    await waitForText(browser, 'compare-screen', 'Side by side');
    await screenshot(browser, 'compare-en');
    await (await byTestId(browser, 'lang-switch')).click();
    await (await byTestId(browser, 'back')).click();
  });

  it('refuses to show a stored file that was changed', async () => {
    const meetings = join(dataDir, 'meetings');
    const meeting = readdirSync(meetings).find((d) => !d.startsWith('.'));
    const evidence = join(meetings, meeting, 'evidence');
    // Tamper with every stored PDF of the store (as an attacker with the disk would).
    for (const sub of readdirSync(evidence)) {
      for (const f of readdirSync(join(evidence, sub))) {
        const p = join(evidence, sub, f);
        if (readFileSync(p).subarray(0, 5).toString() === '%PDF-') writeFileSync(p, Buffer.concat([readFileSync(p), Buffer.from('x')]));
      }
    }
    await openCandidate(browser, 'GX2025-0002');
    await (await browser.$('[data-testid="open-evidence"][data-mime="application/pdf"]')).click();
    await waitForText(browser, 'evidence-changed', '文件已被改动');
    await screenshot(browser, 'viewer-tampered-zh');
    await (await byTestId(browser, 'close-viewer')).click();
  });
});
