// The `client-cert-auth` command line, callable from code (the bin is `dist/bin.js`).
export { main } from './main';
