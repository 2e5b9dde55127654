import { launch } from './lib.mjs';
const b = await launch();
for (const [name, vp] of [['desk', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  for (const q of ['/', '/?near=Chicago', '/?near=Chicago&sort=next', '/?tab=services&near=Kansas+City,+MO']) {
    const ctx = await b.newContext({ viewport: vp, locale: 'en-US', timezoneId: 'America/Chicago' });
    const p = await ctx.newPage();
    await p.goto(process.env.BASE_URL + q);
    await p.waitForSelector('#results li.result'); await p.waitForTimeout(700);
    const r = await p.evaluate(() => { const lim = Math.min(innerHeight, document.getElementById('crisis').getBoundingClientRect().top); const items = [...document.querySelectorAll('#results li.result')].map(li => li.getBoundingClientRect()); return [items.filter(x => x.bottom <= lim).length, Math.round(items[0].top), Math.round(items[0].height), Math.round(lim)]; });
    console.log(name, q, 'fully visible:', r[0], 'first top', r[1], 'row h', r[2], 'limit', r[3]);
    await ctx.close();
  }
}
await b.close();
