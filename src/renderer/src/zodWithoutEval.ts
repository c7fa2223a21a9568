import { config } from 'zod';

// Imported first by main.tsx: the CSP forbids eval, so zod must never try its compiled fast path
// (the attempt alone would be reported as a CSP violation).
config({ jitless: true });
