// Entry point of every dashboard page: marks the current page in the navigation, shows who is signed in, opens the
// live connection and hands the page to its module (/assets/pages/NAME.js, named by <body data-page>).
import { session, logout } from './api.js';
import { start } from './live.js';
import { errorMessage, replace } from './dom.js';

const page = document.body.dataset.page;

for (const link of document.querySelectorAll('[data-nav]')) {
  if (link.dataset.nav.split(' ').includes(page)) link.setAttribute('aria-current', 'page');
}

session().then(s => {
  const user = document.getElementById('session-user');
  user.textContent = s.authRequired ? `${s.user} (${s.role})` : `${s.user} (${s.role}, no sign-in configured)`;
  const button = document.getElementById('logout');
  if (s.authRequired) {
    button.hidden = false;
    button.addEventListener('click', () => logout());
  }
});

start();

const root = document.getElementById('page');
try {
  const module = await import(`./pages/${page}.js`);
  await module.render(root);
} catch (error) {
  replace(root, errorMessage(error));
} finally {
  root.setAttribute('aria-busy', 'false');
}
