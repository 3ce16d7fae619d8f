// A tiny single-page app with client-side routes (/, /about, /items/:id): deep links work only
// if the static host falls back to index.html, as CloudFront does with a custom error response.
const view = document.getElementById('view');

async function api(path, options) {
  const response = await fetch(`${window.SHOP_API}${path}`, options);
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function itemsPage() {
  view.innerHTML = `
    <h1>Items</h1>
    <form id="add"><input name="name" placeholder="New item" required /><button>Add</button></form>
    <ul id="items"><li>Loading…</li></ul>`;
  const render = async () => {
    const items = await api('/api/items');
    document.getElementById('items').innerHTML = items.length
      ? items
          .map((i) => `<li><a href="/items/${i.id}" data-link>${escapeHtml(i.name)}</a></li>`)
          .join('')
      : '<li class="empty">No items yet</li>';
  };
  document.getElementById('add').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = event.target.elements.name;
    await api('/api/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: input.value }),
    });
    input.value = '';
    await render();
  });
  await render();
}

async function itemPage(id) {
  const items = await api('/api/items');
  const item = items.find((i) => String(i.id) === id);
  view.innerHTML = item
    ? `<h1 id="item-name">${escapeHtml(item.name)}</h1><p>Added ${item.createdAt}</p>`
    : '<h1>Not found</h1>';
}

function aboutPage() {
  view.innerHTML =
    '<h1>About</h1><p>Served like S3 + CloudFront; the API runs on a local Lambda emulator.</p>';
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function route() {
  const path = location.pathname;
  const item = /^\/items\/(\d+)$/.exec(path);
  try {
    if (path === '/about') aboutPage();
    else if (item) await itemPage(item[1]);
    else await itemsPage();
  } catch (error) {
    view.innerHTML = `<p class="error">API error: ${escapeHtml(String(error.message))}</p>`;
  }
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-link]');
  if (!link) return;
  event.preventDefault();
  history.pushState(null, '', link.getAttribute('href'));
  route();
});
window.addEventListener('popstate', route);
route();
