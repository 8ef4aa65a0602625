// Loads the app's WebAssembly. An external module script, because the page's CSP allows no
// inline script; the paths are relative, so the app also works from a sub-path.
import init from './app.js';

// The theme and language kept in this browser (src/ui/prefs.rs names the keys), applied before
// the app starts so the page never shows the other theme first. The app applies them again.
try {
  const theme = localStorage.getItem('alertweave.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  const lang = localStorage.getItem('alertweave.lang');
  if (lang === 'en' || lang === 'nl') document.documentElement.lang = lang;
} catch {
  // Storage may be disabled: the system's theme and English until the app decides.
}

init({ module_or_path: './app_bg.wasm' }).catch((error) => {
  const message = document.createElement('p');
  message.className = 'boot-error';
  message.textContent = 'Alertweave could not start: ' + error;
  document.body.append(message);
});
