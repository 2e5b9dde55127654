// nginx's shared cache of the API's answers (njs; nginx/finder.conf.template
// imports it as api_cache).
//
// key(r): the cache key of a request whose answer may be shared, or '' for
// one that may not: nginx then neither looks it up nor stores its answer.
// The key is the method, the minute (UTC), the path and the query string
// normalised so that requests the handler reads alike share an entry.
//
// cacheControl(r): the Cache-Control nginx sends for an API answer: the
// handler's, except for an answer true until the end of its minute (the
// handler sends X-Accel-Expires: @SECONDS for those), which gets the
// seconds left in the minute at the time it is sent, whether it comes from
// the handler or from the cache; so an answer served later in its minute
// is not kept longer than it holds, and a cached answer looks exactly like
// one the handler has just made.

// The parameters that say nothing about where the searcher is: the same
// list as fcgi/src/cache_policy.c. A request with any other parameter (lat,
// lng, near, radius_km, a misspelt one, one added later) is never cached.
const PLACELESS = {
    attendance: true, beds_available: true, category: true, cost: true, country: true, day: true,
    fellowship: true, 'for': true, gender: true, housing_moud: true, in_progress: true,
    lang: true, limit: true, moud: true, narr_level: true, now: true, offset: true,
    open_now: true, population: true, q: true, scope: true, sort: true,
    starts_within: true, time: true, type: true, tz: true,
};

// The comma lists whose order means nothing to the handler (PARAM_LIST in
// fcgi/src/api_meetings.c and api_services.c): their items are sorted.
// Text such as q or near keeps its commas as sent.
const LISTS = {
    attendance: true, category: true, cost: true, day: true, fellowship: true,
    gender: true, lang: true, narr_level: true, population: true, time: true, type: true,
};

function has(table, name) {
    return Object.prototype.hasOwnProperty.call(table, name);
}

// Bytes written as themselves in a key: letters, digits and a few marks
// that carry no meaning in a query string. Any other byte is written %XX.
const PLAIN = /^[A-Za-z0-9\-._~,:\/]$/;

// The canonical form of one raw key or value: decoded as the handler's
// query_string.c decodes ('+' is a space, %XX a byte), then written again
// one way only (a space as '+', upper-case hex). Two raw texts have the
// same form exactly when they decode to the same bytes. null when the text
// has a bad escape (the handler answers 400).
function canonical(raw) {
    let out = '';
    for (let i = 0; i < raw.length; i++) {
        let c = raw.charCodeAt(i);
        if (c === 0x25) {
            const hex = raw.substr(i + 1, 2);
            if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
                return null;
            }
            c = parseInt(hex, 16);
            i += 2;
        } else if (c === 0x2b) {
            c = 0x20;
        }
        const ch = String.fromCharCode(c);
        if (PLAIN.test(ch)) {
            out += ch;
        } else if (c === 0x20) {
            out += '+';
        } else {
            out += '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
        }
    }
    return out;
}

// The normalised query string: pairs in their canonical form, list items
// sorted, pairs sorted. null when the answer must not be shared.
function normalisedQuery(args) {
    // Raw bytes outside printable ASCII are left to the handler, uncached.
    if (!/^[\x21-\x7e]*$/.test(args)) {
        return null;
    }
    const segments = args === '' ? [] : args.split('&');
    // One '&' at the end is nothing to the handler; any other empty pair
    // stays, as the 400 it is.
    if (segments.length > 1 && segments[segments.length - 1] === '') {
        segments.pop();
    }
    const pairs = [];
    for (let i = 0; i < segments.length; i++) {
        const eq = segments[i].indexOf('=');
        const name = canonical(eq < 0 ? segments[i] : segments[i].slice(0, eq));
        let value = canonical(eq < 0 ? '' : segments[i].slice(eq + 1));
        if (name === null || value === null || !has(PLACELESS, name)) {
            return null;
        }
        if (has(LISTS, name)) {
            value = value.split(',').sort().join(',');
        }
        pairs.push(name + '=' + value);
    }
    return pairs.sort().join('&');
}

function key(r) {
    const query = normalisedQuery(r.variables.args || '');
    if (query === null) {
        return '';
    }
    // The minute in UTC: a time-relative answer is never found after the
    // minute it was asked in (and local time repeats an hour in autumn).
    const minute = new Date().toISOString().slice(0, 16);
    return r.method + ' ' + minute + ' ' + r.uri + '?' + query;
}

function cacheControl(r) {
    const upstream = r.variables.upstream_http_cache_control;
    const expires = r.variables.upstream_http_x_accel_expires;
    if (!upstream) {
        return '';
    }
    if (expires && expires.charAt(0) === '@' && /^public\b/.test(upstream)) {
        const now = Math.floor(Date.now() / 1000);
        const last = Number(expires.slice(1));
        // Never past this minute, nor past the answer's own last second.
        let left = 60 - now % 60;
        if (last + 1 - now < left) {
            left = last + 1 - now;
        }
        return 'public, max-age=' + Math.max(1, left);
    }
    return upstream;
}

export default { key, cacheControl };
