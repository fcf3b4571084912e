// render/images.js - question and option images. A plain <img> is tried
// first (the login cookie authorises it); if that fails (e.g. the browser was
// restarted and lost the session cookie, or the server was down), the image
// is fetched with the bearer token and shown as a data: URL. Images that
// could not be loaded are retried when the connection comes back.

import { imageDataUrl } from '../api.js';
import { t } from '../i18n/index.js';

const failed = new Set();

export function loadImage(img, url) {
  img.setAttribute('data-src', url);
  img.classList.remove('image-failed');
  let fallbackTried = false;
  img.onload = () => {
    failed.delete(img);
    img.classList.remove('image-failed');
    img.removeAttribute('title');
  };
  img.onerror = () => {
    if (fallbackTried) {
      markFailed(img);
      return;
    }
    fallbackTried = true;
    imageDataUrl(url).then(
      (src) => {
        if (img.getAttribute('data-src') === url) img.src = src;
      },
      () => markFailed(img),
    );
  };
  img.src = url;
}

function markFailed(img) {
  img.classList.add('image-failed');
  img.title = t('imageFailed');
  failed.add(img);
}

/** Try again every image that failed and is still on the page. */
export function retryFailedImages() {
  const list = Array.from(failed);
  failed.clear();
  for (let i = 0; i < list.length; i++) {
    const img = list[i];
    if (document.contains(img) && img.getAttribute('data-src')) loadImage(img, img.getAttribute('data-src'));
  }
}
