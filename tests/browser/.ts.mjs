import { launch } from './lib.mjs';
const b = await launch();
const ctx = await b.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', timezoneId: 'America/New_York' });
const p = await ctx.newPage();
await p.goto(process.env.BASE_URL + '/?near=Chicago&lang=es');
await p.waitForSelector('#results li.result'); await p.waitForTimeout(700);
console.log(await p.evaluate(() => { const a = document.querySelector('.open[data-id="22"]'); if (!a) return 'none'; const r = a.getClientRects(); return [a.textContent, [...r].map(x => [Math.round(x.left), Math.round(x.top), Math.round(x.width), Math.round(x.height)])]; }));
await b.close();
