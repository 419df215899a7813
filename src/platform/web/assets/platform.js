// Progressive enhancement only: every page works without this script.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';

initAll();

// GOV.UK timeout warning: two minutes before the idle limit, offer to stay
// signed in. Staying posts the same form a no-JavaScript user would submit.
const warning = document.getElementById('timeout-warning');
if (warning) {
  const idleSeconds = Number(warning.dataset.idleSeconds);
  const warnSeconds = Number(warning.dataset.warnSeconds);
  const dialog = warning.querySelector('[role="dialog"]');
  const form = warning.querySelector('form');
  let timer;
  let focusedBefore = null;
  // While the warning is open the page behind it is inert, so focus stays in
  // the dialog; closing it puts focus back where the person was.
  const show = (open) => {
    if (open) focusedBefore = document.activeElement;
    warning.hidden = !open;
    for (const element of document.body.children) if (element !== warning) element.inert = open;
    if (open) dialog.focus();
    else focusedBefore?.focus();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => show(true), Math.max(0, (idleSeconds - warnSeconds) * 1000));
  };
  form.addEventListener('submit', async (event) => {
    if (event.submitter && event.submitter.id === 'timeout-stay') {
      event.preventDefault();
      const response = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' } });
      if (response.ok) {
        show(false);
        schedule();
      } else {
        window.location.assign('/sign-in?timeout=1');
      }
    }
  });
  schedule();
}
