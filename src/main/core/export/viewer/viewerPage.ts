/**
 * The viewer's HTML shell. The script and the style are inline and allowed by their SHA-256 in the
 * CSP; nothing else may run, load or connect: `default-src 'none'`, no `connect-src`, images and
 * audio only from blob: URLs made in the page, and Trusted Types with no policy, so no HTML sink
 * (innerHTML and the like) can be used even by mistake.
 */
export const VIEWER_STYLE = `
:root { color-scheme: light dark; font-family: system-ui, "Noto Sans", "Noto Naskh Arabic", sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; }
header p { margin: .25rem 0; }
fieldset { border: 1px solid #8886; border-radius: .5rem; margin: 1rem 0; }
label { display: block; margin: .5rem 0 .25rem; font-weight: 600; }
textarea, input[type=text], input[type=password] { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; }
button { padding: .4rem 1rem; margin: .5rem .5rem 0 0; cursor: pointer; }
.status { padding: .5rem; border-radius: .25rem; }
.status.ok { background: #2a72; } .status.error { background: #d222; }
.checks li.ok { color: #185; } .checks li.warn { color: #a60; }
.items { display: flex; flex-wrap: wrap; gap: .25rem; }
.prose { white-space: pre-wrap; unicode-bidi: plaintext; }
.transcript { border-inline-start: 3px solid #8886; padding-inline-start: .75rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { border: 1px solid #8886; padding: .25rem .4rem; text-align: start; vertical-align: top; }
img { max-width: 100%; height: auto; } figure { margin: 1rem 0; }
code.key { word-break: break-all; } .note { color: #a60; }
`;

export function viewerPageHtml(parts: { script: string; scriptHash: string; styleHash: string }): string {
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${parts.scriptHash}'`,
    `style-src 'sha256-${parts.styleHash}'`,
    'img-src blob:',
    'media-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testimony Vault bundle viewer</title>
<style>${VIEWER_STYLE}</style>
</head>
<body>
<header>
<h1>Testimony Vault bundle viewer</h1>
<p>Works offline: nothing you choose or type here leaves this computer. Everything is checked before it is shown.</p>
</header>
<main>
<fieldset>
<label for="files">Bundle files: payload.age, and to check the signature also manifest.json and manifest.json.minisig</label>
<input id="files" type="file" multiple>
<label for="identity">Your age identity (AGE-SECRET-KEY-1…), or leave empty and give the passphrase</label>
<textarea id="identity" rows="3" spellcheck="false" autocomplete="off"></textarea>
<label for="passphrase">Passphrase (for passphrase-protected bundles)</label>
<input id="passphrase" type="password" autocomplete="off">
<label for="signer">Expected signer (optional): the exporter's minisign public key, RW…</label>
<input id="signer" type="text" spellcheck="false" autocomplete="off">
<button id="open" type="button">Open and verify</button>
</fieldset>
<p id="status" class="status" role="status"></p>
<div id="result"></div>
</main>
<script>${parts.script}</script>
</body>
</html>
`;
}
