import { launch } from './lib.mjs';
const b = await launch();
const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'America/Chicago' });
const p = await ctx.newPage();
await p.goto(process.env.BASE_URL + (process.env.Q || '/'));
await p.waitForSelector('#results li.result'); await p.waitForTimeout(700);
console.log(await p.evaluate(() => [...document.querySelectorAll('#results li.result')].slice(0, 5).map(li => Math.round(li.getBoundingClientRect().height) + ' ' + li.innerText.replace(/\n/g, ' | '))));
await p.screenshot({ path: '/tmp/shots/rows.png' });
await b.close();
