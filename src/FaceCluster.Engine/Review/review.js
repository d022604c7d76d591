// FaceCluster review: select faces and people, make changes, and download them as one file that
// Import-FaceClusterCorrection applies to the export. Standard DOM only; no network, no server.
// The changes wait in localStorage (keyed by the export's faces.json hash) so they survive moving between pages.
(() => {
  'use strict';
  const apply = document.querySelector('.apply[data-folder]');
  const exportKey = window.faceClusterExport; // set by export.js, loaded before this script
  if (!apply || !exportKey) return;
  const folder = apply.dataset.folder;
  const storeKey = 'facecluster-edits:' + exportKey;
  const fileName = 'facecluster-edits.json';
  const keys = { n: 'name', m: 'merge', t: 'move', p: 'newPerson', h: 'hide', r: 'remove', s: 'split', d: 'download' };
  const labels = {
    name: 'Name', merge: 'Merge people', move: 'Move to person', newPerson: 'New person',
    hide: 'Not a face', remove: 'Not this person', split: 'Split off', download: 'Download changes',
  };
  const pagePerson = document.querySelector('[data-page-person]');
  let selected = [];       // the selected .pick buttons, in the order they were selected
  let pending = [];        // { edit, text }
  let stored = true;
  let asking = null;       // what the open question is for

  const bar = element('div', { class: 'editbar', role: 'region', 'aria-label': 'Changes' });
  const status = element('span', { class: 'selection', 'aria-live': 'polite' });
  bar.append(status);
  const buttons = {};
  for (const [key, action] of Object.entries(keys)) {
    if (action === 'download') continue;
    buttons[action] = element('button', { type: 'button', 'data-do': action }, labels[action] + ' ', element('kbd', {}, key.toUpperCase()));
    bar.append(buttons[action]);
  }
  const ask = element('form', { class: 'ask', hidden: '' });
  const askLabel = element('label', { for: 'edit-answer' });
  const answer = element('input', { id: 'edit-answer', autocomplete: 'off' });
  ask.append(askLabel, ' ', answer, ' ', element('button', { type: 'submit' }, 'OK'), ' ', element('button', { type: 'button', 'data-do': 'cancel' }, 'Cancel'));
  const list = element('ol');
  const summary = element('summary');
  const download = element('button', { type: 'button', 'data-do': 'download', class: 'download' }, labels.download + ' ', element('kbd', {}, 'D'));
  const pendingBox = element('details', { class: 'pending' }, summary, list, download, ' ',
    element('button', { type: 'button', 'data-do': 'clear' }, 'Clear all'));
  const message = element('p', { class: 'message', role: 'status' });
  bar.append(ask, pendingBox, message);
  document.body.append(bar);

  function element(name, attributes = {}, ...children) {
    const e = document.createElement(name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  function load() {
    try {
      const text = window.localStorage.getItem(storeKey);
      pending = text ? JSON.parse(text) : [];
    } catch (e) {
      stored = false;
    }
    if (!Array.isArray(pending)) pending = [];
  }

  function save() {
    try {
      if (pending.length) window.localStorage.setItem(storeKey, JSON.stringify(pending));
      else window.localStorage.removeItem(storeKey);
    } catch (e) {
      stored = false;
    }
  }

  const faceKey = (photo, faceIndex) => photo + '\n' + faceIndex;
  const people = () => selected.filter(b => b.dataset.photo === undefined);
  const faces = () => selected.filter(b => b.dataset.photo !== undefined);
  const personName = (b) => b.dataset.label + ' (id ' + b.dataset.person + ')';
  const faceOf = (b) => ({ photo: b.dataset.photo, faceIndex: Number(b.dataset.face) });
  // A face button's name: its thumbnail's alt text, or its text where it has no thumbnail.
  const nameOf = (b) => (b.querySelector('img') ? b.querySelector('img').alt : b.textContent);
  const plural = (n, noun) => n + ' ' + noun + (n === 1 ? '' : 's');

  /** The person the Name action is about: the one selected, else the person whose page this is. */
  function nameTarget() {
    const chosen = people();
    if (chosen.length === 1 && faces().length === 0) return { id: Number(chosen[0].dataset.person), text: personName(chosen[0]) };
    if (selected.length === 0 && pagePerson) return { id: Number(pagePerson.dataset.pagePerson), text: pagePerson.dataset.label + ' (id ' + pagePerson.dataset.pagePerson + ')' };
    return null;
  }

  /** The one person all selected faces are in, or null. */
  function facesPerson() {
    const ids = new Set(faces().map(b => b.dataset.person));
    return ids.size === 1 && !ids.has('-1') && people().length === 0 ? Number([...ids][0]) : null;
  }

  function render() {
    const f = faces().length, p = people().length;
    status.textContent = selected.length === 0 ? 'Nothing selected' : [p ? plural(p, 'person') : '', f ? plural(f, 'face') : ''].filter(Boolean).join(', ') + ' selected';
    const onlyFaces = f > 0 && p === 0;
    buttons.name.disabled = nameTarget() === null;
    buttons.merge.disabled = !(p >= 2 && f === 0);
    buttons.move.disabled = buttons.newPerson.disabled = buttons.hide.disabled = !onlyFaces;
    buttons.remove.disabled = !onlyFaces || faces().some(b => b.dataset.person === '-1');
    buttons.split.disabled = facesPerson() === null;
    summary.textContent = plural(pending.length, 'change') + ' pending' + (stored ? '' : ' (kept only while this page is open: download them before leaving it)');
    list.replaceChildren(...pending.map((p, i) => element('li', {}, p.text + ' ',
      element('button', { type: 'button', 'data-do': 'unpend', 'data-index': String(i), 'aria-label': 'Remove the change: ' + p.text }, 'Remove'))));
    download.disabled = pending.length === 0;
    const edited = new Set(), editedPeople = new Set();
    for (const { edit } of pending) {
      for (const face of edit.faces || []) edited.add(faceKey(face.photo, face.faceIndex));
      if (!edit.faces) editedPeople.add(String(edit.id));
    }
    for (const b of document.querySelectorAll('.pick')) {
      b.classList.toggle('edited', b.dataset.photo !== undefined ? edited.has(faceKey(b.dataset.photo, b.dataset.face)) : editedPeople.has(b.dataset.person));
    }
  }

  function toggle(b) {
    const on = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(on));
    selected = on ? [...selected, b] : selected.filter(x => x !== b);
    if (b.dataset.photo === undefined) b.textContent = on ? 'Selected' : 'Select';
    say('');
    render();
  }

  function clearSelection() {
    for (const b of selected) {
      b.setAttribute('aria-pressed', 'false');
      if (b.dataset.photo === undefined) b.textContent = 'Select';
    }
    selected = [];
    render();
  }

  function say(text) { message.textContent = text; }

  function add(edit, text) {
    load();
    pending.push({ edit, text });
    save();
    clearSelection();
    pendingBox.open = true;
    say('Added: ' + text + '. Download the changes when you are done.');
  }

  function question(label, value, then) {
    asking = then;
    askLabel.textContent = label;
    answer.value = value;
    ask.hidden = false;
    answer.focus();
    answer.select();
  }

  function closeQuestion() {
    asking = null;
    ask.hidden = true;
  }

  function act(action) {
    const f = faces().map(faceOf);
    const n = plural(f.length, 'face');
    switch (action) {
      case 'name': {
        const target = nameTarget();
        if (!target) return say('Select one person to name.');
        return question('Name of ' + target.text, '', (text) => {
          const name = text.trim();
          if (!name) return 'Type a name.';
          add({ action: 'name', id: target.id, name }, 'Name ' + target.text + ' "' + name + '"');
        });
      }
      case 'merge': {
        const chosen = people();
        if (chosen.length < 2 || faces().length) return say('Select two people or more to merge (the first selected keeps its id).');
        const into = chosen[0];
        load();
        for (const other of chosen.slice(1)) pending.push({ edit: { action: 'merge', id: Number(other.dataset.person), into: Number(into.dataset.person) }, text: 'Merge ' + personName(other) + ' into ' + personName(into) });
        save();
        clearSelection();
        pendingBox.open = true;
        return say('Added the merge into ' + personName(into) + '.');
      }
      case 'move': {
        if (!f.length || people().length) return say('Select the faces to move.');
        const nearest = new Set(faces().map(b => b.dataset.nearest));
        const from = new Set(faces().map(b => b.dataset.person));
        return question('Move ' + n + ' to person id', nearest.size === 1 && !nearest.has(undefined) ? [...nearest][0] : '', (text) => {
          if (!/^\s*\d+\s*$/.test(text)) return 'Type the id of a person (a number shown beside each name).';
          const into = Number(text);
          if (from.has(String(into))) return 'Some of these faces are in person ' + into + ' already.';
          add({ action: 'move', into, faces: f }, 'Move ' + n + ' to person ' + into);
        });
      }
      case 'newPerson':
        if (!f.length || people().length) return say('Select the faces of the new person.');
        return add({ action: 'newPerson', faces: f }, 'Make ' + n + ' a new person');
      case 'hide':
        if (!f.length || people().length) return say('Select the faces that are not faces.');
        return add({ action: 'hide', faces: f }, 'Hide ' + n + ': not a face');
      case 'remove': {
        if (!f.length || people().length || faces().some(b => b.dataset.person === '-1')) return say('Select faces of a person.');
        load();
        const byPerson = new Map();
        for (const b of faces()) byPerson.set(b.dataset.person, [...(byPerson.get(b.dataset.person) || []), faceOf(b)]);
        for (const [id, list] of byPerson) pending.push({ edit: { action: 'remove', id: Number(id), faces: list }, text: 'Take ' + plural(list.length, 'face') + ' out of person ' + id });
        save();
        clearSelection();
        pendingBox.open = true;
        return say('Added.');
      }
      case 'split': {
        const id = facesPerson();
        if (id === null) return say('Select faces of one person to split off.');
        return add({ action: 'split', id, faces: f }, 'Split ' + n + ' off person ' + id + ' as a new person');
      }
      case 'download':
        return downloadEdits();
      case 'clear':
        pending = [];
        save();
        render();
        return say('Every pending change is cleared.');
      case 'cancel':
        closeQuestion();
        return say('');
    }
  }

  /** The edits file: one line of JSON sealed with the SHA-256 of what precedes its "seal" member. */
  async function fileText() {
    const body = JSON.stringify({ tool: 'FaceCluster', kind: 'reviewEdits', schemaVersion: 1, export: exportKey, folder, edits: pending.map(p => p.edit) });
    const unsealed = body.slice(0, -1);
    const hash = await window.crypto.subtle.digest('SHA-256', new TextEncoder().encode(unsealed));
    const hex = [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('');
    return unsealed + ',"seal":"' + hex + '"}\n';
  }

  async function downloadEdits() {
    load();
    render();
    if (!pending.length) return say('There is no change to download.');
    if (!window.crypto || !window.crypto.subtle) return say('This browser offers no Web Crypto on pages opened from disk, so it cannot seal the file. Open the page in Chromium or Firefox.');
    const url = URL.createObjectURL(new Blob([await fileText()], { type: 'application/json' }));
    const link = element('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say('Downloaded ' + fileName + ' (' + plural(pending.length, 'change') + '). Apply it with the command at the top of the page.');
  }

  document.addEventListener('click', (event) => {
    const target = event.target.closest('button');
    if (!target) return;
    if (target.classList.contains('pick')) return toggle(target);
    if (target.dataset.quick === 'merge') {
      return add({ action: 'merge', id: Number(target.dataset.id), into: Number(target.dataset.into) }, target.dataset.text);
    }
    if (target.dataset.quick === 'move') {
      const face = target.closest('figure').querySelector('.pick');
      return add({ action: 'move', into: Number(target.dataset.into), faces: [faceOf(face)] }, 'Move ' + nameOf(face) + ' to person ' + target.dataset.into);
    }
    if (target.dataset.do === 'unpend') {
      load();
      pending.splice(Number(target.dataset.index), 1);
      save();
      render();
      return download.focus();
    }
    if (target.dataset.do) act(target.dataset.do);
  });

  ask.addEventListener('submit', (event) => {
    event.preventDefault();
    const problem = asking && asking(answer.value);
    if (problem) return say(problem);
    closeQuestion();
  });

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === 'Escape') {
      if (!ask.hidden) act('cancel');
      else clearSelection();
      return;
    }
    if (event.target.closest('input, textarea, select, [contenteditable]')) return;
    const action = keys[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    act(action);
  });

  window.addEventListener('storage', (event) => { if (event.key === storeKey) { load(); render(); } });
  window.addEventListener('pageshow', () => { load(); render(); });
  load();
  render();
})();
