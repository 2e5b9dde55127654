// Builds DOM nodes. Every value from the API or the URL reaches the page
// through here, as text nodes or checked attributes, never as HTML.

// h('a', { href, class: 'x', dataset: { id } }, child, ...): an element.
// Children are nodes, strings (text) or null/false (left out); arrays are
// flattened. Attributes whose value is null, undefined or false are left
// out; true sets an empty attribute.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

// A checkbox and its label, as the page's choice lists have them.
export function checkbox(id, name, value, label) {
  return h('div', { class: 'choice' },
    h('input', { type: 'checkbox', id, name, value }),
    h('label', { for: id }, label));
}

// The URL as a string if it is http or https, else null: links from the
// data never become javascript: or data: URLs.
export function webUrl(text) {
  if (typeof text !== 'string') return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// A conference phone as feeds write it ("+1 646 876 9923,,85012345678#,,,,*123456#")
// in two: the number to call, and the codes the phone dials after it (the
// meeting ID, the passcode), each a step after a pause.
export function phoneParts(text) {
  const [number, ...rest] = String(text || '').split(',');
  return { number: number.trim(), codes: rest.map((c) => c.trim()).filter(Boolean) };
}

// A tel: URL for a phone number as feeds write it (digits, + , * #, and
// spaces, dashes or dots between), or null.
export function telUrl(text) {
  if (typeof text !== 'string') return null;
  const dialable = text.replace(/[\s().-]/g, '');
  // A + after a pause is a step of the call (",,+85012345678#").
  if (!/^\+?[0-9][0-9,*#]*(?:,\+[0-9,*#]*)*$/.test(dialable)) return null;
  return `tel:${dialable.replace(/#/g, '%23')}`;
}
