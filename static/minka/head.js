/* Loaded in the head, before the first paint, so that the phone's menu folds behind its button at once
   (minka.css reads .js). A file rather than an inline script: the Content-Security-Policy allows only
   Minka's own files, and the error pages, rendered without a request, have no nonce to give. */
document.documentElement.classList.add("js");
