/* Recovery Finder's partner widget. A partner page includes
 *
 *   <script src="https://FINDER-HOST/embed.js" data-for="family"
 *           data-fellowship="al-anon,nar-anon" data-lang="es"
 *           data-near="Kansas City, MO" async></script>
 *
 * and this script puts the finder in an iframe right after that tag, with
 * the data-* presets in its URL, and keeps the iframe as tall as the finder
 * inside it says it is. It is a classic script (no module, no globals) so
 * that it runs on any site builder; it sets no cookie, loads nothing else
 * and reads nothing of the partner's page but its own tag.
 */
(function () {
  'use strict';

  // data-* attribute -> the finder's URL key. Values are checked by the
  // finder itself, as any URL's are.
  var PRESETS = {
    tab: 'tab', near: 'near', 'for': 'for', fellowship: 'fellowship', lang: 'lang', language: 'language',
    attendance: 'attendance', day: 'day', time: 'time', type: 'type', moud: 'moud', category: 'category',
    population: 'population', cost: 'cost', radiusKm: 'radius_km', q: 'q', view: 'view', region: 'region',
    hide: 'hide'
  };
  var MIN_HEIGHT = 320;
  var MAX_HEIGHT = 20000;

  function embed(script) {
    if (script.getAttribute('data-embedded') === 'true') return;
    script.setAttribute('data-embedded', 'true');
    var origin = new URL(script.src, document.baseURI).origin;
    var query = new URLSearchParams();
    Object.keys(PRESETS).forEach(function (key) {
      var value = script.dataset[key];
      if (value) query.set(PRESETS[key], value);
    });
    var frame = document.createElement('iframe');
    frame.src = origin + '/embed' + (query.toString() ? '?' + query.toString() : '');
    // The finder's name, which reads the same in every language; a partner
    // can give its own (data-title).
    frame.title = script.dataset.title || 'Recovery Finder';
    frame.setAttribute('allow', 'geolocation; clipboard-write');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.className = 'recovery-finder-frame';
    frame.style.cssText = 'display:block;width:100%;max-width:100%;border:0;height:' + MIN_HEIGHT * 2 + 'px';
    script.parentNode.insertBefore(frame, script.nextSibling);

    window.addEventListener('message', function listen(event) {
      // A frame taken out of the page (the partners page's preview is
      // rebuilt on every change) needs its listener no more.
      if (!frame.isConnected) {
        window.removeEventListener('message', listen);
        return;
      }
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.type !== 'recovery-finder:height' || typeof data.height !== 'number') return;
      var height = Math.min(Math.max(Math.ceil(data.height), MIN_HEIGHT), MAX_HEIGHT);
      frame.style.height = height + 'px';
    });
  }

  var current = document.currentScript;
  if (current) {
    embed(current);
  } else {
    // Very old loaders run scripts without currentScript: take every tag of
    // this script not yet embedded.
    var tags = document.querySelectorAll('script[src$="/embed.js"]');
    for (var i = 0; i < tags.length; i++) embed(tags[i]);
  }
}());
