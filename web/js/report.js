// "Report a problem": a small form under a meeting's or a service's detail
// that posts to /api/v1/feedback. Nothing is sent but what the visitor
// writes, and the contact is optional.

import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const MESSAGE_MAX = 2000;
const CONTACT_MAX = 200;

// kind: 'meeting' or 'service'; id: the meeting's number or service's uuid.
export function reportForm(kind, id) {
  const prefix = `report-${kind}`;
  const message = h('textarea', { id: `${prefix}-message`, name: 'message', rows: '4', maxlength: String(MESSAGE_MAX), required: true,
    'aria-describedby': `${prefix}-hint` });
  const contact = h('input', { id: `${prefix}-contact`, name: 'contact', type: 'text', maxlength: String(CONTACT_MAX),
    autocomplete: 'email', 'aria-describedby': `${prefix}-contact-hint` });
  const status = h('p', { class: 'status', role: 'status' });
  const send = h('button', { type: 'submit' }, t('report.send'));
  const form = h('form', { class: 'report-form', novalidate: true },
    h('p', { id: `${prefix}-hint`, class: 'hint' }, t('report.hint')),
    h('div', { class: 'field' }, h('label', { for: message.id }, t('report.message')), message),
    h('div', { class: 'field' }, h('label', { for: contact.id }, t('report.contact')), contact,
      h('p', { id: `${prefix}-contact-hint`, class: 'hint' }, t('report.contactHint'))),
    send, status);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = message.value.trim();
    if (text === '') {
      status.textContent = t('report.empty');
      message.setAttribute('aria-invalid', 'true');
      message.focus();
      return;
    }
    message.removeAttribute('aria-invalid');
    send.disabled = true;
    status.textContent = t('report.sending');
    try {
      await api.feedback({ kind, id, message: text, contact: contact.value.trim() || null });
      form.replaceChildren(h('p', { class: 'status done', role: 'status', tabindex: '-1' }, t('report.thanks')));
      form.firstChild.focus();
    } catch (err) {
      status.textContent = err.status === 429 ? t('report.tooMany') : t('report.failed', { message: err.message });
      send.disabled = false;
    }
  });

  return h('details', { class: 'report' }, h('summary', {}, t('report.title')), form);
}
