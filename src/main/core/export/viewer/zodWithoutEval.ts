import { config } from 'zod';

// Imported first by the viewer: the page's CSP forbids eval (and Trusted Types block it), so zod
// must never try its compiled fast path, and must know before any schema module is evaluated.
config({ jitless: true });
