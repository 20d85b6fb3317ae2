// The element's styles: its own custom properties (light and dark), which a page overrides on
// the element (`passwordless-login { --pl-accent: … }`), and `::part()` for the rest.
export const style = `
:host{--pl-bg:#fff;--pl-text:#1b1d22;--pl-muted:#5d6470;--pl-border:#d5d9e0;--pl-accent:#3552d8;--pl-accent-text:#fff;--pl-error-bg:#fdecec;--pl-error-text:#a0191b;--pl-notice-bg:#e8f1ea;--pl-radius:10px;--pl-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
display:block;color-scheme:light;font-family:var(--pl-font);line-height:1.5;color:var(--pl-text)}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){color-scheme:dark;--pl-bg:#1f2228;--pl-text:#e8eaee;--pl-muted:#a2a9b5;--pl-border:#3a3f48;--pl-accent:#7d93ff;--pl-accent-text:#0d1020;--pl-error-bg:#3a1a1c;--pl-error-text:#ffb4b0;--pl-notice-bg:#1d3324}}
:host([theme=dark]){color-scheme:dark;--pl-bg:#1f2228;--pl-text:#e8eaee;--pl-muted:#a2a9b5;--pl-border:#3a3f48;--pl-accent:#7d93ff;--pl-accent-text:#0d1020;--pl-error-bg:#3a1a1c;--pl-error-text:#ffb4b0;--pl-notice-bg:#1d3324}
:host([hidden]),[hidden]{display:none!important}
*,::before,::after{box-sizing:border-box}
.card{max-width:28rem;padding:1.75rem 1.5rem;background:var(--pl-bg);border:1px solid var(--pl-border);border-radius:var(--pl-radius)}
h2{margin:0 0 .25rem;font-size:1.5rem;line-height:1.25}
h2:focus{outline:none}
.hint{margin:0 0 1.25rem;color:var(--pl-muted);overflow-wrap:anywhere}
.hint strong{color:var(--pl-text)}
.step,.field{display:flex;flex-direction:column}
label{font-weight:600;margin-bottom:.35rem}
input{font:inherit;font-size:1.05rem;padding:.7rem .8rem;margin-bottom:1rem;color:var(--pl-text);background:var(--pl-bg);border:1px solid var(--pl-border);border-radius:8px;width:100%}
input.otp{font-family:ui-monospace,"SF Mono",Menlo,Consolas,monospace;font-size:1.4rem;letter-spacing:.3em}
input:focus-visible,button:focus-visible,a:focus-visible,summary:focus-visible,.method:has(input:focus-visible){outline:3px solid color-mix(in srgb,var(--pl-accent) 45%,transparent);outline-offset:2px;border-color:var(--pl-accent)}
a,summary{color:var(--pl-accent)}
button{font:inherit;font-weight:600;padding:.75rem 1rem;color:var(--pl-accent-text);background:var(--pl-accent);border:0;border-radius:8px;cursor:pointer}
button:hover:not(:disabled){filter:brightness(1.08)}
button:disabled{opacity:.6;cursor:not-allowed}
button.link{padding:.25rem 0;font-weight:500;color:var(--pl-accent);background:none;text-decoration:underline;text-underline-offset:.2em}
button.small{padding:.3rem .7rem;font-size:.85rem}
.secondary{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem 1rem;margin-top:1rem}
.error,.notice{margin:0 0 1rem;padding:.75rem .9rem;border-radius:8px}
.error{color:var(--pl-error-text);background:var(--pl-error-bg)}
.notice{background:var(--pl-notice-bg)}
.error:empty,.notice:empty,.cooldown:empty{display:none}
.cooldown{margin:.75rem 0 0;font-size:.9rem;color:var(--pl-muted)}
.small{font-size:.85rem}
.field p.small{margin-top:-.6rem}
.methods{margin:0 0 1.25rem;padding:0;border:0;display:grid;gap:.5rem}
.methods legend{font-weight:600;margin-bottom:.5rem;padding:0}
.method{display:flex;gap:.75rem;align-items:flex-start;margin:0;padding:.7rem .8rem;font-weight:400;border:1px solid var(--pl-border);border-radius:8px;cursor:pointer}
.method:has(input:checked){border-color:var(--pl-accent);box-shadow:inset 0 0 0 1px var(--pl-accent)}
.method input,.check input{width:auto;margin:.3rem 0 0;accent-color:var(--pl-accent)}
.method span,.factor{display:flex;flex-direction:column}
.method small,.factor small{color:var(--pl-muted);font-weight:400}
.factors{list-style:none;margin:0 0 1rem;padding:0;display:grid;gap:.5rem}
button.factor{width:100%;align-items:flex-start;text-align:left;color:var(--pl-text);background:var(--pl-bg);border:1px solid var(--pl-border)}
button.factor:hover:not(:disabled){border-color:var(--pl-accent);filter:none}
.passkeys{display:grid;gap:.5rem;margin-top:1rem}
.or{text-align:center;margin:0;color:var(--pl-muted)}
.save-passkey{margin:0 0 1rem;display:grid}
.waiting{display:flex;align-items:center;gap:.6rem;margin:0 0 1rem}
.spinner{width:1.1rem;height:1.1rem;border:3px solid var(--pl-border);border-top-color:var(--pl-accent);border-radius:50%;animation:spin .9s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
.qr{margin:0 0 1.25rem;display:flex;flex-direction:column;align-items:center;gap:.75rem}
.qr img{width:220px;height:220px;border-radius:6px;image-rendering:pixelated;background:#fff}
.qr figcaption{width:100%}
.qr summary{cursor:pointer}
code{font-family:ui-monospace,"SF Mono",Menlo,Consolas,monospace;overflow-wrap:anywhere}
.recovery-codes{list-style:none;margin:0 0 1.25rem;padding:0}
.recovery-codes li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding:.75rem .9rem;font-size:1.1rem;font-weight:700;letter-spacing:.05em;border:1px dashed var(--pl-border);border-radius:8px}
.check{display:flex;gap:.6rem;align-items:flex-start;margin-bottom:1rem;font-weight:500}
`;
