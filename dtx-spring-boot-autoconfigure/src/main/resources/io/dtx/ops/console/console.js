// The dtx console: reads and acts through the actuator endpoint dtx only, next to this page
// ({base}/dtx-console/ -> {base}/dtx). Every value from the server goes into the page as
// text (textContent), never as markup.
'use strict';

(function () {
  const API = '../dtx';
  const LABELS = { inFlight: 'in flight', stuck: 'stuck', recoveryBacklog: 'recovery backlog', failed: 'failed',
    oldestDeadlinePassed: 'oldest deadline passed' };
  const ALERTS = new Set(['stuck', 'failed']);
  // the field that names a parked item in the endpoint's paths, in the order looked for
  const ID_FIELDS = ['xid', 'messageId', 'id'];

  const view = { writable: true, page: 0, size: 20, filters: {}, detail: null, parked: [] };

  function $(id) { return document.getElementById(id); }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([key, value]) => {
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else if (key.startsWith('data-') || key === 'title' || key === 'href' || key === 'type') node.setAttribute(key, value);
      else node[key] = value;
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function text(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/, '$1 $2Z');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function cell(value, className) {
    return el('td', { text: text(value), className: className || '' });
  }

  function stateCell(state) {
    return el('td', {}, [el('span', { text: text(state), className: 'state state-' + text(state) })]);
  }

  // what a called service reports of the transaction: its branches, or why it did not answer
  function reportedCell(participant) {
    if (!participant.reported) return cell(participant.unreported, 'unreported');
    return el('td', { className: 'reported' }, participant.reported.map((b) => el('div', {}, [
      el('span', { text: b.branchId + ' ' + b.action + ' ' }), el('span', { text: b.state, className: 'state state-' + b.state })])));
  }

  function empty(tbody, columns, message) {
    tbody.appendChild(el('tr', {}, [el('td', { text: message, className: 'empty', colSpan: columns })]));
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  async function call(method, path) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin' };
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
      if (csrf) headers['X-XSRF-TOKEN'] = decodeURIComponent(csrf.substring('XSRF-TOKEN='.length));
      init.body = '{}';
    }
    const response = await fetch(API + path, init);
    let body = null;
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try { body = await response.json(); } catch (e) { body = null; }
    }
    return { status: response.status, ok: response.ok, reason: response.statusText, body };
  }

  function answer(message, ok) {
    const box = $('answer');
    box.hidden = false;
    box.className = ok ? 'ok' : 'error';
    box.textContent = message;
  }

  function failure(what, response) {
    const error = response.body && (response.body.error || response.body.message);
    // the endpoint's own refusals carry no path; Spring Boot's error answers do
    const endpoint = response.body && response.body.path === undefined;
    let hint = error || response.reason || 'refused';
    if (response.status === 401 || response.status === 403) {
      hint = (error || 'refused') + ': the dtx endpoint asks for a user allowed to do this';
    }
    else if (!endpoint && (response.status === 404 || response.status === 405)) {
      hint = 'the dtx endpoint does not offer this here (is management.endpoint.dtx.access read-only?)';
    }
    return response.status + ' ' + what + ': ' + hint;
  }

  async function read(path, what) {
    let response;
    try {
      response = await call('GET', path);
    }
    catch (e) {
      answer('reading ' + what + ' failed: ' + e, false);
      return null;
    }
    if (!response.ok) {
      answer(failure('reading ' + what, response), false);
      return null;
    }
    return response.body;
  }

  // --- summary ---

  function count(label, value, alert, onClick) {
    const box = el('div', { className: 'count' + (alert ? ' alert' : ''), 'data-count': label }, [
      el('span', { className: 'value', text: text(value) }),
      el('span', { className: 'label', text: label })
    ]);
    if (onClick) {
      box.style.cursor = 'pointer';
      box.addEventListener('click', onClick);
    }
    return box;
  }

  async function loadSummary() {
    const summary = await read('', 'the summary');
    if (!summary) return;
    const counts = $('counts');
    clear(counts);
    if (summary.transactions) {
      Object.entries(summary.transactions).forEach(([key, value]) => {
        if (key === 'oldestDeadlinePassed' && value === null) return;
        counts.appendChild(count(LABELS[key] || key, value, ALERTS.has(key) && value > 0));
      });
    }
    else {
      $('transactions').hidden = true;
    }
    view.parked = Object.keys(summary.parked || {});
    view.parked.forEach((name) => {
      const value = summary.parked[name];
      counts.appendChild(count(name, value, value > 0,
        () => $('parked-' + name).scrollIntoView({ behavior: 'smooth' })));
    });
  }

  // --- transactions ---

  function query() {
    const params = new URLSearchParams();
    Object.entries(view.filters).forEach(([key, value]) => { if (value) params.set(key, value); });
    params.set('page', String(view.page));
    params.set('size', String(view.size));
    return '?' + params.toString();
  }

  async function loadTransactions() {
    if ($('transactions').hidden) return;
    const body = await read('/transactions' + query(), 'the transactions');
    const tbody = $('transaction-list').querySelector('tbody');
    clear(tbody);
    if (!body) return;
    const rows = body.transactions || [];
    if (rows.length === 0) empty(tbody, 8, 'no transaction passes the filter');
    rows.forEach((t) => {
      const link = el('a', { className: 'xid', href: '#', text: t.xid, 'data-xid': t.xid });
      link.addEventListener('click', (event) => { event.preventDefault(); openDetail(t.xid); });
      tbody.appendChild(el('tr', { 'data-xid': t.xid }, [
        el('td', {}, [link]), cell(t.mode), cell(t.name), stateCell(t.state), cell(t.deadline), cell(t.attempts),
        cell(t.nextAttemptAt), cell(t.createdAt)
      ]));
    });
    $('page').textContent = 'page ' + (view.page + 1);
    $('previous').disabled = view.page === 0;
    $('next').disabled = rows.length < view.size;
  }

  function readFilters() {
    view.filters = {
      mode: $('filter-mode').value.trim(),
      state: $('filter-state').value,
      name: $('filter-name').value.trim(),
      olderThan: $('filter-older').value.trim()
    };
    view.size = Number($('filter-size').value);
    view.page = 0;
  }

  // --- one transaction ---

  async function openDetail(xid) {
    view.detail = xid;
    await loadDetail();
  }

  async function loadDetail() {
    const xid = view.detail;
    if (!xid) return;
    const detail = await read('/transactions/' + encodeURIComponent(xid), 'transaction ' + xid);
    const section = $('detail');
    if (!detail) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    const t = detail.transaction;
    $('detail-title').textContent = 'Transaction ' + t.xid;
    const fields = $('detail-row');
    clear(fields);
    Object.entries(t).forEach(([key, value]) => {
      const row = el('tr', { 'data-field': key }, [el('th', { text: key })]);
      row.appendChild(key === 'state' ? stateCell(value) : cell(value, 'code'));
      fields.appendChild(row);
    });
    $('detail-error').textContent = detail.lastError || '—';
    const branches = $('detail-branches').querySelector('tbody');
    clear(branches);
    if (detail.branches.length === 0) empty(branches, 7, 'no branch ran here');
    detail.branches.forEach((b) => branches.appendChild(el('tr', {}, [cell(b.branchId), cell(b.action), stateCell(b.state),
      cell(b.arguments, 'code'), cell(b.result, 'code'), cell(b.createdAt), cell(b.updatedAt)])));
    const participants = $('detail-participants').querySelector('tbody');
    clear(participants);
    if (detail.participants.length === 0) empty(participants, 6, 'no service was called');
    detail.participants.forEach((p) => participants.appendChild(el('tr', {}, [cell(p.branchId), cell(p.url, 'code'),
      stateCell(p.state), reportedCell(p), cell(p.createdAt), cell(p.updatedAt)])));
    const actions = $('detail-actions');
    clear(actions);
    const decided = t.state === 'CONFIRMING' || t.state === 'CANCELLING';
    actions.appendChild(actionButton('Retry phase two', 'transactions', t.xid, 'retry', decided));
    actions.appendChild(actionButton('Cancel', 'transactions', t.xid, 'cancel', t.state === 'TRYING', true));
    if (t.state === 'FAILED' && view.parked.includes('failed-sagas')) {
      actions.appendChild(actionButton('Retry compensation', 'failed-sagas', t.xid, 'retry', true));
    }
  }

  // --- parked work ---

  function idOf(item) {
    const field = ID_FIELDS.find((f) => item[f] !== undefined && item[f] !== null);
    return field ? String(item[field]) : null;
  }

  async function loadParked(name) {
    let section = $('parked-' + name);
    if (!section) {
      section = el('section', { id: 'parked-' + name, className: 'parked' }, [
        el('h2', { text: name }),
        el('table', { className: 'list' }, [el('thead'), el('tbody')])
      ]);
      $('parked').appendChild(section);
    }
    const body = await read('/' + encodeURIComponent(name) + '?size=50', name);
    if (!body) return;
    const items = body[name] || [];
    section.querySelector('h2').textContent = name + ' (' + items.length + (items.length === 50 ? '+' : '') + ')';
    const head = section.querySelector('thead');
    const tbody = section.querySelector('tbody');
    clear(head);
    clear(tbody);
    const columns = [];
    items.forEach((item) => Object.keys(item).forEach((key) => { if (!columns.includes(key)) columns.push(key); }));
    head.appendChild(el('tr', {}, columns.map((c) => el('th', { text: c })).concat([el('th', { text: 'actions' })])));
    if (items.length === 0) empty(tbody, columns.length + 1, 'none');
    items.forEach((item) => {
      const id = idOf(item);
      const row = el('tr', { 'data-id': id || '' }, columns.map((c) => (c === 'state' ? stateCell(item[c]) : cell(item[c]))));
      const buttons = el('td', { className: 'row-actions' });
      if (id) {
        buttons.appendChild(actionButton('Retry', name, id, 'retry', true));
        buttons.appendChild(actionButton('Discard', name, id, 'discard', true, true));
      }
      row.appendChild(buttons);
      tbody.appendChild(row);
    });
  }

  // --- actions ---

  function actionButton(label, what, id, action, applicable, danger) {
    const button = el('button', { type: 'button', text: label, className: 'act' + (danger ? ' danger' : ''),
      'data-action': action, 'data-target': what + '/' + id });
    if (!view.writable) {
      button.disabled = true;
      button.title = 'read-only: the dtx endpoint\'s access is not unrestricted';
    }
    else if (!applicable) {
      button.disabled = true;
      button.title = 'not in this state';
    }
    button.addEventListener('click', () => act(what, id, action));
    return button;
  }

  async function act(what, id, action) {
    const target = what + '/' + id;
    if (!window.confirm(action + ' ' + target + '?\n\nThis changes what dtx does with it, and is logged with your name.')) {
      return;
    }
    let response;
    try {
      response = await call('POST', '/' + encodeURIComponent(what) + '/' + encodeURIComponent(id) + '/' + action);
    }
    catch (e) {
      answer(action + ' ' + target + ' failed: ' + e, false);
      return;
    }
    if (response.ok && response.body) {
      answer(response.status + ' ' + action + ' ' + target + ': ' + text(response.body.result), true);
    }
    else {
      answer(failure(action + ' ' + target, response), false);
    }
    await refresh();
  }

  async function refresh() {
    await loadSummary();
    await Promise.all([loadTransactions(), loadDetail()].concat(view.parked.map(loadParked)));
    document.body.setAttribute('data-loaded', String(Date.now()));
  }

  async function start() {
    const settings = await fetch('settings.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
    view.writable = settings.writable !== false;
    if (!view.writable) {
      $('mode-note').textContent = 'read-only: the dtx endpoint\'s access is read-only, actions are disabled';
    }
    $('refresh').addEventListener('click', refresh);
    $('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      readFilters();
      loadTransactions();
    });
    $('filters').addEventListener('reset', () => {
      setTimeout(() => { readFilters(); loadTransactions(); }, 0);
    });
    $('previous').addEventListener('click', () => { view.page = Math.max(0, view.page - 1); loadTransactions(); });
    $('next').addEventListener('click', () => { view.page += 1; loadTransactions(); });
    $('close-detail').addEventListener('click', () => { view.detail = null; $('detail').hidden = true; });
    readFilters();
    await refresh();
  }

  start();
}());
