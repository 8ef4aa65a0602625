// Loads the app's WebAssembly. An external module script, because the page's CSP allows no
// inline script; the paths are relative, so the app also works from a sub-path.
import init from './app.js';

init({ module_or_path: './app_bg.wasm' }).catch((error) => {
  const message = document.createElement('p');
  message.className = 'boot-error';
  message.textContent = 'Alertweave could not start: ' + error;
  document.body.append(message);
});
